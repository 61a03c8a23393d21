/**
 * The self-check the generator runs before it writes anything: the CSV text parses back to the built rows;
 * every line of `answer-spec.ts` is recounted from the parsed rows; every published figure is recounted
 * (`reproduction-doc.ts`, independently of the analysis module) and compared with the report
 * (`expectedMatch`, `expectedN`); every checkable statement is recounted; free text is checked for council
 * and person names. Any difference throws a SpecError naming the figure.
 */
import { councils } from '../survey-definitions/cswo-annual/councils.js';
import { fail, people, SpecError, type PartSpec } from './answer-spec.js';
import { publishedFigures } from './published-figures.js';
import { checkStatements, evaluateFigure, mean, parseCsv, type Row, type WaveData } from './reproduction-doc.js';

/** Every generated row answers at least this many cells (a row of empty cells is not a response). */
const MIN_ANSWERED_CELLS = 10;

// =========================================================================================== self-check

/** Recounts every spec line from the parsed rows. */
const checkSpec = (ps: PartSpec, rows: readonly Row[]): void => {
  const where = `${ps.wave} ${ps.part}`;
  const check = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) fail(where, `${what}: the rows give ${JSON.stringify(got)}, the spec says ${JSON.stringify(want)}`);
  };
  const tally = (column: string, keys: readonly string[]) =>
    Object.fromEntries(keys.map((k) => [k, rows.filter((r) => (k === 'blank' ? r[column] === '' : r[column] === k)).length]));
  check('rows', rows.length, ps.size);
  rows.forEach((r, i) => {
    const answered = Object.values(r).filter((v) => v !== '').length;
    if (answered < MIN_ANSWERED_CELLS) fail(where, `row ${i + 2} answers only ${answered} cells`);
  });
  if (ps.urbanRural) check('urban_rural', tally('urban_rural', Object.keys(ps.urbanRural)), ps.urbanRural);
  if (ps.people) check('distinct councils', new Set(rows.map((r) => r.local_authority)).size, ps.size);
  for (const s of ps.items) {
    switch (s.kind) {
      case 'single':
        check(s.item, tally(s.item, Object.keys(s.counts)), s.counts);
        for (const [code, test] of Object.entries(s.prefer ?? {})) {
          const matching = rows.filter(test);
          const want = Math.min(s.counts[code] ?? 0, matching.length);
          check(`${s.item} "${code}" on preferred rows`, matching.filter((r) => r[s.item] === code).length, want);
        }
        break;
      case 'multi': {
        const cols = Object.keys(rows[0]!).filter((c) => c.startsWith(`${s.item}.`));
        const answered = rows.filter((r) => cols.some((c) => r[c] !== ''));
        check(`${s.item} answered`, answered.length, s.answered);
        check(`${s.item} none chosen`, answered.filter((r) => cols.every((c) => r[c] === '0')).length, s.noneChosen);
        for (const [code, k] of Object.entries(s.counts)) check(`${s.item}.${code}`, rows.filter((r) => r[`${s.item}.${code}`] === '1').length, k);
        break;
      }
      case 'matrix':
        for (const [rowId, counts] of Object.entries(s.rows)) check(`${s.item}.${rowId}`, tally(`${s.item}.${rowId}`, Object.keys(counts)), counts);
        break;
      case 'ratings':
        for (const [rowId, counts] of Object.entries(s.rows)) {
          check(
            `${s.item}.${rowId}`,
            [1, 2, 3, 4, 5].map((v) => rows.filter((r) => r[`${s.item}.${rowId}`] === String(v)).length),
            counts,
          );
          check(`${s.item}.${rowId} blank`, rows.filter((r) => r[`${s.item}.${rowId}`] === '').length, ps.size - counts.reduce((a, b) => a + b, 0));
        }
        break;
      case 'shares':
        for (const [rowId, { n, mean: target }] of Object.entries(s.rows)) {
          const values = rows.filter((r) => r[`${s.item}.${rowId}`] !== '').map((r) => Number(r[`${s.item}.${rowId}`]));
          check(`${s.item}.${rowId} n`, values.length, n);
          check(`${s.item}.${rowId} rounded mean`, Math.round(mean(values)!), target);
        }
        break;
      case 'numbers': {
        const values = rows.filter((r) => r[s.item] !== '').map((r) => Number(r[s.item]));
        check(
          s.item,
          [...values].sort((a, b) => a - b),
          [...s.values].sort((a, b) => a - b),
        );
        if (s.notAbove) for (const r of rows) if (r[s.item] !== '' && Number(r[s.item]) > Number(r[s.notAbove])) fail(where, `${s.item} above ${s.notAbove}`);
        break;
      }
      case 'joint':
        for (const [ca, cb, k] of s.combos)
          check(`${s.items.join('+')} ${ca || 'blank'}/${cb || 'blank'}`, rows.filter((r) => r[s.items[0]] === ca && r[s.items[1]] === cb).length, k);
        break;
      case 'text': {
        const got = rows
          .map((r) => r[s.item]!)
          .filter((t) => t !== '')
          .sort();
        check(s.item, got, s.answers.map((a) => a.text).sort());
        for (const a of s.answers)
          if (a.where && !rows.some((r) => r[s.item] === a.text && a.where!(r))) fail(where, `${s.item}: "${a.text.slice(0, 40)}..." is on the wrong row`);
        break;
      }
    }
  }
};

/** Council names (and their distinctive words) and the fictional people's names must not appear in free text. */
const checkFreeText = (data: WaveData): void => {
  const common = new Set(['City', 'and', 'of', 'East', 'West', 'North', 'South', 'Islands', 'Na', 'h', 'Scottish']);
  const words = new Set<string>();
  for (const c of councils) {
    words.add(c.label);
    for (const w of c.label.split(/[\s()-]+/)) if (w.length > 1 && !common.has(w)) words.add(w);
  }
  for (const person of Object.values(people)) {
    words.add(person.name);
    for (const w of person.name.split(' ')) words.add(w);
  }
  const freeTextColumns = [
    'pq_awards_other',
    'oversight_roles',
    'pressures_comment',
    'covid_reflections',
    'sds_challenges',
    'promotion_challenges',
    'final_reflections',
  ];
  let comma = false;
  let quote = false;
  let newline = false;
  for (const w of Object.values(data)) {
    for (const rows of Object.values(w)) {
      for (const row of rows) {
        for (const col of freeTextColumns) {
          const text = row[col];
          if (!text) continue;
          for (const word of words) if (new RegExp(`\\b${word}\\b`).test(text)) fail('free text', `"${word}" appears in ${col}: ${text.slice(0, 60)}`);
          if (/^[=+\-@\t\r']/.test(text)) fail('free text', `${col} starts with a character spreadsheets treat specially`);
          comma ||= text.includes(',');
          quote ||= text.includes('"');
          newline ||= text.includes('\n');
        }
      }
    }
  }
  if (!(comma && quote && newline)) fail('free text', 'should include commas, double quotes and line breaks');
};

/** Every published figure, recounted from the rows and compared with the report. */
const checkFigures = (data: WaveData): void => {
  const problems = publishedFigures
    .map((f) => evaluateFigure(f, data))
    .filter((e) => !e.ok || !e.nOk)
    .map((e) => `${e.figure.id}: report ${e.figure.report} (n=${e.figure.reportN ?? '?'}), data ${e.exact} (n=${e.n})`);
  if (problems.length > 0) throw new SpecError(`published figures not reproduced:\n${problems.join('\n')}`);
  const ids = new Set<string>();
  for (const f of publishedFigures) {
    if (ids.has(f.id)) fail('published figures', `duplicate id ${f.id}`);
    ids.add(f.id);
  }
};

/** Parses a part's CSV text back and checks it gives the built rows and meets the spec; returns the parsed rows. */
export const checkPart = (ps: PartSpec, rows: readonly Readonly<Record<string, string>>[], text: string): Row[] => {
  const parsed = parseCsv(text);
  if (JSON.stringify(parsed) !== JSON.stringify(rows)) fail(`${ps.wave} ${ps.part}`, 'the CSV does not parse back to the rows');
  checkSpec(ps, parsed);
  return parsed;
};

/** The checks across both waves: every published figure, every checkable statement, the free text. */
export const checkWaves = (data: WaveData): ReturnType<typeof checkStatements> => {
  checkFigures(data);
  const statements = checkStatements(data);
  checkFreeText(data);
  return statements;
};
