/**
 * The published report's structure: its findings sections, in order, and which tables each holds.
 * The draft report and the dashboard follow it, numbering tables in this order, so an analyst's draft
 * reads like the report it will become. A table the outline does not place (a catalogue added to
 * later) lands in a last section rather than disappearing.
 */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly tables: readonly string[];
}

export const reportOutline: readonly ReportSection[] = Object.freeze(
  [
    { id: 'background', title: 'Background information', tables: ['role', 'registered_sw', 'urban_rural', 'time_in_post', 'pq_awards'] },
    {
      id: 'cswo-role',
      title: 'Chief Social Work Officer role',
      tables: ['portfolio', 'location', 'contract', 'hours_basis', 'salary_band', 'supplement', 'reports_to'],
    },
    {
      id: 'pressures',
      title: 'Organisational role and pressures',
      tables: [
        'extra_hours_frequency',
        'extra_hours_band',
        'time_share',
        'pressure',
        'groups',
        'admin_support',
        'senior_team_member',
        'portfolio_changed',
        'budget_involvement',
      ],
    },
    {
      id: 'partnerships',
      title: 'Links and connections across partnerships',
      tables: ['direct_access', 'strategy_support', 'strategy_support_adequate'],
    },
    {
      id: 'support',
      title: 'Support, learning and professional development',
      tables: ['support', 'peer_support_likelihood', 'induction', 'learning_needs', 'ld_function', 'ld_adequate', 'resources'],
    },
  ].map((s) => Object.freeze({ ...s, tables: Object.freeze(s.tables) })),
);

export const otherTablesSection = { id: 'other', title: 'Other tables' } as const;

export interface PlacedTable<T> {
  readonly number: number;
  readonly table: T;
}

export interface OutlinedSection<T> {
  readonly id: string;
  readonly title: string;
  readonly tables: readonly PlacedTable<T>[];
}

/**
 * The given tables in report order, grouped into sections and numbered from 1. Every table appears
 * exactly once; sections with none of the tables are left out.
 */
export const outlineTables = <T extends { readonly id: string }>(tables: readonly T[]): OutlinedSection<T>[] => {
  const byId = new Map(tables.map((t) => [t.id, t]));
  const placed = new Set<string>();
  let number = 0;
  const place = (id: string, title: string, ids: readonly string[]): OutlinedSection<T> => ({
    id,
    title,
    tables: ids.flatMap((tableId) => {
      const table = byId.get(tableId);
      if (!table || placed.has(tableId)) return [];
      placed.add(tableId);
      return [{ number: ++number, table }];
    }),
  });
  const sections = reportOutline.map((s) => place(s.id, s.title, s.tables));
  const rest = tables.map((t) => t.id).filter((id) => !placed.has(id));
  sections.push(place(otherTablesSection.id, otherTablesSection.title, rest));
  return sections.filter((s) => s.tables.length > 0);
};
