/**
 * Counts every published figure (`published-figures.ts`) in the bundled CSV files and
 * writes `docs/reproduction.md`, one line per figure.
 *
 *   npx tsx bundled-data/reproduction-doc.ts           # rewrite docs/reproduction.md from the CSVs on disk
 *   npx tsx bundled-data/reproduction-doc.ts --check   # exit 1 if docs/reproduction.md is out of date
 *
 * `figure-check.ts` uses the same counting for the generator's self-check; `generate.ts` writes the document after the CSVs.
 * The counting here is deliberately independent of the analysis module: it reads the CSV cells as the
 * instrument's conventions define them (instrument.md, "Conventions for CSV files" and "Analysis tables").
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  expectedMatch,
  expectedN,
  publishedFigures,
  reportInconsistencies,
  reportStatements,
  rowsOf,
  tablePart,
  type Part,
  type PublishedFigure,
  type Wave,
} from './published-figures.js';

export type Row = Readonly<Record<string, string>>;
export type WaveData = Readonly<Record<Wave, Readonly<Record<Part, readonly Row[]>>>>;

export const bundledDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(bundledDir, '..');
export const docPath = join(repoRoot, 'docs', 'reproduction.md');
export const waveIds: readonly Wave[] = ['2020-01', '2020-06'];
export const partIds: readonly Part[] = ['identifiable', 'anonymous'];

/** Parses one CSV (header row of item ids) into rows keyed by column. */
export const parseCsv = (text: string): Row[] => parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Row[];

export const readBundledData = (dir = bundledDir): WaveData => {
  const read = (wave: Wave, part: Part) => parseCsv(readFileSync(join(dir, wave, `${part}.csv`), 'utf8'));
  return {
    '2020-01': { identifiable: read('2020-01', 'identifiable'), anonymous: read('2020-01', 'anonymous') },
    '2020-06': { identifiable: read('2020-06', 'identifiable'), anonymous: read('2020-06', 'anonymous') },
  };
};

// ------------------------------------------------------------------------------------------- counting

const multiTables = new Set(['pq_awards', 'resources']);
const matrixTables = new Set(['portfolio', 'direct_access', 'support']);

const blank = (v: string | undefined): boolean => v === undefined || v === '';

/** count and n of one share cell (or pressure band). */
export const shareCell = (rows: readonly Row[], table: string, row: string, column: string): { count: number; n: number } => {
  if (table === 'pressure') {
    const col = `pressure.${row}`;
    const band = column === 'low' ? ['1', '2'] : column === 'high' ? ['4', '5'] : undefined;
    if (!band) throw new Error(`pressure has columns low and high, not ${column}`);
    const answered = rows.filter((r) => !blank(r[col]));
    return { n: answered.length, count: answered.filter((r) => band.includes(r[col]!)).length };
  }
  if (multiTables.has(table)) {
    if (column !== 'share') throw new Error(`${table} has the column share, not ${column}`);
    const answered = rows.filter((r) => Object.keys(r).some((c) => c.startsWith(`${table}.`) && !blank(r[c])));
    return { n: answered.length, count: answered.filter((r) => r[`${table}.${row}`] === '1').length };
  }
  if (matrixTables.has(table)) {
    const col = `${table}.${row}`;
    const answered = rows.filter((r) => !blank(r[col]));
    return { n: answered.length, count: answered.filter((r) => r[col] === column).length };
  }
  // single choice and rating: the table id is the item id, the row id the option code (or rating).
  if (column !== 'share') throw new Error(`${table} has the column share, not ${column}`);
  const answered = rows.filter((r) => !blank(r[table]));
  return { n: answered.length, count: answered.filter((r) => r[table] === row).length };
};

/** The answered numbers of a number column. */
export const numbersOf = (rows: readonly Row[], column: string): number[] => rows.filter((r) => !blank(r[column])).map((r) => Number(r[column]));

export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

export interface Evaluation {
  readonly figure: PublishedFigure;
  /** The exact (unrounded) value of the figure's field; null when n is 0. */
  readonly exact: number | null;
  readonly n: number;
  /** For share figures: the summed count. */
  readonly count?: number;
  readonly ok: boolean;
  readonly nOk: boolean;
}

export const evaluateFigure = (figure: PublishedFigure, data: WaveData): Evaluation => {
  const rows = data[figure.wave][tablePart[figure.table]];
  const done = (exact: number | null, n: number, count?: number): Evaluation => ({
    figure,
    exact,
    n,
    ...(count === undefined ? {} : { count }),
    ok: exact !== null && expectedMatch(figure, exact),
    nOk: expectedN(figure, n),
  });
  if (figure.table === 'time_share' || figure.table === 'groups') {
    const [row] = rowsOf(figure);
    if (rowsOf(figure).length !== 1 || figure.columns.length !== 1) throw new Error(`${figure.id}: ${figure.table} figures are single cells`);
    const values = numbersOf(rows, figure.table === 'time_share' ? `time_share.${row}` : row!);
    const byField: Record<string, number | null> = {
      n: values.length,
      mean: mean(values),
      median: median(values),
      min: values.length ? Math.min(...values) : null,
      max: values.length ? Math.max(...values) : null,
    };
    if (!(figure.field in byField)) throw new Error(`${figure.id}: field ${figure.field} is not a field of ${figure.table}`);
    return done(byField[figure.field]!, values.length);
  }
  const cells = rowsOf(figure).flatMap((row) => figure.columns.map((column) => shareCell(rows, figure.table, row, column)));
  const n = cells[0]!.n;
  if (cells.some((c) => c.n !== n)) throw new Error(`${figure.id}: the summed cells have different n`);
  const count = cells.reduce((a, c) => a + c.count, 0);
  switch (figure.field) {
    case 'count':
      return done(count, n, count);
    case 'n':
      return done(n, n, count);
    case 'pct':
      return done(n === 0 ? null : (count / n) * 100, n, count);
    default:
      throw new Error(`${figure.id}: field ${figure.field} is not a field of a share cell`);
  }
};

// ------------------------------------------------------------------------------------------- the document

const pctFields = new Set(['pct']);

const reportText = (f: PublishedFigure): string => {
  if (f.field === 'n') return `n=${f.report}`;
  if (f.field === 'median' || f.field === 'min' || f.field === 'max')
    return `${f.field} ${f.implied ? '≈ ' : ''}${f.report}${f.reportN === undefined ? '' : ` (n=${f.reportN})`}`;
  const unit = pctFields.has(f.field) ? ' %' : f.table === 'time_share' ? ' % (mean)' : '';
  const what = f.field === 'count' || f.field === 'pct' || f.field === 'mean' ? '' : ` (${f.field})`;
  const n = f.reportN === undefined ? '' : ` (n=${f.reportN})`;
  return `${f.implied ? '≈ ' : ''}${f.report}${unit}${what}${n}`;
};

const fixed1 = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

const dataText = (e: Evaluation): string => {
  const f = e.figure;
  if (e.exact === null) return `no answers (n=0)`;
  if (f.field === 'pct') return `${fixed1(e.exact)} % (${e.count} of ${e.n})`;
  if (f.field === 'count') return `${e.exact} (n=${e.n})`;
  if (f.field === 'n') return `n=${e.exact}`;
  if (f.field === 'mean') return `${fixed1(e.exact)} % (mean, n=${e.n})`;
  return `${f.field} ${fixed1(e.exact)} (n=${e.n})`;
};

const statusText = (e: Evaluation): string => {
  if (!e.ok || !e.nOk) return '**MISMATCH**';
  switch (e.figure.rounding) {
    case 'nearest':
      return e.figure.implied ? 'matches (report in words)' : 'matches';
    case 'truncate':
      return 'matches (report truncates)';
    case 'adjusted':
      return 'report adjusted';
    case 'inconsistent':
      return 'report inconsistent';
  }
};

const cellText = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

// ------------------------------------------------------------------------------------------- statements

const pct1 = (count: number, n: number): string => `${count} of ${n} (${fixed1((count / n) * 100)} %)`;

class StatementFailed extends Error {
  override name = 'StatementFailed';
}

const expect = (id: string, ok: boolean, what: string): string => {
  if (!ok) throw new StatementFailed(`${id}: ${what}`);
  return what;
};

/** How the data reflects each statement of `reportStatements` that it can; throws if a `reproduced` one fails. */
const statementCounters: Record<string, (data: WaveData, id: string) => string> = {
  'respondents-2020-01': (d, id) => respondents(d, '2020-01', 27, id),
  'respondents-2020-06': (d, id) => respondents(d, '2020-06', 21, id),
  's1-pq-almost-all': (d, id) => {
    const rows = d['2020-06'].identifiable;
    const answered = rows.filter((r) => Object.keys(r).some((c) => c.startsWith('pq_awards.') && r[c] !== ''));
    const some = answered.filter((r) => Object.keys(r).some((c) => c.startsWith('pq_awards.') && r[c] === '1'));
    return expect(id, answered.length === 20 && some.length === 19, `${some.length} of ${answered.length} who answered hold at least one award`);
  },
  's1-pq-other': (d, id) => {
    const rows = d['2020-06'].identifiable;
    const other = rows.filter((r) => r['pq_awards.other'] === '1');
    const texts = rows.filter((r) => !blank(r.pq_awards_other));
    const ok = other.length === 7 && texts.length === 7 && other.every((r) => !blank(r.pq_awards_other));
    return expect(id, ok, `${other.length} ticked "other", ${texts.length} named it`);
  },
  's1-contracted-hours': (d, id) => {
    const v = numbersOf(d['2020-06'].identifiable, 'contracted_hours');
    const ok = v.length === 21 && Math.min(...v) === 35 && Math.max(...v) === 37;
    return expect(id, ok, `n=${v.length}, ${Math.min(...v)}-${Math.max(...v)} hours`);
  },
  's2-extra-40-hours': (d, id) => {
    const rows = d['2020-06'].anonymous.filter((r) => /\b40 hours\b/.test(r.pressures_comment ?? ''));
    const ok = rows.length === 1 && rows[0]!.extra_hours_band === 'gt20';
    return expect(id, ok, `${rows.length} comment, band ${rows.map((r) => r.extra_hours_band).join(', ')}`);
  },
  's2-time-share-slight-changes': (d, id) => {
    const m = (w: Wave, area: string) => Math.round(mean(numbersOf(d[w].anonymous, `time_share.${area}`))!);
    const cj = m('2020-06', 'community_justice') - m('2020-01', 'community_justice');
    const health = m('2020-06', 'health') - m('2020-01', 'health');
    return expect(id, cj === -3 && health === 3, `community_justice ${cj}, health +${health} percentage points (rounded means)`);
  },
  's2-highest-pressures': (d, id) => {
    const expected = ['adults', 'budgets', 'children', 'partnership_groups'];
    const parts = waveIds.map((w) => {
      const rows = d[w].anonymous;
      const areas = Object.keys(rows[0]!)
        .filter((c) => c.startsWith('pressure.'))
        .map((c) => c.slice('pressure.'.length));
      const ranked = areas
        .map((a) => ({ a, ...shareCell(rows, 'pressure', a, 'high') }))
        .map((x) => ({ ...x, p: x.count / x.n }))
        .sort((x, y) => y.p - x.p);
      const top = ranked
        .slice(0, 4)
        .map((x) => x.a)
        .sort();
      const ok = top.join() === expected.join() && ranked[3]!.p > ranked[4]!.p;
      expect(id, ok, `${w}: top four ${top.join(', ')}`);
      return `${w}: ${ranked
        .slice(0, 5)
        .map((x) => `${x.a} ${fixed1(x.p * 100)} %`)
        .join(', ')}`;
    });
    return parts.join('; ');
  },
  's2-cj-comments': (d, id) => {
    const comments = d['2020-06'].anonymous.filter((r) => !blank(r.pressures_comment));
    const cj = comments.filter((r) => /criminal justice/i.test(r.pressures_comment!));
    return expect(id, comments.length === 16 && cj.length === 6, `${pct1(cj.length, comments.length)} comments`);
  },
  's2-groups-range': (d, id) => {
    const v = numbersOf(d['2020-06'].anonymous, 'groups_involved').sort((a, b) => a - b);
    const rest = v.slice(0, -1);
    const ok = v.length === 15 && median(v) === 12 && v.at(-1) === 50 && Math.min(...rest) === 8 && Math.max(...rest) === 24;
    return expect(id, ok, `n=${v.length}, median ${median(v)}, others ${Math.min(...rest)}-${Math.max(...rest)}, highest ${v.at(-1)}`);
  },
  's2-groups-chaired-most': (d, id) => {
    const rows = d['2020-06'].anonymous;
    const v = numbersOf(rows, 'groups_chaired');
    const within = v.filter((x) => x >= 6 && x <= 8).length;
    const notAbove = rows.every((r) => blank(r.groups_chaired) || (!blank(r.groups_involved) && Number(r.groups_chaired) <= Number(r.groups_involved)));
    return expect(id, v.length === 14 && within * 2 > v.length && notAbove, `${within} of ${v.length} chair 6-8 groups; none chairs more than they attend`);
  },
  's2-admin-just-under-half': (d) => {
    const c = shareCell(d['2020-06'].anonymous, 'admin_support', 'dedicated', 'share');
    const s = shareCell(d['2020-06'].anonymous, 'admin_support', 'shared', 'share');
    return `${pct1(c.count + s.count, c.n)} have dedicated or shared support`;
  },
  's2-admin-did-not-say': (d) => {
    const rows = d['2020-06'].anonymous;
    return `${pct1(rows.filter((r) => blank(r.admin_support)).length, rows.length)} respondents left admin_support blank`;
  },
};

const respondents = (d: WaveData, w: Wave, size: number, id: string): string => {
  const one = d[w].identifiable;
  const councils = new Set(one.map((r) => r.local_authority));
  const two = d[w].anonymous;
  return expect(
    id,
    one.length === size && councils.size === size && two.length === size,
    `${one.length} part-one rows (${councils.size} councils), ${two.length} part-two rows`,
  );
};

/** Counts every statement the data can reflect; throws if a `reproduced` statement does not hold. */
export const checkStatements = (data: WaveData): Map<string, string> => {
  const results = new Map<string, string>();
  for (const s of reportStatements) {
    const counter = statementCounters[s.id];
    if (!counter) {
      if (s.status === 'reproduced') throw new StatementFailed(`${s.id}: no check written for a reproduced statement`);
      continue;
    }
    results.set(s.id, counter(data, s.id));
  }
  return results;
};

export const renderReproductionDoc = (data: WaveData, statementResults: ReadonlyMap<string, string> = new Map()): string => {
  const evaluations = publishedFigures.map((f) => evaluateFigure(f, data));
  const count = (pred: (e: Evaluation) => boolean) => evaluations.filter(pred).length;
  const lines: string[] = [];
  lines.push('# Reproducing the published 2020 figures');
  lines.push('');
  lines.push('<!-- Generated by `npx tsx bundled-data/generate.ts` (or `npx tsx bundled-data/reproduction-doc.ts`). Do not edit by hand. -->');
  lines.push('');
  lines.push(
    "Every figure printed in Social Work Scotland's *Chief Social Work Officer Annual Survey 2020* report (24 March 2021), " +
      'as listed in `bundled-data/published-figures.ts`, against the value the bundled synthetic data ' +
      '(`bundled-data/`) gives. "Data" is the exact value (percentages to one decimal, with count and n), counted here ' +
      'from the CSV files; `test/reproduction/reproduction.test.ts` loads the same files through the import into the stores, ' +
      "computes every figure with the platform's analysis module (`npm run cli -- tables`), and checks that both agree and " +
      "that this page is current. The data is synthetic: it was built to give these values, it is not the survey's responses.",
  );
  lines.push('');
  const good = (r: string) => count((e) => e.ok && e.nOk && e.figure.rounding === r);
  lines.push(
    `${evaluations.length} figures. Matching the report when rounded to the nearest whole number: ${good('nearest')} ` +
      `(${count((e) => e.ok && e.nOk && e.figure.implied === true)} of them given in words). Matching when truncated: ${good('truncate')}. ` +
      `Adjusted by the report so that a set sums to 100: ${good('adjusted')}. ` +
      `Inconsistent in the report (no whole count fits, or another printed figure contradicts it): ${good('inconsistent')}. ` +
      `Not matching: ${count((e) => !e.ok || !e.nOk)}.`,
  );
  lines.push('');
  lines.push(
    "Status: *matches*: the data's exact value rounds to the printed number, and its n equals the printed n (if any); " +
      '*matches (report in words)*: the report gives words ("just under a quarter", "about a dozen"), shown as ≈, and the data gives the number they imply; ' +
      '*matches (report truncates)*: the printed number is the exact value with its decimals cut off; ' +
      '*report adjusted*: the printed number is one point off the rounded exact value so that a set of percentages sums to 100 (or is derived from such a number); ' +
      '*report inconsistent*: no whole count fits the printed number, or another printed figure contradicts it, and the data gives the value in the "data" column. ' +
      'Both are explained under [Inconsistencies in the report](#inconsistencies-in-the-report).',
  );
  lines.push('');
  lines.push('## Figures');
  lines.push('');
  lines.push('| # | figure | wave | report | data | status |');
  lines.push('|---|---|---|---|---|---|');
  evaluations.forEach((e, i) => {
    const f = e.figure;
    const cell = `${f.table} ${rowsOf(f).join('+')} / ${f.columns.join('+')}`;
    lines.push(
      `| ${i + 1} | ${cellText(f.source)}<br>\`${f.id}\` (\`${cell}\`, ${f.field}) | ${f.wave} | ${cellText(reportText(f))} | ${dataText(e)} | ${statusText(e)} |`,
    );
  });
  lines.push('');
  lines.push('## Statements that are not a table cell');
  lines.push('');
  lines.push('| statement | wave | status | the data |');
  lines.push('|---|---|---|---|');
  for (const s of reportStatements) {
    const result = statementResults.get(s.id);
    const handling = result ? `${s.handling} Counted: ${result}.` : s.handling;
    lines.push(`| ${cellText(s.source)}<br>\`${s.id}\` | ${s.wave} | ${s.status} | ${cellText(handling)} |`);
  }
  lines.push('');
  lines.push('## Inconsistencies in the report');
  lines.push('');
  lines.push(
    'The data is not bent to hide these; where two printed figures cannot both hold, it follows the one with a stated n or the table over the text, and the other is marked.',
  );
  lines.push('');
  for (const inc of reportInconsistencies) {
    lines.push(`### ${inc.id}`);
    lines.push('');
    lines.push(`- Report: ${inc.text}`);
    lines.push(`- Explanation: ${inc.explanation}`);
    if (inc.figures?.length) lines.push(`- Figures: ${inc.figures.map((id) => `\`${id}\``).join(', ')}`);
    lines.push('');
  }
  const notes = evaluations.filter((e) => e.figure.rounding === 'adjusted' || e.figure.rounding === 'inconsistent');
  lines.push('### Figure by figure');
  lines.push('');
  for (const e of notes) {
    lines.push(`- \`${e.figure.id}\` (report ${reportText(e.figure)}, data ${dataText(e)}): ${e.figure.note}`);
  }
  lines.push('');
  return lines.join('\n');
};

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];

if (isMain) {
  if (!existsSync(join(bundledDir, '2020-01', 'identifiable.csv'))) {
    console.error('bundled-data CSVs not found: run npx tsx bundled-data/generate.ts');
    process.exit(1);
  }
  const data = readBundledData();
  const doc = renderReproductionDoc(data, checkStatements(data));
  if (process.argv.includes('--check')) {
    const current = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
    if (current !== doc) {
      console.error('docs/reproduction.md is out of date: run npx tsx bundled-data/reproduction-doc.ts');
      process.exit(1);
    }
    console.log('docs/reproduction.md is up to date');
  } else {
    writeFileSync(docPath, doc);
    console.log(`wrote ${docPath}`);
  }
}
