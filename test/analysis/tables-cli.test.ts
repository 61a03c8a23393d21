import { runCliInMemory } from '../support/cli-in-memory.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fisherExact } from '../../analysis/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

const cli = (cwd: string, argv: readonly string[]) => runCliInMemory(cwd, argv);

const files: Record<string, string> = {
  // 2020-06 part one: highland leaves pq_awards blank; angus ticked none.
  'w2-part1.csv': [
    'local_authority,time_in_post,urban_rural,pq_awards.pq1,pq_awards.mho,portfolio.children_sw,portfolio.adult_sw',
    'fife,lt1,large_urban,1,1,all,part',
    'angus,lt1,,0,0,part,',
    'highland,3_5,remote_rural,,,all,all',
  ].join('\r\n'),
  'w2-part2.csv': [
    'groups_involved,groups_chaired,induction,pressure.children,time_share.children,resources.reading,resources.solace',
    '4,1,yes,5,40,1,0',
    '7,,yes,4,20,0,0',
    ',,no,3,,,',
    '9,2,,1,30,1,1',
  ].join('\r\n'),
  'w1-part1.csv': ['local_authority,time_in_post', 'fife,gt5', 'angus,lt1'].join('\r\n'),
  'w1-part2.csv': ['groups_involved,induction', '2,no', '3,no'].join('\n'),
};

/** A temp directory with a data dir holding both waves, imported through the CLI. */
const populated = async () => {
  const dir = tempDir('cswo-tables-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), `${content}\r\n`);
  const data = join(dir, 'data');
  for (const [wave, part, file, rows] of [
    ['2020-06', 'identifiable', 'w2-part1.csv', 3],
    ['2020-06', 'anonymous', 'w2-part2.csv', 4],
    ['2020-01', 'identifiable', 'w1-part1.csv', 2],
    ['2020-01', 'anonymous', 'w1-part2.csv', 2],
  ] as const) {
    const result = await cli(dir, ['import', '--data', data, '--wave', wave, '--part', part, file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`imported ${rows} rows into wave ${wave}, ${part} part`);
  }
  return { dir, data };
};

interface JsonCell {
  n: number;
  count?: number;
  pct?: number | null;
  mean?: number | null;
  median?: number | null;
  min?: number | null;
  max?: number | null;
}
interface JsonTables {
  wave: string;
  definition: string;
  respondents: { identifiable: number; anonymous: number };
  compare?: { wave: string; definition: string; respondents: { identifiable: number; anonymous: number } };
  omitted: unknown[];
  tables: {
    id: string;
    title: string;
    part: string;
    compareWave?: string;
    rows: {
      id: string;
      label: string;
      cells: Record<string, JsonCell>;
      compare?: Record<string, JsonCell>;
      change?: Record<string, { difference: number | null; test: string; p: number | null; verdict: string; statement: string }>;
    }[];
  }[];
}

const rowOf = (result: JsonTables, table: string, row: string) => {
  const t = result.tables.find((x) => x.id === table);
  const r = t?.rows.find((x) => x.id === row);
  if (!r) throw new Error(`no ${table}/${row}`);
  return r;
};

describe('cli tables', () => {
  it('prints every table of a wave as JSON with the expected counts', async () => {
    const { dir, data } = await populated();
    const result = await cli(dir, ['tables', '--data', data, '--wave', '2020-06', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as JsonTables;
    expect(json.wave).toBe('2020-06');
    expect(json.definition).toBe('cswo-annual@2');
    expect(json.respondents).toEqual({ identifiable: 3, anonymous: 4 });
    expect(json.compare).toBeUndefined();
    expect(json.omitted).toEqual([]);
    expect(json.tables).toHaveLength(31);
    for (const table of json.tables) {
      expect(Object.keys(table)).toEqual(expect.arrayContaining(['id', 'title', 'part', 'rows']));
      for (const row of table.rows) {
        expect(Object.keys(row)).toEqual(['id', 'label', 'cells']);
        expect(typeof row.id).toBe('string');
      }
    }

    expect(rowOf(json, 'time_in_post', 'lt1').cells.share).toMatchObject({ count: 2, n: 3, pct: (2 / 3) * 100 });
    expect(rowOf(json, 'time_in_post', 'gt5').cells.share).toMatchObject({ count: 0, n: 3, pct: 0 });
    expect(rowOf(json, 'urban_rural', 'remote_rural').cells.share).toMatchObject({ count: 1, n: 2, pct: 50 });
    // pq_awards: highland left every pq_awards.* cell blank (not in n); angus ticked none (in n).
    expect(rowOf(json, 'pq_awards', 'pq1').cells.share).toMatchObject({ count: 1, n: 2, pct: 50 });
    expect(rowOf(json, 'pq_awards', 'phd').cells.share).toMatchObject({ count: 0, n: 2, pct: 0 });
    expect(rowOf(json, 'portfolio', 'children_sw').cells).toMatchObject({ all: { count: 2, n: 3 }, part: { count: 1, n: 3 }, none: { count: 0, n: 3 } });
    expect(rowOf(json, 'portfolio', 'adult_sw').cells).toMatchObject({ all: { count: 1, n: 2 }, part: { count: 1, n: 2 } });
    expect(rowOf(json, 'portfolio', 'homelessness').cells.all).toMatchObject({ count: 0, n: 0, pct: null, ci: null });
    expect(rowOf(json, 'groups', 'groups_involved').cells.summary).toEqual({ n: 3, median: 7, min: 4, max: 9, mean: 20 / 3 });
    expect(rowOf(json, 'groups', 'groups_chaired').cells.summary).toEqual({ n: 2, median: 1.5, min: 1, max: 2, mean: 1.5 });
    expect(rowOf(json, 'induction', 'yes').cells.share).toMatchObject({ count: 2, n: 3 });
    expect(rowOf(json, 'pressure', 'children').cells).toMatchObject({ low: { count: 1, n: 4, pct: 25 }, high: { count: 2, n: 4, pct: 50 } });
    expect(rowOf(json, 'time_share', 'children').cells.mean).toMatchObject({ n: 3, mean: 30 });
    expect(rowOf(json, 'resources', 'reading').cells.share).toMatchObject({ count: 2, n: 3 });
    expect(rowOf(json, 'resources', 'solace').cells.share).toMatchObject({ count: 1, n: 3 });
    expect(json.tables.find((t) => t.id === 'induction')).toMatchObject({ title: 'Formal induction into the current role', part: 'anonymous' });
  });

  it('adds compare and change with --compare', async () => {
    const { dir, data } = await populated();
    const result = await cli(dir, ['tables', '--data', data, '--wave', '2020-06', '--compare', '2020-01', '--format', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as JsonTables;
    expect(json.compare).toEqual({ wave: '2020-01', definition: 'cswo-annual@1', respondents: { identifiable: 2, anonymous: 2 } });
    for (const table of json.tables) {
      expect(table.compareWave).toBe('2020-01');
      for (const row of table.rows) expect(Object.keys(row)).toEqual(['id', 'label', 'cells', 'compare', 'change']);
    }
    const lt1 = rowOf(json, 'time_in_post', 'lt1');
    expect(lt1.compare!.share).toMatchObject({ count: 1, n: 2, pct: 50 });
    expect(lt1.change!.share).toMatchObject({ test: 'fisher-exact', p: fisherExact(2, 1, 1, 1), verdict: 'no evidence of change' });
    expect(lt1.change!.share!.difference).toBeCloseTo((2 / 3) * 100 - 50, 10);
    expect(lt1.change!.share!.statement).toBe("50% (n=2) in 2020-01 to 67% (n=3) in 2020-06: no evidence of change (Fisher's exact p = 1.00)");
    const induction = rowOf(json, 'induction', 'yes');
    expect(induction.compare!.share).toMatchObject({ count: 0, n: 2, pct: 0 });
    expect(induction.change!.share).toMatchObject({ test: 'fisher-exact', p: fisherExact(2, 1, 0, 2) });
    expect(rowOf(json, 'groups', 'groups_involved').change!.summary).toMatchObject({ test: 'permutation', difference: 20 / 3 - 2.5 });
    expect(rowOf(json, 'time_share', 'children').change!.mean).toMatchObject({ test: 'permutation', verdict: 'not comparable', p: null });
  });

  it('prints tidy CSV with --format csv', async () => {
    const { dir, data } = await populated();
    const result = await cli(dir, ['tables', '--data', data, '--wave', '2020-06', '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('wave,table,row,column,field,value\r\n')).toBe(true);
    const records = parse(result.stdout) as string[][];
    expect(records[0]).toEqual(['wave', 'table', 'row', 'column', 'field', 'value']);
    for (const record of records) expect(record).toHaveLength(6);
    const find = (table: string, row: string, column: string, field: string) =>
      records.filter((r) => r[1] === table && r[2] === row && r[3] === column && r[4] === field).map((r) => r[5]);
    expect(find('time_in_post', 'lt1', 'share', 'count')).toEqual(['2']);
    expect(find('time_in_post', 'lt1', 'share', 'n')).toEqual(['3']);
    expect(Number(find('time_in_post', 'lt1', 'share', 'pct')[0])).toBeCloseTo((2 / 3) * 100, 10);
    // Null is an empty cell.
    expect(find('portfolio', 'homelessness', 'all', 'pct')).toEqual(['']);
    expect(find('portfolio', 'homelessness', 'all', 'ci_low')).toEqual(['']);
    expect(find('groups', 'groups_involved', 'summary', 'median')).toEqual(['7']);
    expect(new Set(records.slice(1).map((r) => r[0]))).toEqual(new Set(['2020-06']));
    const compared = await cli(dir, ['tables', '--data', data, '--wave', '2020-06', '--compare', '2020-01', '--format', 'csv']);
    const rows = parse(compared.stdout) as string[][];
    expect(rows.filter((r) => r[0] === '2020-06 vs 2020-01' && r[1] === 'time_in_post' && r[2] === 'lt1' && r[4] === 'verdict').map((r) => r[5])).toEqual([
      'no evidence of change',
    ]);
  });

  it('prints text by default, with the table titles and rounded percentages', async () => {
    const { dir, data } = await populated();
    const result = await cli(dir, ['tables', '--data', data, '--wave', '2020-06']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Wave 2020-06 (cswo-annual@2): 3 part one and 4 part two responses');
    expect(result.stdout).toContain('Time in post as CSWO [time_in_post]');
    expect(result.stdout).toContain('  Less than 1 year    67% (2/3)');
    const explicit = await cli(dir, ['tables', '--data', data, '--wave', '2020-06', '--format', 'text']);
    expect(explicit.stdout).toBe(result.stdout);
  });

  it('reports a wave with nothing imported as tables of n 0', async () => {
    const dir = tempDir('cswo-tables-empty-');
    const result = await cli(dir, ['tables', '--data', join(dir, 'data'), '--wave', '2020-01', '--format', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as JsonTables;
    expect(json.respondents).toEqual({ identifiable: 0, anonymous: 0 });
    expect(json.tables).toHaveLength(31);
    expect(rowOf(json, 'time_in_post', 'lt1').cells.share).toMatchObject({ n: 0, count: 0, pct: null });
  });

  it('refuses an unknown wave with exit 1, a clear message on stderr and nothing on stdout', async () => {
    const { dir, data } = await populated();
    const result = await cli(dir, ['tables', '--data', data, '--wave', '2019-12', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error: unknown wave "2019-12": the waves are 2020-01, 2020-06\n');
    const compare = await cli(dir, ['tables', '--data', data, '--wave', '2020-06', '--compare', '2021-01']);
    expect(compare.code).toBe(1);
    expect(compare.stdout).toBe('');
    expect(compare.stderr).toBe('error: unknown wave "2021-01": the waves are 2020-01, 2020-06\n');
  });

  it('refuses an unknown format as a usage error (exit 2) naming the choices', async () => {
    const { dir, data } = await populated();
    const result = await cli(dir, ['tables', '--data', data, '--wave', '2020-06', '--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/--format.*xml.*text, json, csv/s);
  });
});
