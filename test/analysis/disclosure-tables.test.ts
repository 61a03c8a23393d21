import { describe, expect, it } from 'vitest';
import {
  buildTables,
  linkedGroups,
  protectTable,
  protectTables,
  suppressGroup,
  type AnalysisTable,
  type Cell,
  type ProtectedCell,
  type ProtectedTable,
  type ProtectedWaveTables,
  type ShareCell,
  type WaveResponses,
  type WaveTables,
} from '../../analysis/index.js';
import { allItems, defineSurvey, type SurveyDefinition } from '../../survey-definitions/index.js';
import { audit } from './disclosure-attacker.js';
import { bundledWave, randomWave } from './disclosure-data.js';
import { tableOf, v1, v2, waveOf, WAVE_1, WAVE_2 } from './fixtures.js';

/** `count` respondents giving each value in turn, then blanks up to `total`. */
const column = (counts: readonly (readonly [unknown, number])[], total: number): unknown[] => {
  const values = counts.flatMap(([value, count]) => Array.from({ length: count }, () => value));
  if (values.length > total) throw new Error('more values than respondents');
  return [...values, ...Array.from({ length: total - values.length }, () => undefined)];
};

/** Rows of answers from columns of values, one column per item (undefined: blank). */
const rowsOf = (columns: Record<string, unknown[]>, total: number): Record<string, unknown>[] =>
  Array.from({ length: total }, (_, i) =>
    Object.fromEntries(Object.entries(columns).flatMap(([id, values]) => (values[i] === undefined ? [] : [[id, values[i]]]))),
  );

const matrix = (rows: Record<string, unknown[]>, total: number): unknown[] =>
  Array.from({ length: total }, (_, i) => {
    const answer = Object.fromEntries(Object.entries(rows).flatMap(([row, values]) => (values[i] === undefined ? [] : [[row, values[i]]])));
    return Object.keys(answer).length === 0 ? undefined : answer;
  });

const N = 21;
/** Part two of 21 respondents, made to hit each rule once. */
const partTwo = (
  adminSupport: readonly (readonly [string, number])[] = [
    ['dedicated', 10],
    ['shared', 9],
    ['none', 2],
  ],
) =>
  rowsOf(
    {
      // 10, 9, 2 of 21: the brief's case.
      admin_support: column(adminSupport, N),
      // A lone zero: the smallest other count (lt10, 5) is suppressed with it.
      extra_hours_band: column(
        [
          ['lt10', 5],
          ['10_20', 10],
          ['gt20', 6],
        ],
        N,
      ),
      // Multiple choice: 1 and 20 of 21 (and 0 of 21) are small cells, but nothing adds up to n.
      resources: Array.from({ length: N }, (_, i) => [...(i < 1 ? ['service_users'] : []), ...(i < 20 ? ['conferences'] : []), ...(i < 10 ? ['reading'] : [])]),
      // Rating 1-5: nobody chose 1 (a lone zero), 2 and 5 tie as the smallest others.
      peer_support_likelihood: column(
        [
          [2, 3],
          [3, 8],
          [4, 7],
          [5, 3],
        ],
        N,
      ),
      // children: low 12, middle 1, high 8: the middle band, n - low - high, is one respondent.
      pressure: matrix(
        {
          children: column(
            [
              [1, 6],
              [2, 6],
              [3, 1],
              [4, 4],
              [5, 4],
            ],
            N,
          ),
          adults: column(
            [
              [1, 3],
              [2, 3],
              [3, 6],
              [4, 4],
              [5, 5],
            ],
            N,
          ),
        },
        N,
      ),
      time_share: matrix(
        {
          children: column(
            [
              [40, 1],
              [50, 1],
            ],
            N,
          ),
          adults: column(
            [
              [10, 1],
              [20, 1],
              [30, 1],
            ],
            N,
          ),
        },
        N,
      ),
      groups_involved: Array.from({ length: N }, (_, i) => i + 1),
      groups_chaired: column(
        [
          [3, 1],
          [9, 1],
        ],
        N,
      ),
      direct_access: matrix(
        {
          chief_executive: column(
            [
              ['yes', 20],
              ['no', 1],
            ],
            N,
          ),
          council_leader: column(
            [
              ['yes', 11],
              ['no', 10],
            ],
            N,
          ),
        },
        N,
      ),
    },
    N,
  );

const earlier = waveOf({
  wave: WAVE_1,
  anonymous: rowsOf(
    {
      admin_support: column(
        [
          ['dedicated', 12],
          ['shared', 12],
          ['none', 3],
        ],
        27,
      ),
      induction: column(
        [
          ['yes', 25],
          ['no', 2],
        ],
        27,
      ),
    },
    27,
  ),
});
const current = waveOf({ wave: WAVE_2, anonymous: partTwo() });

const publicTables = protectTables(buildTables(current, earlier));
const analystTables = protectTables(buildTables(current, earlier), { mode: 'analyst' });

const table = (result: ProtectedWaveTables, id: string): ProtectedTable => tableOf(result as unknown as WaveTables, id) as unknown as ProtectedTable;
const cell = (result: ProtectedWaveTables, id: string, row: string, column = 'share') => {
  const found = table(result, id).rows.find((r) => r.id === row)?.cells[column];
  if (!found) throw new Error(`no cell ${id}/${row}/${column}`);
  return found as ProtectedCell & Record<string, unknown>;
};
const counts = (result: ProtectedWaveTables, id: string, column = 'share') =>
  Object.fromEntries(table(result, id).rows.map((r) => [r.id, (r.cells[column] as { count: number | null }).count]));

const hidden = { count: null, pct: null, ci: null, suppressed: true };

describe('public tables: primary and secondary suppression, table by table', () => {
  it('10, 9 and 2 of 21 (single choice): the 2 and the 9 are suppressed, so 21 - 10 gives only their sum', () => {
    expect(counts(publicTables, 'admin_support')).toEqual({ dedicated: 10, shared: null, none: null });
    expect(cell(publicTables, 'admin_support', 'shared')).toEqual({ n: 21, ...hidden });
    expect(cell(publicTables, 'admin_support', 'none')).toEqual({ n: 21, ...hidden });
    expect(cell(publicTables, 'admin_support', 'dedicated')).toMatchObject({ n: 21, count: 10 });
    expect(cell(publicTables, 'admin_support', 'dedicated')).not.toHaveProperty('suppressed');
  });

  it('a lone zero takes the smallest other count with it; it shows as suppressed, never as 0', () => {
    expect(counts(publicTables, 'extra_hours_band')).toEqual({ none: null, lt10: null, '10_20': 10, gt20: 6 });
    expect(cell(publicTables, 'extra_hours_band', 'none')).toEqual({ n: 21, ...hidden });
  });

  it('a rating with a lone zero takes every tied smallest count (3 and 3) with it', () => {
    expect(counts(publicTables, 'peer_support_likelihood')).toEqual({ 1: null, 2: null, 3: 8, 4: 7, 5: null });
  });

  it('multiple choice: small counts (0, 1, and 20 of 21) are suppressed, with no secondary (no total links them)', () => {
    expect(counts(analystTables, 'resources')).toEqual({ service_users: 1, conferences: 20, solace: 0, resilience: 0, sssk: 0, reading: 10, research: 0 });
    expect(counts(publicTables, 'resources')).toEqual({
      service_users: null,
      conferences: null,
      solace: null,
      resilience: null,
      sssk: null,
      reading: 10,
      research: null,
    });
    const reasons = table(analystTables, 'resources').rows.map((r) => r.cells.share!.suppressed);
    expect(reasons).toEqual(['primary', 'primary', 'primary', 'primary', 'primary', undefined, 'primary']);
  });

  it('rating bands: low 12 and high 8 of 21 would give the middle band as 1, so the smaller band is suppressed', () => {
    const children = table(publicTables, 'pressure').rows.find((r) => r.id === 'children')!;
    expect(children.cells.low).toMatchObject({ n: 21, count: 12 });
    expect(children.cells.high).toEqual({ n: 21, ...hidden });
    const adults = table(publicTables, 'pressure').rows.find((r) => r.id === 'adults')!;
    expect([adults.cells.low, adults.cells.high].map((c) => (c as ShareCell).count)).toEqual([6, 9]);
  });

  it('a matrix row is its own group: 20 yes and 1 no of 21 are both suppressed; 11 and 10 are shown', () => {
    const rows = table(publicTables, 'direct_access').rows;
    const row = (id: string) => rows.find((r) => r.id === id)!;
    expect(row('chief_executive').cells).toEqual({ yes: { n: 21, ...hidden }, no: { n: 21, ...hidden } });
    expect([row('council_leader').cells.yes, row('council_leader').cells.no].map((c) => (c as ShareCell).count)).toEqual([11, 10]);
  });

  it('a mean of fewer than k answers is suppressed; of k answers it is shown', () => {
    const rows = table(publicTables, 'time_share').rows;
    expect(rows.find((r) => r.id === 'children')!.cells.mean).toEqual({ n: 2, mean: null, sd: null, suppressed: true });
    expect(rows.find((r) => r.id === 'adults')!.cells.mean).toEqual({ n: 3, mean: 20, sd: 10 });
    // Nobody answered: nothing to protect, not a suppressed cell.
    expect(rows.find((r) => r.id === 'sds')!.cells.mean).toEqual({ n: 0, mean: null, sd: null });
  });

  it('a summary of fewer than k is suppressed; otherwise its minimum and maximum (one respondent each) are withheld', () => {
    const rows = table(publicTables, 'groups').rows;
    expect(rows.find((r) => r.id === 'groups_involved')!.cells.summary).toEqual({
      n: 21,
      median: 11,
      min: null,
      max: null,
      mean: 11,
      withheld: ['min', 'max'],
    });
    expect(rows.find((r) => r.id === 'groups_chaired')!.cells.summary).toEqual({ n: 2, median: null, min: null, max: null, mean: null, suppressed: true });
    const analyst = table(analystTables, 'groups').rows.find((r) => r.id === 'groups_involved')!.cells.summary;
    expect(analyst).toEqual({ n: 21, median: 11, min: 1, max: 21, mean: 11, withheld: ['min', 'max'] });
  });

  it('an empty table (n = 0) has nothing to suppress', () => {
    for (const row of table(publicTables, 'induction').rows) expect(row.cells.share).toEqual({ n: 0, count: 0, pct: null, ci: null });
  });
});

describe('comparisons', () => {
  const row = (result: ProtectedWaveTables, id: string, rowId: string) => table(result, id).rows.find((r) => r.id === rowId)!;

  it('a change is suppressed when either of its cells is: no difference, p, verdict, or numbers in the statement', () => {
    const none = row(publicTables, 'admin_support', 'none');
    expect(none.change!.share).toEqual({
      difference: null,
      test: 'fisher-exact',
      p: null,
      verdict: null,
      statement: 'not shown: a figure of this comparison is suppressed to protect respondents',
      suppressed: true,
    });
    expect(row(publicTables, 'admin_support', 'dedicated').change!.share!.verdict).toBe('no evidence of change');
    expect(row(publicTables, 'admin_support', 'dedicated').change!.share).not.toHaveProperty('suppressed');
    // The compared wave's own small cell (2 of 27 said no) suppresses the change although 0 of 0 now is not.
    expect(row(publicTables, 'induction', 'no').change!.share!.suppressed).toBe(true);
  });

  it("the compared wave's cells are suppressed exactly as that wave's own tables suppress them", () => {
    // 12, 12, 3 of 27 in 2020-01: nothing small, so shown, even where the 2020-06 cell is suppressed.
    expect(row(publicTables, 'admin_support', 'none').compare!.share).toMatchObject({ n: 27, count: 3 });
    const own = protectTables(buildTables(earlier));
    for (const t of publicTables.tables) {
      const alone = own.tables.find((o) => o.id === t.id)!;
      for (const r of t.rows) {
        if (!r.compare) continue;
        const ownRow = alone.rows.find((o) => o.id === r.id)!;
        for (const [columnId, c] of Object.entries(r.compare)) {
          // Summaries aside (the same except for the compared wave's own change), the cells are equal.
          expect(c, `${t.id}/${r.id}/${columnId}`).toEqual(ownRow.cells[columnId]);
        }
      }
    }
    expect(row(publicTables, 'induction', 'no').compare!.share).toEqual({ n: 27, ...hidden });
  });

  it('mean and summary changes follow their cells', () => {
    const rows = table(publicTables, 'time_share').rows;
    expect(rows.find((r) => r.id === 'children')!.change?.mean?.suppressed).toBe(true);
  });
});

describe('what a public table lets out', () => {
  it('says suppressed, never why, and its JSON holds no count, percentage, interval or statistic of a suppressed cell', () => {
    const json = JSON.stringify(publicTables);
    expect(json).not.toMatch(/"primary"|"secondary"/);
    expect(publicTables.disclosure).toEqual({ mode: 'public', k: 3, suppressedCells: expect.any(Number), note: expect.stringContaining('not zero') });
    expect(publicTables.disclosure).not.toHaveProperty('primary');
    let suppressed = 0;
    const valueFields = ['count', 'pct', 'ci', 'mean', 'sd', 'median', 'min', 'max', 'difference', 'p', 'verdict'];
    for (const t of publicTables.tables) {
      for (const r of t.rows) {
        for (const cells of [r.cells, r.compare ?? {}, r.change ?? {}]) {
          for (const c of Object.values(cells) as Record<string, unknown>[]) {
            if (c.suppressed === undefined) continue;
            suppressed++;
            expect(c.suppressed).toBe(true);
            for (const field of valueFields) if (field in c) expect(c[field], field).toBeNull();
          }
        }
      }
    }
    expect(suppressed).toBe(publicTables.disclosure.suppressedCells);
    expect(suppressed).toBeGreaterThan(20);
  });

  it('is the same, byte for byte, whichever way the hidden values lie: 10, 9, 2 and 10, 2, 9 publish identical JSON', () => {
    const swapped = waveOf({
      wave: WAVE_2,
      anonymous: partTwo([
        ['dedicated', 10],
        ['shared', 2],
        ['none', 9],
      ]),
    });
    const a = JSON.stringify(protectTables(buildTables(current, earlier)));
    const b = JSON.stringify(protectTables(buildTables(swapped, earlier)));
    expect(b).toBe(a);
    // ...whereas the analyst tables, which keep the values, do differ.
    expect(JSON.stringify(protectTables(buildTables(swapped, earlier), { mode: 'analyst' }))).not.toBe(JSON.stringify(analystTables));
  });

  it('in analyst mode keeps every value and marks the reason', () => {
    expect(cell(analystTables, 'admin_support', 'shared')).toMatchObject({ n: 21, count: 9, suppressed: 'secondary' });
    expect(cell(analystTables, 'admin_support', 'none')).toMatchObject({ n: 21, count: 2, suppressed: 'primary' });
    expect(analystTables.disclosure).toMatchObject({ mode: 'analyst', k: 3, note: expect.stringContaining('do not publish') });
    expect(analystTables.disclosure.primary! + analystTables.disclosure.secondary!).toBe(analystTables.disclosure.suppressedCells);
    expect(analystTables.disclosure.suppressedCells).toBe(publicTables.disclosure.suppressedCells);
  });

  it('takes k as an option: with k = 2 the 2 of 21 is shown', () => {
    expect(counts(protectTables(buildTables(current), { k: 2 }), 'admin_support')).toEqual({ dedicated: 10, shared: 9, none: 2 });
    expect(() => protectTables(buildTables(current), { k: 0 })).toThrow(/k must be a whole number/);
  });

  it('protects one table given its definition, and refuses tables of an unknown definition', () => {
    const built = tableOf(buildTables(current), 'admin_support');
    expect(protectTable(built, { definition: v2 }).rows.map((r) => (r.cells.share as { count: number | null }).count)).toEqual([10, null, null]);
    expect(() => protectTables({ ...buildTables(current), definition: 'cswo-annual@99' })).toThrow(/cswo-annual@99 is unknown/);
  });
});

describe('which cells a reader can add up (linkedGroups)', () => {
  const built = buildTables(current);
  const groups = (id: string) => linkedGroups(tableOf(built, id), v2).map((g) => ({ rest: g.rest, cells: g.cells.map((c) => `${c.row}/${c.column}`) }));

  it('a single choice or a rating: all options, summing to n', () => {
    expect(groups('admin_support')).toEqual([{ rest: 'none', cells: ['dedicated/share', 'shared/share', 'none/share'] }]);
    expect(groups('peer_support_likelihood')).toEqual([{ rest: 'none', cells: ['1/share', '2/share', '3/share', '4/share', '5/share'] }]);
  });

  it('a matrix: each row; rating bands: each row with the never-shown middle; multiple choice and statistics: none', () => {
    expect(groups('direct_access')[0]).toEqual({ rest: 'none', cells: ['chief_executive/yes', 'chief_executive/no'] });
    expect(groups('direct_access')).toHaveLength(4);
    expect(groups('pressure')[0]).toEqual({ rest: 'structural', cells: ['children/low', 'children/high'] });
    expect(groups('resources')).toEqual([]);
    expect(groups('time_share')).toEqual([]);
    expect(groups('groups')).toEqual([]);
  });

  it('a compared wave whose item had an option this view lacks: its cells are all suppressed, being only part of its own table', () => {
    const input = JSON.parse(JSON.stringify(v1)) as { id: string; parts: { sections: { items: { id: string; options?: unknown[] }[] }[] }[] };
    input.id = 'cswo-test';
    const item = input.parts.flatMap((p) => p.sections.flatMap((x) => x.items)).find((i) => i.id === 'admin_support')!;
    item.options = [...item.options!, { code: 'agency', label: 'Agency support' }];
    const wider = defineSurvey(input);
    const before = waveOf({
      wave: WAVE_1,
      definition: wider,
      anonymous: rowsOf(
        {
          admin_support: column(
            [
              ['dedicated', 12],
              ['shared', 10],
              ['none', 3],
              ['agency', 2],
            ],
            27,
          ),
        },
        27,
      ),
    });
    const raw = buildTables(current, before);
    expect(linkedGroups(tableOf(raw, 'admin_support'), wider, (r) => r.compare)).toEqual([
      { rest: 'missing', cells: ['dedicated', 'shared', 'none'].map((row) => ({ row, column: 'share' })) },
    ]);
    const result = protectTables(raw, { definitions: [v2, wider], mode: 'analyst' });
    const compared = table(result, 'admin_support').rows.map((r) => r.compare!.share!.suppressed);
    expect(compared).toEqual(['secondary', 'secondary', 'secondary']);
  });
});

// ---------------------------------------------------------------------------------- the catalogue

/** The linkage of the catalogue, written out here from the instrument, independently of the module. */
const testGroups = (t: AnalysisTable, definition: SurveyDefinition, cellsOf: (r: AnalysisTable['rows'][number]) => Record<string, Cell> | undefined) => {
  const item = allItems(definition).find((i) => i.id === t.items[0]);
  const of = (rows: AnalysisTable['rows'], columns: readonly string[]) =>
    rows.flatMap((r) => columns.flatMap((c) => (cellsOf(r)?.[c] ? [{ row: r.id, column: c, cell: cellsOf(r)![c] as ShareCell }] : [])));
  if (t.kind === 'share' && (item?.kind === 'single' || item?.kind === 'rating')) return [{ cells: of(t.rows, ['share']), remainder: false }];
  if (t.kind === 'matrix-share')
    return t.rows.map((r) => ({
      cells: of(
        [r],
        t.columns.map((c) => c.id),
      ),
      remainder: false,
    }));
  if (t.kind === 'rating-bands') return t.rows.map((r) => ({ cells: of([r], ['low', 'high']), remainder: true }));
  return [];
};

const sensitive = (c: ShareCell, k: number) => c.n > 0 && (c.count < k || c.n - c.count < k);

/** Every check of a protected result against the unprotected tables it came from. */
const problemsOf = (
  raw: WaveTables,
  protectedTables: ProtectedWaveTables,
  definitions: { now: SurveyDefinition; before?: SurveyDefinition },
  k = 3,
): string[] => {
  const problems: string[] = [];
  for (const t of raw.tables) {
    const p = protectedTables.tables.find((x) => x.id === t.id)!;
    const sides = [
      {
        name: 'cells',
        definition: definitions.now,
        rawOf: (r: AnalysisTable['rows'][number]) => r.cells,
        protOf: (id: string) => p.rows.find((x) => x.id === id)!.cells,
      },
      ...(definitions.before
        ? [
            {
              name: 'compare',
              definition: definitions.before,
              rawOf: (r: AnalysisTable['rows'][number]) => r.compare,
              protOf: (id: string) => p.rows.find((x) => x.id === id)!.compare,
            },
          ]
        : []),
    ];
    for (const side of sides) {
      const isHidden = (row: string, column: string) => side.protOf(row)?.[column]?.suppressed !== undefined;
      for (const group of testGroups(t, side.definition, side.rawOf as never)) {
        if (group.cells.length === 0) continue;
        const n = group.cells[0]!.cell.n;
        const values = group.cells.map((c) => c.cell.count);
        const flags = group.cells.map((c) => isHidden(c.row, c.column));
        const informed =
          flags.filter(Boolean).length <= 4
            ? (cs: readonly number[], nn: number, rem: boolean) => suppressGroup({ counts: cs, n: nn, remainder: rem }, k)
            : undefined;
        problems.push(...audit(values, n, group.remainder, flags, k, informed).map((x) => `${t.id} ${side.name}: ${x}`));
      }
      for (const r of t.rows) {
        for (const [columnId, c] of Object.entries(side.rawOf(r) ?? {})) {
          const prot = side.protOf(r.id)?.[columnId] as Record<string, unknown> | undefined;
          const where = `${t.id}/${r.id}/${columnId} (${side.name})`;
          const mustHide = 'count' in c ? sensitive(c, k) : c.n > 0 && c.n < k;
          if (mustHide && prot?.suppressed === undefined) problems.push(`${where}: a small cell is shown`);
          if (prot?.suppressed !== undefined && Object.entries(prot).some(([f, v]) => f !== 'n' && f !== 'suppressed' && v !== null))
            problems.push(`${where}: a suppressed cell keeps a value`);
          if ('min' in c && prot && (prot.min !== null || prot.max !== null)) problems.push(`${where}: a minimum or maximum is shown`);
          if (prot?.suppressed === undefined && 'count' in c && prot?.count !== c.count) problems.push(`${where}: a shown count changed`);
        }
      }
    }
    for (const r of t.rows) {
      for (const columnId of Object.keys(r.change ?? {})) {
        const pr = p.rows.find((x) => x.id === r.id)!;
        const either = pr.cells[columnId]?.suppressed !== undefined || pr.compare?.[columnId]?.suppressed !== undefined;
        if (either !== (pr.change![columnId]!.suppressed !== undefined))
          problems.push(`${t.id}/${r.id}/${columnId}: change suppression does not follow its cells`);
      }
    }
  }
  return problems;
};

describe('property: every table of the catalogue, on random waves and on the bundled 2020 data', () => {
  it('for 12 random pairs of waves (11-27 respondents, every item, skewed to small cells)', () => {
    const problems: string[] = [];
    let suppressed = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const now = randomWave(seed, WAVE_2);
      const before = randomWave(seed + 100, WAVE_1);
      const raw = buildTables(now, before);
      const result = protectTables(raw);
      suppressed += result.disclosure.suppressedCells;
      problems.push(...problemsOf(raw, result, { now: v2, before: v1 }).map((p) => `seed ${seed}: ${p}`));
    }
    expect(suppressed).toBeGreaterThan(500);
    expect(problems.slice(0, 8)).toEqual([]);
  });

  it('with k = 5 too', () => {
    const raw = buildTables(randomWave(77, WAVE_2), randomWave(78, WAVE_1));
    expect(problemsOf(raw, protectTables(raw, { k: 5 }), { now: v2, before: v1 }, 5).slice(0, 8)).toEqual([]);
  });

  it('for the bundled 2020-06 data compared with 2020-01', () => {
    const now: WaveResponses = bundledWave(WAVE_2);
    const raw = buildTables(now, bundledWave(WAVE_1));
    const result = protectTables(raw);
    expect(problemsOf(raw, result, { now: v2, before: v1 })).toEqual([]);
    // 2020-06 admin support: 9 dedicated, 7 shared, 1 none of 17.
    expect(counts(protectTables(raw, { mode: 'analyst' }), 'admin_support')).toEqual({ dedicated: 9, shared: 7, none: 1 });
    expect(counts(result, 'admin_support')).toEqual({ dedicated: 9, shared: null, none: null });
  });
});
