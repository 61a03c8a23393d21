import { cswo2020Layout, layoutSections, otherTablesSection, type ReportSection } from './report-layout.js';

export { otherTablesSection, type ReportSection } from './report-layout.js';

/**
 * The published report's structure: its findings sections, in order, and which tables each holds, as
 * the 2020 layout (cswo-2020-layout.json) gives them. The draft report and the dashboard follow a wave's
 * sections (these, then one per definition section with a question the layout does not place),
 * numbering tables in this order, so an analyst's draft reads like the report it will become.
 */
export const reportOutline: readonly ReportSection[] = Object.freeze(
  layoutSections(cswo2020Layout).map((s) => Object.freeze({ ...s, tables: Object.freeze([...s.tables]) })),
);

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
 * The given tables in report order, grouped into `sections` (a wave's, default the 2020 report's) and
 * numbered from 1. Every table appears exactly once: one no section places lands in a last section
 * rather than disappearing; sections with none of the tables are left out.
 */
export const outlineTables = <T extends { readonly id: string }>(
  tables: readonly T[],
  sections: readonly ReportSection[] = reportOutline,
): OutlinedSection<T>[] => {
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
  const outlined = sections.map((s) => place(s.id, s.title, s.tables));
  const rest = tables.map((t) => t.id).filter((id) => !placed.has(id));
  outlined.push(place(otherTablesSection.id, otherTablesSection.title, rest));
  return outlined.filter((s) => s.tables.length > 0);
};
