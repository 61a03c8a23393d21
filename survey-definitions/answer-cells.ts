import { itemsOf, partOf } from './define-survey.js';
import type { Item, PartId, SurveyDefinition } from './definition-schema.js';
import { kindOf } from './kinds/kind-registry.js';
import type { AnswerIssue } from './kinds/question-kind.js';
import type { StoredAnswers } from './stored-answers.js';
import type { Answers } from './validate-answers.js';

/**
 * Answers as cells, one per column (`pressure.children`): the one way answers are read from a CSV file,
 * a web form's fields or a roster's row, and written back to a CSV file. Each kind says how its cells
 * read (`fromCells`) and write (`toCells`); the survey's rules are checked by `validateAnswers`.
 */

/** The CSV columns of one part of one definition, in definition order, per the instrument's conventions. */
export interface CsvLayout {
  readonly header: readonly string[];
  readonly items: readonly { readonly item: Item; readonly columns: readonly string[] }[];
}

export const layoutOfItems = (items: readonly Item[]): CsvLayout => {
  const laid = items.map((item) => ({ item, columns: kindOf(item).columns(item) }));
  return { header: laid.flatMap((i) => i.columns), items: laid };
};

export const csvLayout = (definition: SurveyDefinition, partId: PartId): CsvLayout => layoutOfItems(itemsOf(partOf(definition, partId)));

/**
 * Turns one record of cells into raw answers for `validateAnswers`. `cell(column)` is undefined when the
 * file or form has no such column. Issues here are about the encoding (a multi-choice flag that is not
 * 0 or 1); the survey's rules are checked by the validation function.
 */
export const decodeRecord = (
  layout: CsvLayout,
  cell: (column: string) => string | undefined,
  /**
   * Undoes the CSV writer's formula guard in free-text cells (server/csv/formula-guard.ts `restore`); a
   * web form's text is taken exactly as typed, so the forms pass none.
   */
  { unguard }: { unguard?: (cell: string) => string } = {},
): { answers: Record<string, unknown>; issues: AnswerIssue[] } => {
  const answers: Record<string, unknown> = {};
  const issues: AnswerIssue[] = [];
  for (const { item, columns } of layout.items) {
    const kind = kindOf(item);
    const cells = columns.map((c) => {
      const value = cell(c);
      return value !== undefined && unguard && kind.freeText ? unguard(value) : value;
    });
    const read = kind.fromCells(item, cells);
    if (read === undefined) continue;
    if (read.ok) answers[item.id] = read.value;
    else issues.push(...read.issues);
  }
  return { answers, issues };
};

/**
 * Reads some items' cells and checks each answer given by its kind's rules alone: for a file that
 * carries a few questions of a part beside its own columns (a roster's name and email), where the
 * part's required and related rules do not apply. An unanswered item is absent, with no issue.
 */
export const readAnswers = (
  items: readonly Item[],
  cell: (column: string) => string | undefined,
): { answers: Record<string, unknown>; issues: AnswerIssue[] } => {
  const decoded = decodeRecord(layoutOfItems(items), cell);
  const answers: Record<string, unknown> = {};
  const issues = [...decoded.issues];
  for (const item of items) {
    if (!(item.id in decoded.answers)) continue;
    const checked = kindOf(item).check(item, decoded.answers[item.id]);
    if (checked.ok) answers[item.id] = checked.value;
    else issues.push(...checked.issues);
  }
  return { answers, issues };
};

/** One record of cells aligned with `layout.header`; the CSV writer (server/csv/csv-writer.ts) defuses them for spreadsheets. */
export const encodeRecord = (layout: CsvLayout, answers: Answers): string[] => {
  // A loop rather than flatMap and spreads: an export encodes every row of a wave through here.
  const cells: string[] = [];
  for (const { item, columns } of layout.items) {
    const answer = answers[item.id];
    if (answer === undefined) for (let i = 0; i < columns.length; i++) cells.push('');
    else for (const cell of kindOf(item).toCells(item, answer)) cells.push(cell);
  }
  return cells;
};

/**
 * Writes responses as a store keeps them (stored-answers.ts: a JSON array by position, or an object) as
 * records of cells, each exactly as `encodeRecord` writes the answers it holds, without making those
 * answers: an array's elements are written where they stand, a grid's cell by cell (`keyCell`). The export
 * writes every row of a wave through here; decoding each row into answers first cost more than writing
 * them (issue 16). `layout` and `stored` must be of the same part of the same definition.
 */
export const storedRecordEncoder = (layout: CsvLayout, stored: StoredAnswers): ((text: string) => string[]) => {
  if (layout.items.length !== stored.itemIds.length || layout.items.some(({ item }, i) => item.id !== stored.itemIds[i])) {
    throw new Error('storedRecordEncoder: the layout and the stored form are of different parts');
  }
  /** Writes one item's stored value (null or absent: not answered) as its cells. */
  type Write = (value: unknown, cells: string[]) => void;
  const writers = layout.items.map(({ item, columns }, index): Write => {
    const kind = kindOf(item);
    const width = columns.length;
    const keyCell = kind.answerKeys && kind.keyCell;
    return (value, cells) => {
      if (value === null || value === undefined) {
        for (let i = 0; i < width; i++) cells.push('');
      } else if (keyCell && Array.isArray(value)) {
        if (value.length > width) throw new Error(`a stored answer to ${item.id} has ${value.length} rows, the item ${width}`);
        for (let i = 0; i < width; i++) {
          const cell: unknown = value[i];
          cells.push(cell === null || cell === undefined ? '' : keyCell(item, cell as never));
        }
      } else {
        // Any other answer is kept as it is given, and a grid kept as an object (a response stored
        // before the positional form) is one: written as an answer.
        for (const cell of kind.toCells(item, stored.decodeItem(index, value))) cells.push(cell);
      }
    };
  });
  return (text) => {
    const values = stored.parse(text);
    if (!Array.isArray(values)) return encodeRecord(layout, values as Answers);
    const cells: string[] = [];
    for (let i = 0; i < writers.length; i++) writers[i]!(values[i], cells);
    return cells;
  };
};
