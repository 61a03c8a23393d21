import { describe, expect, it } from 'vitest';
import { buildTables } from '../../analysis/index.js';
import { countsOf, expectShare, shareCell, tableOf, v1, waveOf, WAVE_1 } from './fixtures.js';

describe('share table of a single-choice item', () => {
  // time_in_post: lt1 twice, 3_5 once, one blank; 1_2 and gt5 never chosen.
  const result = buildTables(waveOf({ identifiable: [{ time_in_post: 'lt1' }, { time_in_post: 'lt1' }, { time_in_post: '3_5' }, { role: 'cswo' }] }));
  const table = tableOf(result, 'time_in_post');

  it('has one row per option in definition order and the one column `share`', () => {
    expect(table.kind).toBe('share');
    expect(table.part).toBe('identifiable');
    expect(table.rows.map((r) => r.id)).toEqual(['lt1', '1_2', '3_5', 'gt5']);
    expect(table.rows.map((r) => r.label)).toEqual(['Less than 1 year', '1 to 2 years', '3 to 5 years', 'More than 5 years']);
    expect(table.columns).toEqual([{ id: 'share', label: 'Share' }]);
  });

  it('counts each option; n excludes the blank; pct is unrounded', () => {
    expectShare(shareCell(table, 'lt1'), 2, 3, (2 / 3) * 100);
    expectShare(shareCell(table, '3_5'), 1, 3, (1 / 3) * 100);
    // Unrounded: not 66.67 nor 67.
    expect(shareCell(table, 'lt1').pct).toBe((2 / 3) * 100);
    expect(shareCell(table, 'lt1').pct).not.toBe(67);
  });

  it('keeps a never-chosen option as a row with count 0 and pct 0', () => {
    expectShare(shareCell(table, '1_2'), 0, 3, 0);
    expectShare(shareCell(table, 'gt5'), 0, 3, 0);
  });

  it('gives each share its Wilson interval around the percentage', () => {
    const ci = shareCell(table, 'lt1').ci!;
    // 2 of 3: Wilson 95 % interval 20.77 % to 93.85 %.
    expect(ci.low).toBeCloseTo(20.766, 3);
    expect(ci.high).toBeCloseTo(93.851, 3);
    expect(shareCell(table, 'gt5').ci!.low).toBe(0);
    expect(shareCell(table, 'gt5').ci!.high).toBeCloseTo(56.15, 3);
  });

  it('reports n = 0 as pct null and ci null, with count 0, when nobody answered', () => {
    for (const row of tableOf(result, 'urban_rural').rows) expectShare(shareCell(tableOf(result, 'urban_rural'), row.id), 0, 0, null);
    expect(tableOf(result, 'urban_rural').rows).toHaveLength(6);
  });

  it('is the same table with no responses at all: every option, n 0, pct null', () => {
    const empty = tableOf(buildTables(waveOf({})), 'salary_band');
    expect(empty.rows.map((r) => r.id)).toEqual(['lt70k', '70_79k', '80_89k', '90_99k', '100k_plus']);
    for (const row of empty.rows) expectShare(shareCell(empty, row.id), 0, 0, null);
  });

  it('reads only its own part: a part-two table ignores part-one respondents', () => {
    const anonymousOnly = buildTables(waveOf({ identifiable: [{ contract: 'acting' }], anonymous: [{ induction: 'no' }, { induction: 'no' }, {}] }));
    expect(countsOf(tableOf(anonymousOnly, 'induction'))).toEqual({ yes: [0, 2], no: [2, 2] });
    expect(countsOf(tableOf(anonymousOnly, 'contract'))).toEqual({ permanent: [0, 1], acting: [1, 1], temporary: [0, 1] });
    expect(anonymousOnly.respondents).toEqual({ identifiable: 1, anonymous: 3 });
  });
});

describe('share table of a rating item', () => {
  const result = buildTables(
    waveOf({
      anonymous: [
        { peer_support_likelihood: 5 },
        { peer_support_likelihood: 5 },
        { peer_support_likelihood: 4 },
        { peer_support_likelihood: 1 },
        { induction: 'yes' },
      ],
    }),
  );
  const table = tableOf(result, 'peer_support_likelihood');

  it('has rows "1" to "5" as strings, labelled with the scale ends', () => {
    expect(table.rows.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
    for (const row of table.rows) expect(typeof row.id).toBe('string');
    expect(table.rows[0]!.label).toBe('1 (least likely)');
    expect(table.rows[2]!.label).toBe('3');
    expect(table.rows[4]!.label).toBe('5 (most likely)');
  });

  it('counts each rating point over those who rated', () => {
    expect(countsOf(table)).toEqual({ '1': [1, 4], '2': [0, 4], '3': [0, 4], '4': [1, 4], '5': [2, 4] });
    expectShare(shareCell(table, '5'), 2, 4, 50);
    expectShare(shareCell(table, '4'), 1, 4, 25);
    expectShare(shareCell(table, '3'), 0, 4, 0);
  });
});

describe('share table of a multiple-choice item', () => {
  // pq_awards: four answered (one ticking nothing), one did not answer at all.
  const result = buildTables(
    waveOf({
      identifiable: [{ pq_awards: ['pq1', 'mho'] }, { pq_awards: ['mho'] }, { pq_awards: ['mho', 'phd', 'other'] }, { pq_awards: [] }, { role: 'deputy' }],
    }),
  );
  const table = tableOf(result, 'pq_awards');

  it('has every option as a row, in definition order', () => {
    expect(table.rows.map((r) => r.id)).toEqual([
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
    ]);
  });

  it('counts respondents who answered in n, including the one who ticked nothing, but not the one who skipped it', () => {
    for (const row of table.rows) expect(shareCell(table, row.id).n).toBe(4);
  });

  it('counts how often each option was chosen; shares need not sum to 100', () => {
    expectShare(shareCell(table, 'mho'), 3, 4, 75);
    expectShare(shareCell(table, 'pq1'), 1, 4, 25);
    expectShare(shareCell(table, 'phd'), 1, 4, 25);
    expectShare(shareCell(table, 'other'), 1, 4, 25);
    expectShare(shareCell(table, 'masters'), 0, 4, 0);
    const total = table.rows.reduce((s, r) => s + shareCell(table, r.id).pct!, 0);
    expect(total).toBe(150);
  });

  it('has n = 1 and pct 0 everywhere when the only answer is an empty list', () => {
    const onlyEmpty = tableOf(buildTables(waveOf({ anonymous: [{ resources: [] }, { induction: 'yes' }] })), 'resources');
    expect(onlyEmpty.rows).toHaveLength(7);
    for (const row of onlyEmpty.rows) expectShare(shareCell(onlyEmpty, row.id), 0, 1, 0);
  });

  it('works the same in wave 2020-01 with its own definition', () => {
    const old = tableOf(
      buildTables(waveOf({ wave: WAVE_1, definition: v1, anonymous: [{ resources: ['solace', 'reading'] }, { resources: ['reading'] }] })),
      'resources',
    );
    expect(countsOf(old)).toEqual({
      service_users: [0, 2],
      conferences: [0, 2],
      solace: [1, 2],
      resilience: [0, 2],
      sssk: [0, 2],
      reading: [2, 2],
      research: [0, 2],
    });
  });
});
