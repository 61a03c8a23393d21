import { describe, expect, it } from 'vitest';
import { buildTables, tableCatalogue } from '../../analysis/index.js';
import { rowOf, tableOf, v1, v2, waveOf, WAVE_1, WAVE_2 } from './fixtures.js';

/** The "Analysis tables" section of instrument.md, written out independently of the definitions. */
const areas = [
  'children',
  'adults',
  'mental_health_awi',
  'community_justice',
  'sds',
  'ijb',
  'health',
  'workforce_planning',
  'workforce_ld',
  'own_ld',
  'governance',
  'strategic_development',
  'corporate_groups',
  'partnership_groups',
  'budgets',
  'corporate_functions',
  'inspection_audit',
];
const yesNo = ['yes', 'no'];

interface Contract {
  readonly part: 'identifiable' | 'anonymous';
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly fields: readonly string[];
}

const shareFields = ['count', 'n', 'pct'];
const share = (part: Contract['part'], rows: readonly string[]): Contract => ({ part, rows, columns: ['share'], fields: shareFields });

const contract: Record<string, Contract> = {
  urban_rural: share('identifiable', ['large_urban', 'other_urban', 'accessible_small_towns', 'remote_small_towns', 'accessible_rural', 'remote_rural']),
  time_in_post: share('identifiable', ['lt1', '1_2', '3_5', 'gt5']),
  location: share('identifiable', ['hscp', 'council']),
  contract: share('identifiable', ['permanent', 'acting', 'temporary']),
  salary_band: share('identifiable', ['lt70k', '70_79k', '80_89k', '90_99k', '100k_plus']),
  supplement: share('identifiable', ['yes', 'no', 'removed']),
  reports_to: share('identifiable', ['chief_officer', 'executive_director', 'deputy_ce_or_hos', 'other']),
  pq_awards: share('identifiable', [
    'pq1',
    'pq2',
    'practice_teaching',
    'mho',
    'child_protection',
    'criminal_justice',
    'advanced_award',
    'cswo_pgdip',
    'masters',
    'phd',
    'other',
  ]),
  portfolio: {
    part: 'identifiable',
    rows: [
      'children_sw',
      'children_health',
      'education_early_years',
      'education_asn',
      'adult_sw',
      'adult_health',
      'criminal_justice_sw',
      'quality_assurance',
      'public_protection',
      'sw_learning_development',
      'homelessness',
      'welfare_rights',
    ],
    columns: ['all', 'part', 'none'],
    fields: shareFields,
  },
  extra_hours_frequency: share('anonymous', ['always', 'sometimes', 'rarely', 'never']),
  extra_hours_band: share('anonymous', ['none', 'lt10', '10_20', 'gt20']),
  admin_support: share('anonymous', ['dedicated', 'shared', 'none']),
  senior_team_member: share('anonymous', yesNo),
  portfolio_changed: share('anonymous', yesNo),
  budget_involvement: share('anonymous', ['fully', 'some', 'little']),
  strategy_support: share('anonymous', ['dedicated', 'generic', 'none']),
  strategy_support_adequate: share('anonymous', yesNo),
  ld_function: share('anonymous', yesNo),
  ld_adequate: share('anonymous', yesNo),
  induction: share('anonymous', yesNo),
  learning_needs: share('anonymous', ['supervision_appraisal', 'ad_hoc', 'not_addressed']),
  peer_support_likelihood: share('anonymous', ['1', '2', '3', '4', '5']),
  resources: share('anonymous', ['service_users', 'conferences', 'solace', 'resilience', 'sssk', 'reading', 'research']),
  time_share: { part: 'anonymous', rows: areas, columns: ['mean'], fields: ['mean', 'n'] },
  pressure: { part: 'anonymous', rows: areas, columns: ['low', 'high'], fields: shareFields },
  direct_access: { part: 'anonymous', rows: ['chief_executive', 'council_leader', 'ijb_chair', 'ijb_chief_officer'], columns: yesNo, fields: shareFields },
  support: {
    part: 'anonymous',
    rows: ['line_manager_supervision', 'peer_support', 'mentoring', 'job_shadowing', 'professional_membership'],
    columns: ['used', 'intend'],
    fields: shareFields,
  },
  groups: { part: 'anonymous', rows: ['groups_involved', 'groups_chaired'], columns: ['summary'], fields: ['n', 'median', 'min', 'max', 'mean'] },
};

const contractIds = Object.keys(contract);

// Tables beyond instrument.md's list, added because the report prints their figures (Section 1 ¶2, ¶7).
contract.role = share('identifiable', ['cswo', 'deputy']);
contract.registered_sw = share('identifiable', yesNo);
contract.hours_basis = share('identifiable', ['full_time', 'part_time']);

const ids = Object.keys(contract);

describe('the analysis tables of instrument.md', () => {
  it('lists 28 table ids; the catalogue has exactly those plus role, registered_sw and hours_basis, once each', () => {
    expect(contractIds).toHaveLength(28);
    expect(ids).toHaveLength(31);
    expect(tableCatalogue.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(new Set(tableCatalogue.map((s) => s.id)).size).toBe(tableCatalogue.length);
  });

  for (const [wave, definition] of [
    [WAVE_1, v1],
    [WAVE_2, v2],
  ] as const) {
    describe(`wave ${wave} (cswo-annual@${definition.version})`, () => {
      // No answers at all: every table must still be there, with every row.
      const result = buildTables(waveOf({ wave, definition }));

      it('builds every table and omits none', () => {
        expect(result.omitted).toEqual([]);
        expect(result.tables.map((t) => t.id).sort()).toEqual([...ids].sort());
        expect(result.wave).toBe(wave);
        expect(result.definition).toBe(`cswo-annual@${definition.version}`);
        expect(result.respondents).toEqual({ identifiable: 0, anonymous: 0 });
        expect(result.compare).toBeUndefined();
      });

      it.each(ids)('%s has its part, every row and column id, and the cell fields of the contract', (id) => {
        const table = tableOf(result, id);
        const expected = contract[id]!;
        expect(table.part).toBe(expected.part);
        expect(table.rows.map((r) => r.id)).toEqual(expected.rows);
        expect(table.columns.map((c) => c.id)).toEqual(expected.columns);
        expect(table.title.length).toBeGreaterThan(0);
        expect(table.note.length).toBeGreaterThan(0);
        for (const row of table.rows) {
          expect(typeof row.id).toBe('string');
          expect(row.label.length).toBeGreaterThan(0);
          expect(Object.keys(row.cells)).toEqual(expected.columns);
          for (const column of expected.columns) {
            const cell = row.cells[column]! as unknown as Record<string, unknown>;
            for (const field of expected.fields) expect(cell).toHaveProperty(field);
            // Nobody answered: n is 0, and no value pretends to be a zero.
            expect(cell.n).toBe(0);
            for (const field of expected.fields.filter((f) => f !== 'n' && f !== 'count')) expect(cell[field]).toBeNull();
          }
        }
        expect(rowOf(table, expected.rows[0]!).compare).toBeUndefined();
      });
    });
  }
});
