import { canonicalJson } from '../../survey-definitions/content-hash.js';
import { itemsOf, kindOf, partOf, type Answers, type Item, type NumberVariable, type SurveyDefinition } from '../../survey-definitions/index.js';
import { checkedK } from './disclosure-types.js';
import { suppressClasses, type Combination, type CombinationCount } from './local-suppression.js';
import { shuffled, type RandomSource } from './shuffle.js';
import { codeNumberCounts, type NumberCode, type NumberCoding } from './top-coding.js';

/**
 * The default quasi-identifiers of part two: facts about the post that people around a CSWO know or
 * can find out (colleagues, the council's published structure charts and committee papers), so that
 * a reader could use them to pick out one council's row:
 * - `senior_team_member`: the corporate management team is listed on every council's website;
 * - `admin_support`: visible to anyone who works with the CSWO;
 * - `budget_involvement`: visible in budget-setting papers and meetings;
 * - `extra_hours_band`: known to close colleagues, and the hours are the substance of several tables.
 * The other items are opinions and experiences (ratings, adequacy, support used, time estimates):
 * what the release is for, and not something an outsider knows. Numbers are coded separately (every
 * released value is held by k). A release to researchers who might know more (strategy and learning
 * and development teams, portfolio changes are also discoverable) should pass a longer list:
 * four quasi-identifiers already make 72 combinations for about 21 rows.
 */
export const defaultQuasiIdentifiers: readonly string[] = Object.freeze(['extra_hours_band', 'admin_support', 'senior_team_member', 'budget_involvement']);

export interface MicrodataOptions {
  /** Every released number and every combination of quasi-identifiers is held by at least k rows. Default 3. */
  readonly k?: number;
  /**
   * Free-text and e-mail items are left out unless released here: `true` for all, or a list of ids.
   * Released text is passed through as written; it can name people or places, so read it first.
   */
  readonly releaseText?: boolean | readonly string[];
  /** Items whose combination must be shared by k rows. Default `defaultQuasiIdentifiers` (those the definition has). */
  readonly quasiIdentifiers?: readonly string[];
  /** A seeded source for tests and reproducible runs; by default the operating system's CSPRNG (see `shuffled`). */
  readonly random?: RandomSource;
}

export interface MicrodataReport {
  readonly k: number;
  readonly rows: number;
  /** The released items, in definition order. */
  readonly items: readonly string[];
  readonly dropped: readonly { readonly item: string; readonly reason: 'free text' | 'identifying' }[];
  /** Numeric variables the coding changed: thresholds and how many answers were recoded or blanked. */
  readonly numbers: readonly NumberCoding[];
  readonly quasiIdentifiers: readonly string[];
  /** Quasi-identifier cells blanked for k-anonymity: in all, and per item. */
  readonly localSuppression: { readonly cells: number; readonly byItem: Readonly<Record<string, number>> };
  readonly order: 'shuffled (CSPRNG)' | 'shuffled (seeded: not for release)';
  /** When nothing could be released at all. */
  readonly withheld?: string;
}

export interface Microdata {
  /** Answers keyed by item id as the stores hold them (an absent item is blank), without ids, in random order. */
  readonly rows: readonly Answers[];
  /**
   * Aligned with `rows`: the CSV columns of each row whose answer the disclosure control withheld (absent
   * from the row). A release shows them with their own missing-value code, never as "not answered".
   */
  readonly suppressed: readonly (readonly string[])[];
  readonly report: MicrodataReport;
}

/**
 * "Not answered" as a value of a quasi-identifier in the combinations, kept apart from a suppressed
 * cell (`undefined`): the release shows the two differently, so they are different values for
 * k-anonymity. JSON of an answer never reads like this.
 */
const notAnswered = '(not answered)';

/** The numeric variables of an item: a number item, or each row of a matrix of numbers (its kind says how). */
const numberVariablesOf = (item: Item): readonly NumberVariable[] => kindOf(item).numberVariables?.(item) ?? [];

const textReleased = (item: Item, releaseText: MicrodataOptions['releaseText']) =>
  releaseText === true || (Array.isArray(releaseText) && releaseText.includes(item.id));

/**
 * A 53-bit hash of a text (cyrb53): a row's place in the canonical order is a function of its content
 * alone, so it can be worked out in each pass over the store without holding the rows.
 */
const hash53 = (text: string): number => {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
};

/** What the options make of a definition: the released items, the quasi-identifiers, the numbers to code. */
interface Setup {
  readonly k: number;
  readonly released: readonly Item[];
  /** The released items' ids, in definition order. */
  readonly ids: readonly string[];
  /** The released items that are not free text: the canonical order is by their answers first. */
  readonly coded: readonly string[];
  /** Whether any free text is released: it orders rows alike in everything else. */
  readonly text: boolean;
  readonly quasiIdentifiers: readonly string[];
  /** Each quasi-identifier's CSV columns, which a blank withholds. */
  readonly qiColumns: readonly (readonly string[])[];
  /** The numeric variables of the released items, each with its item's id. */
  readonly variables: readonly { readonly variable: NumberVariable; readonly item: string }[];
  readonly base: Pick<MicrodataReport, 'k' | 'items' | 'dropped' | 'quasiIdentifiers' | 'order'>;
}

const setUp = (definition: SurveyDefinition, options: MicrodataOptions): Setup => {
  const k = checkedK(options.k);
  const items = itemsOf(partOf(definition, 'anonymous'));
  const dropped: { item: string; reason: 'free text' | 'identifying' }[] = [];
  const released = items.filter((item) => {
    if (item.identifying) dropped.push({ item: item.id, reason: 'identifying' });
    else if (kindOf(item).freeText && !textReleased(item, options.releaseText)) dropped.push({ item: item.id, reason: 'free text' });
    else return true;
    return false;
  });
  const ids = released.map((i) => i.id);
  if (Array.isArray(options.releaseText)) {
    const unknown = options.releaseText.filter((id) => !items.some((i) => i.id === id && kindOf(i).freeText));
    if (unknown.length > 0) throw new Error(`releaseText names ${unknown.join(', ')}, which are not free-text items of part two`);
  }
  const quasiIdentifiers = options.quasiIdentifiers ?? defaultQuasiIdentifiers.filter((id) => ids.includes(id));
  const notReleased = quasiIdentifiers.filter((id) => !ids.includes(id));
  if (notReleased.length > 0) throw new Error(`quasi-identifiers ${notReleased.join(', ')} are not released items of part two`);
  const itemOf = (id: string) => released.find((i) => i.id === id)!;
  const order = options.random ? 'shuffled (seeded: not for release)' : 'shuffled (CSPRNG)';
  return {
    k,
    released,
    ids,
    coded: released.filter((i) => !kindOf(i).freeText).map((i) => i.id),
    text: released.some((i) => kindOf(i).freeText),
    quasiIdentifiers,
    qiColumns: quasiIdentifiers.map((id) => kindOf(itemOf(id)).columns(itemOf(id))),
    variables: released.flatMap((item) => numberVariablesOf(item).map((variable) => ({ variable, item: item.id }))),
    base: { k, items: ids, dropped, quasiIdentifiers, order },
  };
};

/**
 * A row's place in the canonical order: by its coded answers first, then (only among rows alike in
 * those) by its released text, so a package with some text released and one without blank the same
 * cells of rows a reader can tell apart. Two hashes rather than the texts: a pure function of the
 * row's content, cheap to keep for every row. Rows with equal ranks are alike in all they release.
 */
const rankOf = (setup: Setup, answers: Answers): readonly [number, number] => [
  hash53(canonicalJson(setup.coded.map((id) => answers[id] ?? null))),
  setup.text ? hash53(canonicalJson(setup.ids.map((id) => answers[id] ?? null))) : 0,
];

/**
 * The quasi-identifiers of a row as the release shows them, after the numbers are coded: the answer,
 * "not answered", or either with the numeric columns that coding withheld (shown as `.s`, so apart).
 */
const combinationOf = (setup: Setup, row: Readonly<Record<string, unknown>>, withheld: readonly string[]): Combination =>
  setup.quasiIdentifiers.map((id, j) => {
    const value = row[id] === undefined ? notAnswered : canonicalJson(row[id]);
    const gone = withheld.filter((column) => setup.qiColumns[j]!.includes(column));
    return gone.length === 0 ? value : `${value} (withheld: ${gone.join(', ')})`;
  });

const keyOf = (c: Combination) => JSON.stringify(c.map((v) => v ?? null));

/**
 * Codes a row's numbers in place with the plan's codes; returns the columns withheld. The coding of each
 * variable depends only on the value, so the same in every pass.
 */
const codeRow = (setup: Setup, codes: readonly NumberCode[], row: Record<string, unknown>): string[] => {
  const withheld: string[] = [];
  setup.variables.forEach(({ variable }, v) => {
    const before = variable.read(row);
    if (before === undefined) return;
    const after = codes[v]!.code(before);
    variable.write(row, after);
    if (after === undefined) withheld.push(variable.name);
  });
  return withheld;
};

/** A released row's own copy of its released answers (matrices included, so coding can change them in place). */
const copyReleased = (setup: Setup, answers: Answers): Record<string, unknown> => {
  const row: Record<string, unknown> = {};
  for (const id of setup.ids) {
    const v = answers[id];
    if (v !== undefined) row[id] = v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : v;
  }
  return row;
};

/** A growable list of numbers held as doubles (8 bytes each, not an object per row). */
class Doubles {
  #data = new Float64Array(16);
  length = 0;
  push(v: number): void {
    if (this.length === this.#data.length) {
      const grown = new Float64Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.length++] = v;
  }
  at(i: number): number {
    return this.#data[i]!;
  }
}

/** One distinct combination of the quasi-identifiers' answers as stored (before coding), and its rows' ranks. */
interface RawClass {
  readonly answers: Readonly<Record<string, unknown>>;
  count: number;
  readonly ranks: Doubles;
  readonly ties: Doubles;
}

/**
 * Pass one of the disclosure control: `add` every row of the wave once (in any order); `plan` decides.
 * What it keeps is small and does not hold rows: the value counts of each numeric variable, the
 * distinct combinations of the quasi-identifiers with their counts, and two numbers per row (its
 * place in the canonical order).
 */
export interface MicrodataPlanner {
  add(answers: Answers): void;
  plan(): MicrodataPlan;
}

/** A coded combination of the quasi-identifiers: how many rows hold it and where they go. */
interface PlannedClass {
  readonly combination: Combination;
  /** Where its rows go, in the canonical order: the first `parts[0].count` rows take the first part, and so on. */
  readonly parts: readonly CombinationCount[];
  /** Only when there are several parts: the rows' ranks in the canonical order (pairs, sorted), to find a row's part. */
  readonly ranks?: Float64Array;
  readonly ties?: Float64Array;
}

/**
 * What pass one decided, for pass two (`releaseMicrodata`) to apply row by row: the numbers' codes,
 * and for each combination of the quasi-identifiers which of its rows get which cells blanked. The
 * report is final before any row is released.
 */
export interface MicrodataPlan {
  readonly report: MicrodataReport;
  readonly setup: Setup;
  readonly codes: readonly NumberCode[];
  readonly classes: ReadonlyMap<string, PlannedClass>;
}

export class MicrodataPlanMismatch extends Error {
  override name = 'MicrodataPlanMismatch';
}

export const startMicrodataPlan = (definition: SurveyDefinition, options: MicrodataOptions = {}): MicrodataPlanner => {
  const setup = setUp(definition, options);
  const counts = setup.variables.map(() => new Map<number, number>());
  const raw = new Map<string, RawClass>();
  let rows = 0;
  let planned = false;
  return {
    add(answers) {
      if (planned) throw new Error('a microdata plan takes no rows once it is made');
      rows++;
      setup.variables.forEach(({ variable }, v) => {
        const value = variable.read(answers);
        if (value !== undefined) counts[v]!.set(value, (counts[v]!.get(value) ?? 0) + 1);
      });
      const key = canonicalJson(setup.quasiIdentifiers.map((id) => answers[id] ?? null));
      let entry = raw.get(key);
      if (!entry) {
        entry = { answers: copyReleased({ ...setup, ids: setup.quasiIdentifiers }, answers), count: 0, ranks: new Doubles(), ties: new Doubles() };
        raw.set(key, entry);
      }
      entry.count++;
      const [rank, tie] = rankOf(setup, answers);
      entry.ranks.push(rank);
      if (setup.text) entry.ties.push(tie);
    },
    plan() {
      planned = true;
      return makePlan(setup, rows, counts, raw);
    },
  };
};

const makePlan = (setup: Setup, rows: number, counts: readonly Map<number, number>[], raw: ReadonlyMap<string, RawClass>): MicrodataPlan => {
  const { k, base } = setup;
  if (rows < k) {
    return {
      setup,
      codes: [],
      classes: new Map(),
      report: {
        ...base,
        rows: 0,
        numbers: [],
        localSuppression: { cells: 0, byItem: {} },
        withheld: `${rows} responses: fewer than k = ${k}, so no row can be hidden among k`,
      },
    };
  }
  const codes = setup.variables.map(({ variable }, v) => codeNumberCounts(variable.name, counts[v]!, k));
  const numbers = codes.map((c) => c.coding).filter((coding) => coding.top || coding.bottom || coding.suppressed > 0);

  // The stored combinations, coded as the release shows them: several may become one.
  const coded = new Map<string, { combination: Combination; members: RawClass[] }>();
  for (const entry of raw.values()) {
    const row = { ...entry.answers };
    const combination = combinationOf(setup, row, codeRow(setup, codes, row));
    const key = keyOf(combination);
    const known = coded.get(key);
    if (known) known.members.push(entry);
    else coded.set(key, { combination, members: [entry] });
  }
  // In a canonical order (by combination), so that the decisions never depend on the order rows came in.
  const ordered = [...coded.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
  const size = (c: (typeof ordered)[number]) => c.members.reduce((sum, m) => sum + m.count, 0);
  const { parts, cells } =
    setup.quasiIdentifiers.length === 0
      ? { parts: ordered.map((c) => [{ combination: c.combination, count: size(c) }]), cells: 0 }
      : suppressClasses(
          ordered.map((c) => ({ combination: c.combination, count: size(c) })),
          k,
        );

  const byItem: Record<string, number> = {};
  const classes = new Map<string, PlannedClass>();
  ordered.forEach((c, i) => {
    const own = [...parts[i]!].sort((a, b) => (keyOf(a.combination) < keyOf(b.combination) ? -1 : 1));
    for (const part of own) {
      part.combination.forEach((v, j) => {
        if (v === undefined && c.combination[j] !== undefined) byItem[setup.quasiIdentifiers[j]!] = (byItem[setup.quasiIdentifiers[j]!] ?? 0) + part.count;
      });
    }
    classes.set(keyOf(c.combination), { combination: c.combination, parts: own, ...(own.length > 1 ? sortedRanks(setup, c.members) : {}) });
  });
  return { setup, codes, classes, report: { ...base, rows, numbers, localSuppression: { cells, byItem } } };
};

const comparePairs = (a1: number, a2: number, b1: number, b2: number) => a1 - b1 || a2 - b2;

/** The ranks of a class's rows, sorted: only a class split between parts needs them. */
const sortedRanks = (setup: Setup, members: readonly RawClass[]): { ranks: Float64Array; ties: Float64Array } => {
  const pairs: [number, number][] = [];
  for (const m of members) for (let i = 0; i < m.count; i++) pairs.push([m.ranks.at(i), setup.text ? m.ties.at(i) : 0]);
  pairs.sort((a, b) => comparePairs(a[0], a[1], b[0], b[1]));
  return { ranks: Float64Array.from(pairs, (p) => p[0]), ties: Float64Array.from(pairs, (p) => p[1]) };
};

/** A row released by pass two: its answers (definition order) and the columns withheld, as in `Microdata`. */
export interface ReleasedRow {
  readonly row: Answers;
  readonly suppressed: readonly string[];
}

/**
 * Pass two: `apply` each row of the same wave once, in the order it is to be released (a fresh random
 * order), and `finish` after the last. A row's numbers are coded and its quasi-identifiers blanked as
 * the plan decided for its combination and its place in the canonical order. Rows that do not match
 * the plan (the answers changed between the passes) are refused with `MicrodataPlanMismatch`, by
 * `apply` as soon as it sees one or by `finish`.
 */
export interface MicrodataRelease {
  apply(answers: Answers): ReleasedRow;
  finish(): void;
}

export const releaseMicrodata = (plan: MicrodataPlan): MicrodataRelease => {
  const { setup, codes, classes, report } = plan;
  const seen = new Map<string, number[]>();
  /** Per class, how many rows of each tied rank (rows alike in all they release) have been placed. */
  const tied = new Map<string, Map<string, number>>();
  const partOf = (key: string, planned: PlannedClass, answers: Answers): number => {
    if (planned.parts.length === 1) return 0;
    const [rank, tie] = rankOf(setup, answers);
    const ranks = planned.ranks!;
    const ties = planned.ties!;
    let lo = 0;
    let hi = ranks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (comparePairs(ranks[mid]!, ties[mid]!, rank, tie) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === ranks.length || ranks[lo] !== rank || ties[lo] !== tie) throw new MicrodataPlanMismatch('a row was not in the plan: the answers changed');
    if (lo + 1 < ranks.length && ranks[lo + 1] === rank && ties[lo + 1] === tie) {
      const counters = tied.get(key) ?? new Map<string, number>();
      tied.set(key, counters);
      const pair = `${rank}:${tie}`;
      const before = counters.get(pair) ?? 0;
      counters.set(pair, before + 1);
      lo += before;
    }
    let at = 0;
    for (const [p, part] of planned.parts.entries()) {
      at += part.count;
      if (lo < at) return p;
    }
    throw new MicrodataPlanMismatch('more rows than the plan counted: the answers changed');
  };
  return {
    apply(answers) {
      if (report.withheld !== undefined) throw new MicrodataPlanMismatch(`no row is released: ${report.withheld}`);
      const row = copyReleased(setup, answers);
      const withheld = codeRow(setup, codes, row);
      const combination = combinationOf(setup, row, withheld);
      const key = keyOf(combination);
      const planned = classes.get(key);
      if (!planned) throw new MicrodataPlanMismatch('a combination of the quasi-identifiers was not in the plan: the answers changed');
      const p = partOf(key, planned, answers);
      const counts = seen.get(key) ?? planned.parts.map(() => 0);
      seen.set(key, counts);
      if (++counts[p]! > planned.parts[p]!.count) throw new MicrodataPlanMismatch('more rows than the plan counted: the answers changed');
      planned.parts[p]!.combination.forEach((v, j) => {
        if (v !== undefined) return;
        delete row[setup.quasiIdentifiers[j]!];
        for (const column of setup.qiColumns[j]!) if (!withheld.includes(column)) withheld.push(column);
      });
      // Definition order inside each row, as the stores keep answers.
      const ordered: Record<string, unknown> = {};
      for (const id of setup.ids) if (row[id] !== undefined) ordered[id] = row[id];
      return { row: ordered as Answers, suppressed: withheld };
    },
    finish() {
      for (const [key, planned] of classes) {
        const counts = seen.get(key) ?? planned.parts.map(() => 0);
        if (planned.parts.some((part, p) => counts[p] !== part.count)) throw new MicrodataPlanMismatch('fewer rows than the plan counted: the answers changed');
      }
    },
  };
};

/**
 * Researcher microdata of part two: the anonymous answers, made safer to hand over.
 *
 * 1. Items: free-text and e-mail items are dropped unless `releaseText` names them (identifying items
 *    too, though the schema already keeps them out of part two).
 * 2. Numbers: each number item and each row of a matrix of numbers is top- and bottom-coded, and any
 *    value still held by fewer than k respondents blanked (`codeNumberCounts`), so no released value is rare.
 * 3. Quasi-identifiers: cells are blanked (`suppressClasses`) until every combination of their
 *    released values is shared by at least k rows; "not answered" and "suppressed" are shown apart
 *    (`suppressed`), so each is a value of its own in the combinations.
 * 4. Order: which rows of a combination get a cell blanked follows a canonical order (by content), so
 *    the same answers always give the same cells; the rows are then shuffled, and carry no id.
 *
 * In two passes, so that a wave of any size is released without holding its rows: `startMicrodataPlan`
 * counts (pass one) and plans, `releaseMicrodata` applies the plan row by row (pass two, over a fresh
 * random read). This function runs both over rows in memory (tests, small waves); the researcher
 * package streams them from the store.
 *
 * Neutralising spreadsheet formulas in text is the CSV writer's job (`server/csv/formula-guard.ts`,
 * applied by the export's `encodeRecord`); this returns plain answers for it.
 *
 * Microdata answer every question a table would, so it is for approved researchers under an
 * agreement, not for publication: a researcher can count any cell that a public table suppresses.
 */
export const prepareMicrodata = (definition: SurveyDefinition, answers: readonly Answers[], options: MicrodataOptions = {}): Microdata => {
  const planner = startMicrodataPlan(definition, options);
  for (const row of answers) planner.add(row);
  const plan = planner.plan();
  if (plan.report.withheld !== undefined) return { rows: [], suppressed: [], report: plan.report };
  const release = releaseMicrodata(plan);
  const released = shuffled(answers, options.random).map((row) => release.apply(row));
  release.finish();
  return { rows: released.map((r) => r.row), suppressed: released.map((r) => r.suppressed), report: plan.report };
};
