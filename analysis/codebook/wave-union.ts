import { itemsOf, kindOf, packageColumns, partOf, type Answers, type Item, type SurveyDefinition, type Wave } from '../../survey-definitions/index.js';
import type { Microdata, MicrodataReport } from '../disclosure/microdata.js';

/**
 * One `part-two.csv` for one wave or several: the layout of the combined file and its cells. Pure.
 *
 * Each wave's rows went through the disclosure control on their own (`prepareMicrodata`), so every
 * guarantee holds within each wave; with the wave as a column of its own, a combination of the wave
 * and the quasi-identifiers is one wave's combination, so it holds for the combined file too (the
 * wave counts as a quasi-identifier), and a number is coded at each wave's own thresholds.
 *
 * Columns are the union over the waves' definition versions: an item id names the same question in
 * every version of a definition (the instrument contract), so it is one column whatever the wave. The
 * order is stable: the `wave` column, then the items of the earliest version in its order, then each
 * later version's new items in its order; an item's new options or rows come after its old ones.
 */

/** The waves of a package, each with its own version, its released rows and what the disclosure control did. */
export interface WaveRelease {
  readonly wave: Pick<Wave, 'id' | 'name' | 'fielded'>;
  readonly definition: SurveyDefinition;
  readonly report: MicrodataReport;
  /** The definition's content hash (`published-versions.json`), when the caller has it. */
  readonly contentHash?: string;
}

/** Their names are kept from items by the definition schema. */
export const waveColumn = packageColumns.wave;

/** The codes of a cell with no value. Empty keeps meaning "not answered", as in every CSV of the platform. */
export const missingCodes = { notAnswered: '', notAsked: '.n', suppressed: '.s' } as const;

export const missingValueLabels: readonly { readonly value: string; readonly label: string }[] = Object.freeze([
  { value: missingCodes.notAnswered, label: 'Not answered: the question was asked and left unanswered' },
  {
    value: missingCodes.notAsked,
    label: "Not asked: this wave's version of the questionnaire did not have this question, option or row",
  },
  {
    value: missingCodes.suppressed,
    label: 'Withheld by the disclosure control: the answer, or that there was none, is not released',
  },
]);

/** A numeric column that some wave top- or bottom-coded has a companion `<column>_coded` saying which cells are codes. */
export const codedSuffix = packageColumns.codedSuffix;
export const codedCategories: readonly { readonly value: string; readonly label: string }[] = Object.freeze([
  { value: 'exact', label: 'The value as answered' },
  { value: 'top', label: 'Top code: this value or more' },
  { value: 'bottom', label: 'Bottom code: this value or less' },
]);

/** One column of the combined file. */
export interface UnionColumn {
  readonly name: string;
  /** The item it belongs to; `wave` for the wave column. */
  readonly item: string;
  /** A companion column: the numeric column whose cells it qualifies. */
  readonly codes?: string;
}

export interface WaveUnion {
  /** In the order their rows come: by wave id, as the wave store lists them. */
  readonly waves: readonly WaveRelease[];
  /** The same waves by definition version (then id): the order in which columns were collected. */
  readonly byVersion: readonly WaveRelease[];
  /** The released items, each with its columns over all waves, in the combined order. */
  readonly items: readonly { readonly id: string; readonly columns: readonly string[] }[];
  readonly columns: readonly UnionColumn[];
  readonly header: readonly string[];
}

export class WavesNotCombinable extends Error {
  override name = 'WavesNotCombinable';
}

const partTwoItems = (definition: SurveyDefinition): readonly Item[] => itemsOf(partOf(definition, 'anonymous'));
const key = (definition: SurveyDefinition) => `${definition.id}@${definition.version}`;

/** What must stay the same for an item id to mean the same in two versions: its kind, and a rating's scale (the kind says). */
const meaning = (item: Item): string => kindOf(item).meaning(item);

/** The coding of one numeric variable in one wave, if it was top- or bottom-coded. */
export const codingOf = (report: MicrodataReport, column: string) => {
  const coding = report.numbers.find((n) => n.variable === column);
  return coding && (coding.top || coding.bottom) ? coding : undefined;
};

export const waveUnion = (releases: readonly WaveRelease[]): WaveUnion => {
  if (releases.length === 0) throw new WavesNotCombinable('a package needs at least one wave');
  const ids = releases.map((r) => r.wave.id);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length > 0) throw new WavesNotCombinable(`wave ${repeated[0]} is named more than once`);
  const definitionIds = [...new Set(releases.map((r) => r.definition.id))];
  if (definitionIds.length > 1) {
    throw new WavesNotCombinable(
      `the waves field different questionnaires (${releases.map((r) => `${r.wave.id}: ${key(r.definition)}`).join(', ')}); item ids are kept only within one questionnaire`,
    );
  }
  const waves = [...releases].sort((a, b) => (a.wave.id < b.wave.id ? -1 : a.wave.id > b.wave.id ? 1 : 0));
  const byVersion = [...waves].sort((a, b) => a.definition.version - b.definition.version);

  const kinds = new Map<string, { meaning: string; where: string }>();
  const order: string[] = [];
  const columnsOf = new Map<string, string[]>();
  for (const release of byVersion) {
    const released = new Set(release.report.items);
    for (const item of partTwoItems(release.definition)) {
      const seen = kinds.get(item.id);
      if (seen && seen.meaning !== meaning(item)) {
        throw new WavesNotCombinable(
          `item ${item.id} is a ${seen.meaning} in ${seen.where} but a ${meaning(item)} in ${key(release.definition)}: it cannot be one column`,
        );
      }
      if (!seen) kinds.set(item.id, { meaning: meaning(item), where: key(release.definition) });
      if (!released.has(item.id)) continue;
      if (!columnsOf.has(item.id)) {
        order.push(item.id);
        columnsOf.set(item.id, []);
      }
      const columns = columnsOf.get(item.id)!;
      for (const column of kindOf(item).columns(item)) if (!columns.includes(column)) columns.push(column);
    }
  }
  const items = order.map((id) => ({ id, columns: columnsOf.get(id)! }));
  const coded = (column: string) => waves.some((w) => codingOf(w.report, column));
  const columns: UnionColumn[] = [
    { name: waveColumn, item: waveColumn },
    ...items.flatMap(({ id, columns: names }) =>
      names.flatMap((name): UnionColumn[] => [{ name, item: id }, ...(coded(name) ? [{ name: `${name}${codedSuffix}`, item: id, codes: name }] : [])]),
    ),
  ];
  const header = columns.map((c) => c.name);
  const clash = header.find((name, i) => header.indexOf(name) !== i);
  if (clash) throw new WavesNotCombinable(`two columns would both be called ${clash}`);
  return { waves, byVersion, items, columns, header };
};

/**
 * The records of one wave's rows in the combined layout. A column the wave's version did not have is
 * "not asked" (`.n`); one it had but did not release (free text not released for this wave), or a cell
 * the disclosure control withheld, is "withheld" (`.s`); an unanswered question stays empty. A
 * companion `_coded` cell says whether the number beside it is exact or one of this wave's codes.
 *
 * Everything that depends only on the wave is worked out here, once; the function returned turns one
 * released row (its answers, and the columns the disclosure control withheld) into its record, as a
 * package streams them.
 */
export const unionRecordWriter = (union: WaveUnion, release: WaveRelease): ((answers: Answers, suppressed: readonly string[] | undefined) => string[]) => {
  const items = partTwoItems(release.definition);
  const asked = new Set(items.flatMap((item) => kindOf(item).columns(item)));
  const releasedIds = new Set(release.report.items);
  const released = items.filter((item) => releasedIds.has(item.id)).map((item) => ({ item, kind: kindOf(item), width: kindOf(item).columns(item).length }));
  // Each released column's place among a row's cells.
  const place = new Map<string, number>();
  released.flatMap(({ item, kind }) => kind.columns(item)).forEach((column, i) => place.set(column, i));
  const missing = new Set<string>(Object.values(missingCodes));
  /**
   * How each column of the combined file is filled: most are a cell of the row, by its place (`from`);
   * the rest by a function of the row's cells (`fill`).
   */
  const from = new Int32Array(union.columns.length).fill(-1);
  const fill: (((cells: readonly string[]) => string) | undefined)[] = union.columns.map((column, c) => {
    if (column.name === waveColumn && column.item === waveColumn) return () => release.wave.id;
    const name = column.codes ?? column.name;
    const at = place.get(name);
    if (!column.codes && at !== undefined) {
      from[c] = at;
      return undefined;
    }
    const valueOf: (cells: readonly string[]) => string =
      at !== undefined ? (cells) => cells[at]! : asked.has(name) ? () => missingCodes.suppressed : () => missingCodes.notAsked;
    if (!column.codes) return valueOf;
    const coding = codingOf(release.report, name);
    return (cells) => {
      const value = valueOf(cells);
      if (missing.has(value)) return value;
      const n = Number(value);
      if (coding?.top && n === coding.top.atLeast) return 'top';
      if (coding?.bottom && n === coding.bottom.atMost) return 'bottom';
      return 'exact';
    };
  });
  // Loops rather than forEach, map and spreads: every row of a package comes through here.
  return (answers, suppressed) => {
    const cells: string[] = [];
    for (const { item, kind, width } of released) {
      const answer = answers[item.id];
      if (answer === undefined) for (let c = 0; c < width; c++) cells.push(missingCodes.notAnswered);
      else for (const cell of kind.toCells(item, answer)) cells.push(cell);
    }
    if (suppressed !== undefined) {
      for (const column of suppressed) {
        const at = place.get(column);
        if (at !== undefined) cells[at] = missingCodes.suppressed;
      }
    }
    const record = new Array<string>(from.length);
    for (let c = 0; c < from.length; c++) {
      const at = from[c]!;
      record[c] = at >= 0 ? cells[at]! : fill[c]!(cells);
    }
    return record;
  };
};

/** The records of a wave's released rows (`unionRecordWriter`, row by row). */
export const unionRecords = (union: WaveUnion, release: WaveRelease, microdata: Pick<Microdata, 'rows' | 'suppressed'>): string[][] => {
  const record = unionRecordWriter(union, release);
  return microdata.rows.map((answers, r) => record(answers, microdata.suppressed[r]));
};
