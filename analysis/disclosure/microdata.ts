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
 * An answer as text for a key: JSON, with an object's keys sorted (a grid's rows), so the same answer
 * always gives the same text. Scalars and lists go straight to JSON.stringify, which is much cheaper.
 */
const answerKey = (v: unknown): string => (v !== null && typeof v === 'object' && !Array.isArray(v) ? canonicalJson(v) : JSON.stringify(v ?? null));

/**
 * A row's place in the canonical order: by its coded answers first, then (only among rows alike in
 * those) by its released text, so a package with some text released and one without blank the same
 * cells of rows a reader can tell apart. Two hashes rather than the texts: a pure function of the
 * row's content, cheap to keep. Rows with equal ranks are alike in all they release (two different
 * rows share a 53-bit hash with a chance of about one in 10^15 per pair).
 */
const rankOf = (setup: Setup, answers: Answers): readonly [number, number] => [
  hash53(setup.coded.map((id) => answerKey(answers[id])).join(',')),
  setup.text ? hash53(setup.ids.map((id) => answerKey(answers[id])).join(',')) : 0,
];

/** The quasi-identifiers' answers as stored, as a key: rows with the same key get the same coded combination. */
const storedKey = (setup: Setup, answers: Readonly<Record<string, unknown>>): string => setup.quasiIdentifiers.map((id) => answerKey(answers[id])).join(',');

/**
 * The quasi-identifiers of a row as the release shows them, after the numbers are coded: the answer,
 * "not answered", or either with the numeric columns that coding withheld (shown as `.s`, so apart);
 * an item whose every column coding withheld reads as a blanked one (`undefined`), which it then is.
 */
const combinationOf = (setup: Setup, row: Readonly<Record<string, unknown>>, withheld: readonly string[]): Combination =>
  setup.quasiIdentifiers.map((id, j) => {
    const value = row[id] === undefined ? notAnswered : answerKey(row[id]);
    const gone = withheld.filter((column) => setup.qiColumns[j]!.includes(column));
    if (gone.length === 0) return value;
    return gone.length === setup.qiColumns[j]!.length ? undefined : `${value} (withheld: ${gone.join(', ')})`;
  });

const keyOf = (c: Combination) => JSON.stringify(c.map((v) => v ?? null));

/**
 * Codes a row's numbers in place with the plan's codes; returns the columns withheld. The coding of each
 * variable depends only on the value, so the same in every pass. An answer held in an object (a matrix)
 * is shared with the answers the row was copied from (`copyReleased`), so it is copied before its first
 * change: most rows change none, and copying every matrix of every row was about a third of `apply`.
 */
const codeRow = (setup: Setup, codes: readonly NumberCode[], row: Record<string, unknown>): string[] => {
  const withheld: string[] = [];
  let copied: string[] | undefined;
  for (let v = 0; v < setup.variables.length; v++) {
    const { variable, item } = setup.variables[v]!;
    const before = variable.read(row);
    if (before === undefined) continue;
    const after = codes[v]!.code(before);
    if (after === before) continue;
    const answer = row[item];
    if (answer !== null && typeof answer === 'object' && !(copied ??= []).includes(item)) {
      row[item] = Array.isArray(answer) ? [...(answer as unknown[])] : { ...(answer as Record<string, unknown>) };
      copied.push(item);
    }
    variable.write(row, after);
    if (after === undefined) withheld.push(variable.name);
  }
  return withheld;
};

/** A released row: its released answers, in definition order; answers held in objects are shared until `codeRow` changes them. */
const copyReleased = (ids: readonly string[], answers: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const row: Record<string, unknown> = {};
  for (const id of ids) {
    const v = answers[id];
    if (v !== undefined) row[id] = v;
  }
  return row;
};

/** One distinct combination of the quasi-identifiers' answers as stored (before coding), and how many rows hold it. */
interface StoredClass {
  readonly answers: Readonly<Record<string, unknown>>;
  count: number;
}

/**
 * Pass one of the disclosure control: `add` every row of the wave once (in any order); `plan` decides.
 * What it keeps is small and holds no rows: the value counts of each numeric variable, and the
 * distinct combinations of the quasi-identifiers' answers with their counts.
 */
export interface MicrodataPlanner {
  /**
   * The items `add` reads (the quasi-identifiers, and the items with numbers): a reader may hand it rows
   * holding these alone (`streamPartTwoItems`).
   */
  readonly reads: readonly string[];
  add(answers: Answers): void;
  plan(): MicrodataPlan;
}

/** A coded combination of the quasi-identifiers: how many rows hold it and where they go. */
interface PlannedClass {
  readonly combination: Combination;
  /** Where its rows go, in the canonical order: the first `parts[0].count` rows take the first part, and so on. */
  readonly parts: readonly CombinationCount[];
  /** Only when there are several parts: the rows' ranks in the canonical order (pairs, sorted), to find a row's part. */
  ranks?: Float64Array;
  ties?: Float64Array;
}

/**
 * What pass one decided, for pass two (`releaseMicrodata`) to apply row by row: the numbers' codes,
 * and for each combination of the quasi-identifiers which of its rows get which cells blanked. The
 * report is final before any row is released.
 *
 * When a combination's rows do not all go the same way (`ranked` is false), which of them take which
 * part follows their canonical order, which pass one did not keep: `rankMicrodata` reads the rows once
 * more (only those combinations' rows are ranked) before pass two. Large waves seldom need it.
 */
export interface MicrodataPlan {
  readonly report: MicrodataReport;
  /** Whether pass two can start: no combination is split, or `rankMicrodata` has ranked their rows. */
  readonly ranked: boolean;
  /** @internal What pass two needs; read only by this module. */
  readonly internal: {
    readonly setup: Setup;
    readonly codes: readonly NumberCode[];
    /** By the quasi-identifiers' answers as stored (`storedKey`). */
    readonly classes: ReadonlyMap<string, PlannedClass>;
    /** Each class once, by its coded combination. */
    readonly distinct: ReadonlyMap<string, PlannedClass>;
  };
}

export class MicrodataPlanMismatch extends Error {
  override name = 'MicrodataPlanMismatch';
}

export const startMicrodataPlan = (definition: SurveyDefinition, options: MicrodataOptions = {}): MicrodataPlanner => {
  const setup = setUp(definition, options);
  const counts = setup.variables.map(() => new Map<number, number>());
  const stored = new Map<string, StoredClass>();
  let rows = 0;
  let planned = false;
  return {
    reads: [...new Set([...setup.quasiIdentifiers, ...setup.variables.map((v) => v.item)])],
    add(answers) {
      if (planned) throw new Error('a microdata plan takes no rows once it is made');
      rows++;
      setup.variables.forEach(({ variable }, v) => {
        const value = variable.read(answers);
        if (value !== undefined) counts[v]!.set(value, (counts[v]!.get(value) ?? 0) + 1);
      });
      const key = storedKey(setup, answers);
      const entry = stored.get(key);
      if (entry) entry.count++;
      else stored.set(key, { answers: copyReleased(setup.quasiIdentifiers, answers), count: 1 });
    },
    plan() {
      planned = true;
      return makePlan(setup, rows, counts, stored);
    },
  };
};

const makePlan = (setup: Setup, rows: number, counts: readonly Map<number, number>[], stored: ReadonlyMap<string, StoredClass>): MicrodataPlan => {
  const { k, base } = setup;
  if (rows < k) {
    return {
      ranked: true,
      internal: { setup, codes: [], classes: new Map(), distinct: new Map() },
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
  const coded = new Map<string, { combination: Combination; count: number; stored: string[] }>();
  for (const [storedAs, entry] of stored) {
    const row = { ...entry.answers };
    const combination = combinationOf(setup, row, codeRow(setup, codes, row));
    const key = keyOf(combination);
    const known = coded.get(key);
    if (known) {
      known.count += entry.count;
      known.stored.push(storedAs);
    } else coded.set(key, { combination, count: entry.count, stored: [storedAs] });
  }
  // In a canonical order (by combination), so that the decisions never depend on the order rows came in.
  const ordered = [...coded.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
  const { parts, cells } =
    setup.quasiIdentifiers.length === 0
      ? { parts: ordered.map((c) => [{ combination: c.combination, count: c.count }]), cells: 0 }
      : suppressClasses(ordered, k);

  const byItem: Record<string, number> = {};
  const classes = new Map<string, PlannedClass>();
  const distinct = new Map<string, PlannedClass>();
  ordered.forEach((c, i) => {
    const own = [...parts[i]!].sort((a, b) => (keyOf(a.combination) < keyOf(b.combination) ? -1 : 1));
    for (const part of own) {
      part.combination.forEach((v, j) => {
        const id = setup.quasiIdentifiers[j]!;
        if (v === undefined && c.combination[j] !== undefined) byItem[id] = (byItem[id] ?? 0) + part.count;
      });
    }
    const planned: PlannedClass = { combination: c.combination, parts: own };
    distinct.set(keyOf(c.combination), planned);
    for (const storedAs of c.stored) classes.set(storedAs, planned);
  });
  return {
    ranked: [...distinct.values()].every((c) => c.parts.length === 1),
    internal: { setup, codes, classes, distinct },
    report: { ...base, rows, numbers, localSuppression: { cells, byItem } },
  };
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

const comparePairs = (a1: number, a2: number, b1: number, b2: number) => a1 - b1 || a2 - b2;

/**
 * The pass between the two, when a plan is not `ranked`: `add` every row of the wave once more (any
 * order), then `finish`; the rows of the combinations split between parts get their place in the
 * canonical order (two numbers a row, those rows only), and the plan is ready for pass two.
 */
export const rankMicrodata = (plan: MicrodataPlan): { add(answers: Answers): void; finish(): MicrodataPlan } => {
  const { setup, classes, distinct } = plan.internal;
  const ranks = new Map<PlannedClass, { ranks: Doubles; ties: Doubles }>();
  for (const c of distinct.values()) if (c.parts.length > 1) ranks.set(c, { ranks: new Doubles(), ties: new Doubles() });
  return {
    add(answers) {
      const planned = classes.get(storedKey(setup, answers));
      if (!planned) throw new MicrodataPlanMismatch('a combination of the quasi-identifiers was not in the plan: the answers changed');
      const held = ranks.get(planned);
      if (!held) return;
      const [rank, tie] = rankOf(setup, answers);
      held.ranks.push(rank);
      held.ties.push(tie);
    },
    finish() {
      for (const [planned, held] of ranks) {
        const order = Array.from({ length: held.ranks.length }, (_, i) => i).sort((a, b) =>
          comparePairs(held.ranks.at(a), held.ties.at(a), held.ranks.at(b), held.ties.at(b)),
        );
        planned.ranks = Float64Array.from(order, (i) => held.ranks.at(i));
        planned.ties = Float64Array.from(order, (i) => held.ties.at(i));
        if (planned.ranks.length !== planned.parts.reduce((sum, p) => sum + p.count, 0))
          throw new MicrodataPlanMismatch('the rows ranked are not the rows planned: the answers changed');
      }
      return { ...plan, ranked: true };
    },
  };
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
  const { report, ranked } = plan;
  const { setup, codes, classes, distinct } = plan.internal;
  if (report.withheld !== undefined) throw new MicrodataPlanMismatch(`no row is released: ${report.withheld}`);
  if (!ranked) throw new Error('this plan splits some combinations between parts: rank its rows first (rankMicrodata)');
  const seen = new Map<PlannedClass, number[]>();
  /** Per class, how many rows of each tied rank (rows alike in all they release) have been placed. */
  const tied = new Map<PlannedClass, Map<string, number>>();
  const partOf = (planned: PlannedClass, answers: Answers): number => {
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
      const counters = tied.get(planned) ?? new Map<string, number>();
      tied.set(planned, counters);
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
      const planned = classes.get(storedKey(setup, answers));
      if (!planned) throw new MicrodataPlanMismatch('a combination of the quasi-identifiers was not in the plan: the answers changed');
      const row = copyReleased(setup.ids, answers);
      const withheld = codeRow(setup, codes, row);
      const p = partOf(planned, answers);
      let counts = seen.get(planned);
      if (!counts) seen.set(planned, (counts = planned.parts.map(() => 0)));
      if (++counts[p]! > planned.parts[p]!.count) throw new MicrodataPlanMismatch('more rows than the plan counted: the answers changed');
      planned.parts[p]!.combination.forEach((v, j) => {
        if (v !== undefined) return;
        delete row[setup.quasiIdentifiers[j]!];
        for (const column of setup.qiColumns[j]!) if (!withheld.includes(column)) withheld.push(column);
      });
      // Definition order inside each row, as the stores keep answers (copyReleased kept it, and delete keeps it).
      return { row: row as Answers, suppressed: withheld };
    },
    finish() {
      for (const planned of distinct.values()) {
        const counts = seen.get(planned) ?? planned.parts.map(() => 0);
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
 * counts (pass one) and plans, `rankMicrodata` orders the rows of the few combinations split between
 * blanks and none (only when the plan needs it), `releaseMicrodata` applies the plan row by row (pass two, over a fresh
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
  let plan = planner.plan();
  if (plan.report.withheld !== undefined) return { rows: [], suppressed: [], report: plan.report };
  if (!plan.ranked) {
    const ranking = rankMicrodata(plan);
    for (const row of answers) ranking.add(row);
    plan = ranking.finish();
  }
  const release = releaseMicrodata(plan);
  const released = shuffled(answers, options.random).map((row) => release.apply(row));
  release.finish();
  return { rows: released.map((r) => r.row), suppressed: released.map((r) => r.suppressed), report: plan.report };
};
