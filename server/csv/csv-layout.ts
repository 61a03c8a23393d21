import {
  itemsOf,
  kindOf,
  partOf,
  type Answers,
  type AnswerIssue,
  type Item,
  type PartId,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import { restore } from './formula-guard.js';

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
 * Turns one CSV record into raw answers for `validateAnswers`. `cell(column)` is undefined when the
 * file has no such column. Issues here are about the CSV encoding (a multi-choice flag that is not
 * 0 or 1); the survey's rules are checked by the validation function.
 */
export const decodeRecord = (
  layout: CsvLayout,
  cell: (column: string) => string | undefined,
  /** CSV files carry the writer's formula guard (csv-writer.ts); a web form's text is taken exactly as typed. */
  { guarded = true }: { guarded?: boolean } = {},
): { answers: Record<string, unknown>; issues: AnswerIssue[] } => {
  const answers: Record<string, unknown> = {};
  const issues: AnswerIssue[] = [];
  for (const { item, columns } of layout.items) {
    const kind = kindOf(item);
    const cells = columns.map((c) => {
      const value = cell(c);
      return value !== undefined && guarded && kind.freeText ? restore(value) : value;
    });
    const read = kind.fromCells(item, cells);
    if (read === undefined) continue;
    if (read.ok) answers[item.id] = read.value;
    else issues.push(...read.issues);
  }
  return { answers, issues };
};

/** One record of cells aligned with `layout.header`; the CSV writer (csv-writer.ts) defuses them for spreadsheets. */
export const encodeRecord = (layout: CsvLayout, answers: Answers): string[] =>
  layout.items.flatMap(({ item, columns }) => {
    const answer = answers[item.id];
    return answer === undefined ? columns.map(() => '') : [...kindOf(item).toCells(item, answer)];
  });
