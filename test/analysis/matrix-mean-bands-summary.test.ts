import { describe, expect, it } from 'vitest';
import { buildTables } from '../../analysis/index.js';
import { expectShare, meanCell, rowOf, shareCell, summaryCell, tableOf, waveOf } from './fixtures.js';

const areaIds = [
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

describe('matrix-share table (portfolio)', () => {
  const result = buildTables(
    waveOf({
      identifiable: [
        { portfolio: { children_sw: 'all', adult_sw: 'all', homelessness: 'none' } },
        { portfolio: { children_sw: 'part', adult_sw: 'all' } },
        { portfolio: { children_sw: 'all', adult_sw: 'none' } },
        { portfolio: { children_sw: 'none' } },
        { role: 'cswo' },
      ],
    }),
  );
  const table = tableOf(result, 'portfolio');

  it('has one row per matrix row and the columns all, part, none', () => {
    expect(table.kind).toBe('matrix-share');
    expect(table.rows.map((r) => r.id)).toEqual([
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
    ]);
    expect(table.columns.map((c) => c.id)).toEqual(['all', 'part', 'none']);
    for (const row of table.rows) expect(Object.keys(row.cells)).toEqual(['all', 'part', 'none']);
  });

  it('gives each row its own n: the respondents who answered that row', () => {
    expectShare(shareCell(table, 'children_sw', 'all'), 2, 4, 50);
    expectShare(shareCell(table, 'children_sw', 'part'), 1, 4, 25);
    expectShare(shareCell(table, 'children_sw', 'none'), 1, 4, 25);
    expectShare(shareCell(table, 'adult_sw', 'all'), 2, 3, (2 / 3) * 100);
    expectShare(shareCell(table, 'adult_sw', 'part'), 0, 3, 0);
    expectShare(shareCell(table, 'adult_sw', 'none'), 1, 3, (1 / 3) * 100);
    expectShare(shareCell(table, 'homelessness', 'none'), 1, 1, 100);
    expectShare(shareCell(table, 'homelessness', 'all'), 0, 1, 0);
  });

  it('excludes blank rows: a row nobody answered has n 0 and pct null in every column', () => {
    for (const column of ['all', 'part', 'none']) expectShare(shareCell(table, 'welfare_rights', column), 0, 0, null);
  });

  it('builds direct_access (yes/no) and support (used/intend) the same way', () => {
    const other = buildTables(
      waveOf({
        anonymous: [
          { direct_access: { chief_executive: 'yes', ijb_chair: 'no' }, support: { mentoring: 'used' } },
          { direct_access: { chief_executive: 'yes' }, support: { mentoring: 'intend', peer_support: 'used' } },
          { direct_access: { chief_executive: 'no' } },
        ],
      }),
    );
    const access = tableOf(other, 'direct_access');
    expect(access.columns.map((c) => c.id)).toEqual(['yes', 'no']);
    expect(access.rows.map((r) => r.id)).toEqual(['chief_executive', 'council_leader', 'ijb_chair', 'ijb_chief_officer']);
    expectShare(shareCell(access, 'chief_executive', 'yes'), 2, 3, (2 / 3) * 100);
    expectShare(shareCell(access, 'ijb_chair', 'no'), 1, 1, 100);
    expectShare(shareCell(access, 'council_leader', 'yes'), 0, 0, null);
    const support = tableOf(other, 'support');
    expect(support.columns.map((c) => c.id)).toEqual(['used', 'intend']);
    expect(support.rows.map((r) => r.id)).toEqual(['line_manager_supervision', 'peer_support', 'mentoring', 'job_shadowing', 'professional_membership']);
    expectShare(shareCell(support, 'mentoring', 'used'), 1, 2, 50);
    expectShare(shareCell(support, 'mentoring', 'intend'), 1, 2, 50);
    expectShare(shareCell(support, 'peer_support', 'used'), 1, 1, 100);
  });
});

describe('mean table (time_share)', () => {
  const result = buildTables(
    waveOf({
      anonymous: [
        { time_share: { children: 40, adults: 30, budgets: 5 } },
        { time_share: { children: 10, adults: 60 } },
        { time_share: { children: 25 } },
        // Totals above 100 are allowed and averaged as given.
        { time_share: { adults: 100, sds: 50 } },
        { induction: 'no' },
      ],
    }),
  );
  const table = tableOf(result, 'time_share');

  it('has one row per area and the column mean, labelled with the unit', () => {
    expect(table.kind).toBe('mean');
    expect(table.rows.map((r) => r.id)).toEqual(areaIds);
    expect(table.columns).toEqual([{ id: 'mean', label: 'Average (%)' }]);
  });

  it('averages each row over those who gave it a value', () => {
    expect(meanCell(table, 'children')).toMatchObject({ n: 3, mean: 25 });
    expect(meanCell(table, 'adults').n).toBe(3);
    expect(meanCell(table, 'adults').mean).toBeCloseTo(190 / 3, 10);
    expect(meanCell(table, 'budgets')).toMatchObject({ n: 1, mean: 5, sd: null });
    expect(meanCell(table, 'sds')).toMatchObject({ n: 1, mean: 50 });
    // Sample standard deviation of 40, 10, 25.
    expect(meanCell(table, 'children').sd).toBeCloseTo(15, 10);
  });

  it('gives a row nobody answered mean null and n 0', () => {
    expect(meanCell(table, 'inspection_audit')).toEqual({ n: 0, mean: null, sd: null });
    expect(meanCell(table, 'ijb')).toEqual({ n: 0, mean: null, sd: null });
  });

  it('counts an answer of 0 as a value, not as a blank', () => {
    const zero = tableOf(buildTables(waveOf({ anonymous: [{ time_share: { health: 0 } }, { time_share: { health: 20 } }] })), 'time_share');
    expect(meanCell(zero, 'health')).toMatchObject({ n: 2, mean: 10 });
  });
});

describe('rating-bands table (pressure)', () => {
  const result = buildTables(
    waveOf({
      anonymous: [
        { pressure: { children: 1, adults: 3, budgets: 5 } },
        { pressure: { children: 2, adults: 3, budgets: 4 } },
        { pressure: { children: 3, adults: 3, budgets: 5 } },
        { pressure: { children: 4, budgets: 2 } },
        { pressure: { children: 5 } },
        { induction: 'yes' },
      ],
    }),
  );
  const table = tableOf(result, 'pressure');

  it('has one row per area and the columns low (1-2) and high (4-5)', () => {
    expect(table.kind).toBe('rating-bands');
    expect(table.rows.map((r) => r.id)).toEqual(areaIds);
    expect(table.columns).toEqual([
      { id: 'low', label: 'Lowest (1-2)' },
      { id: 'high', label: 'Highest (4-5)' },
    ]);
  });

  it('bands 1-2 as low and 4-5 as high; a 3 counts only in n', () => {
    // children: 1, 2 low; 4, 5 high; 3 in n only.
    expectShare(shareCell(table, 'children', 'low'), 2, 5, 40);
    expectShare(shareCell(table, 'children', 'high'), 2, 5, 40);
    // adults: three 3s.
    expectShare(shareCell(table, 'adults', 'low'), 0, 3, 0);
    expectShare(shareCell(table, 'adults', 'high'), 0, 3, 0);
    // budgets: 5, 4, 5 high; 2 low.
    expectShare(shareCell(table, 'budgets', 'low'), 1, 4, 25);
    expectShare(shareCell(table, 'budgets', 'high'), 3, 4, 75);
  });

  it('gives an unrated area n 0 and null shares', () => {
    expectShare(shareCell(table, 'health', 'low'), 0, 0, null);
    expectShare(shareCell(table, 'health', 'high'), 0, 0, null);
  });
});

describe('number-summary table (groups)', () => {
  const result = buildTables(
    waveOf({
      anonymous: [
        { groups_involved: 4, groups_chaired: 0 },
        { groups_involved: 12, groups_chaired: 3 },
        { groups_involved: 7, groups_chaired: 1 },
        { groups_involved: 9 },
        { induction: 'no' },
      ],
    }),
  );
  const table = tableOf(result, 'groups');

  it('has the rows groups_involved and groups_chaired and the column summary', () => {
    expect(table.kind).toBe('number-summary');
    expect(table.rows.map((r) => r.id)).toEqual(['groups_involved', 'groups_chaired']);
    expect(table.columns.map((c) => c.id)).toEqual(['summary']);
  });

  it('takes the mean of the middle two as the median of an even count', () => {
    // 4, 7, 9, 12: median (7 + 9) / 2 = 8.
    expect(summaryCell(table, 'groups_involved')).toEqual({ n: 4, median: 8, min: 4, max: 12, mean: 8 });
  });

  it('summarises an odd count, counting 0 as a value', () => {
    // 0, 1, 3.
    const chaired = summaryCell(table, 'groups_chaired');
    expect(chaired).toMatchObject({ n: 3, median: 1, min: 0, max: 3 });
    expect(chaired.mean).toBeCloseTo(4 / 3, 10);
  });

  it('gives nulls and n 0 when nobody gave a number', () => {
    const empty = tableOf(buildTables(waveOf({ anonymous: [{ induction: 'no' }] })), 'groups');
    expect(summaryCell(empty, 'groups_involved')).toEqual({ n: 0, median: null, min: null, max: null, mean: null });
    expect(rowOf(empty, 'groups_chaired').label).toBe('How many of those do you chair?');
  });

  it('uses an even-count median that is not a data value', () => {
    const even = tableOf(
      buildTables(waveOf({ anonymous: [{ groups_involved: 1 }, { groups_involved: 2 }, { groups_involved: 10 }, { groups_involved: 20 }] })),
      'groups',
    );
    expect(summaryCell(even, 'groups_involved')).toMatchObject({ n: 4, median: 6, min: 1, max: 20, mean: 8.25 });
  });
});
