import { canonicalJson } from '../../survey-definitions/content-hash.js';
import { itemsOf, kindOf, partOf, type Answers, type Item, type NumberVariable, type SurveyDefinition } from '../../survey-definitions/index.js';
import { checkedK } from './disclosure-types.js';
import { suppressLocally, type Combination } from './local-suppression.js';
import { shuffled, type RandomSource } from './shuffle.js';
import { codeNumbers, type NumberCoding } from './top-coding.js';

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

/** The numeric variables of the items: each number item, and each row of a matrix of numbers (their kinds say how). */
const numberVariables = (items: readonly Item[]): NumberVariable[] => items.flatMap((item) => kindOf(item).numberVariables?.(item) ?? []);

const textReleased = (item: Item, releaseText: MicrodataOptions['releaseText']) =>
  releaseText === true || (Array.isArray(releaseText) && releaseText.includes(item.id));

/**
 * Researcher microdata of part two: the anonymous answers, made safer to hand over.
 *
 * 1. Items: free-text and e-mail items are dropped unless `releaseText` names them (identifying items
 *    too, though the schema already keeps them out of part two).
 * 2. Numbers: each number item and each row of a matrix of numbers is top- and bottom-coded, and any
 *    value still held by fewer than k respondents blanked (`codeNumbers`), so no released value is rare.
 * 3. Quasi-identifiers: cells are blanked (`suppressLocally`) until every combination of their
 *    released values is shared by at least k rows; "not answered" and "suppressed" are shown apart
 *    (`suppressed`), so each is a value of its own in the combinations.
 * 4. Order: the work is done in a canonical order (by content), so the same answers always give the
 *    same cells; the rows are then shuffled, and carry no id.
 *
 * Neutralising spreadsheet formulas in text is the CSV writer's job (`server/csv/formula-guard.ts`,
 * applied by the export's `encodeRecord`); this returns plain answers for it.
 *
 * Microdata answer every question a table would, so it is for approved researchers under an
 * agreement, not for publication: a researcher can count any cell that a public table suppresses.
 */
export const prepareMicrodata = (definition: SurveyDefinition, answers: readonly Answers[], options: MicrodataOptions = {}): Microdata => {
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
  const order = options.random ? 'shuffled (seeded: not for release)' : 'shuffled (CSPRNG)';
  const base = { k, items: ids, dropped, quasiIdentifiers, order } as const;

  if (answers.length < k) {
    return {
      rows: [],
      suppressed: [],
      report: {
        ...base,
        rows: 0,
        numbers: [],
        localSuppression: { cells: 0, byItem: {} },
        withheld: `${answers.length} responses: fewer than k = ${k}, so no row can be hidden among k`,
      },
    };
  }

  // A canonical order first (by content), so that nothing after depends on the order the rows came in,
  // not even a tie-break: the same answers always give the same release, up to the order of its rows.
  // Two packages made at different times, or a wave's own package and a package of several waves, so
  // never blank different cells of the same rows, which a reader could put together.
  // Copied once, matrices included, so that coding can change the copies in place and the input stays as it was.
  const copy = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : v);
  // Released free text orders rows only among rows alike in everything else, so a package with some text
  // released and one without blank the same cells of rows a reader can tell apart.
  const coded = ids.filter((id) => !kindOf(released.find((i) => i.id === id)!).freeText);
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  // The whole row's JSON only breaks ties of the key, so it is made only for rows that tie (with no text
  // released, only identical rows do): one JSON text per row held through the sort, not two.
  type Keyed = { row: Record<string, unknown>; key: string; full?: string };
  const fullOf = (entry: Keyed) => (entry.full ??= canonicalJson(entry.row));
  const rows: Record<string, unknown>[] = answers
    .map((a) => Object.fromEntries(ids.filter((id) => a[id] !== undefined).map((id) => [id, copy(a[id])])))
    .map((row): Keyed => ({ row, key: canonicalJson(coded.map((id) => row[id] ?? null)) }))
    .sort((a, b) => compare(a.key, b.key) || compare(fullOf(a), fullOf(b)))
    .map(({ row }) => row);
  const withheld: string[][] = rows.map(() => []);

  const numbers: NumberCoding[] = [];
  for (const variable of numberVariables(released)) {
    const before = rows.map(variable.read);
    const { values, coding } = codeNumbers(variable.name, before, k);
    rows.forEach((row, i) => {
      variable.write(row, values[i]);
      if (before[i] !== undefined && values[i] === undefined) withheld[i]!.push(variable.name);
    });
    if (coding.top || coding.bottom || coding.suppressed > 0) numbers.push(coding);
  }

  const combinations: Combination[] = rows.map((row) => quasiIdentifiers.map((id) => (row[id] === undefined ? notAnswered : JSON.stringify(row[id]))));
  const { blanked } = quasiIdentifiers.length === 0 ? { blanked: [] } : suppressLocally(combinations, k);
  const byItem: Record<string, number> = {};
  for (const [row, j] of blanked) {
    const id = quasiIdentifiers[j]!;
    delete rows[row]![id];
    const item = released.find((i) => i.id === id)!;
    withheld[row]!.push(...kindOf(item).columns(item));
    byItem[id] = (byItem[id] ?? 0) + 1;
  }

  // Definition order inside each row, as the stores keep answers; then a fresh random order of the rows.
  const permutation = shuffled(
    rows.map((_, i) => i),
    options.random,
  );
  const ordered = permutation.map((i) => Object.fromEntries(ids.filter((id) => rows[i]![id] !== undefined).map((id) => [id, rows[i]![id]])) as Answers);
  return {
    rows: ordered,
    suppressed: permutation.map((i) => withheld[i]!),
    report: { ...base, rows: ordered.length, numbers, localSuppression: { cells: blanked.length, byItem } },
  };
};
