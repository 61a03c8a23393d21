import type { z } from 'zod';
import type { CodebookField } from './codebook-fields.js';

/** One problem with one answer. `path` is the CSV column the value came from (`pressure.children`). */
export interface AnswerIssue {
  readonly path: string;
  readonly rule: string;
  readonly expected: string;
  /** The value as given; absent when nothing was given. */
  readonly got?: unknown;
  /** For a rule that relates two answers: the other one, in words (`“How many … attend?” (5)`). */
  readonly other?: string;
}

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly AnswerIssue[] };

export const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
export const refuse = (...issues: AnswerIssue[]): Checked<never> => ({ ok: false, issues });

/**
 * Everything that differs between question kinds lives behind this interface, one module per kind,
 * so adding a kind means adding a module and registering it, never a new branch in a switch.
 */
export interface QuestionKind<Item extends { readonly kind: string; readonly id: string }, Answer> {
  readonly kind: Item['kind'];
  /** Zod schema of the item as written in a definition. */
  readonly itemSchema: z.ZodType<Item, any>;
  /** Free-text kinds keep a leading quote that the CSV export added to defuse spreadsheet formulas. */
  readonly freeText: boolean;
  /** Checks an answer that is present (the caller handles "not answered"). */
  check(item: Item, value: unknown): Checked<Answer>;
  /** CSV columns of the item, in order. */
  columns(item: Item): readonly string[];
  /**
   * Reads the item's CSV cells (aligned with `columns`; `undefined` when the file lacks the column).
   * Returns `undefined` when the respondent did not answer, otherwise a value for `check`.
   */
  fromCells(item: Item, cells: readonly (string | undefined)[]): Checked<unknown> | undefined;
  /** Writes an answer as cells aligned with `columns`. */
  toCells(item: Item, answer: Answer): readonly string[];
  /**
   * Whether the form has a control with id `fieldId(column)` for every CSV column, so that an error of one
   * column (a row of a grid) can lead to it. When not (a later box of a multiple choice has no such id),
   * errors lead to the question's first control.
   */
  readonly fieldPerColumn: boolean;
  /** The item's CSV columns as a researcher codebook describes them, aligned with `columns` (codebook-fields.ts). */
  codebookFields(item: Item): readonly CodebookField[];
  /** The answer in words, one line per part (a matrix gives one line per answered row), for check pages. */
  display(item: Item, answer: Answer): readonly string[];
  /**
   * The message a respondent reads for an issue the definition wrote no message for (default-messages.ts).
   * `subject` is what the page shows: the question, or the row of a grid.
   */
  message(item: Item, issue: AnswerIssue, subject: string): string;
  /**
   * Rules that relate this answer to others of the same section (chaired no more than attended), run by
   * `validateAnswers` once every answer of the page or file is read. `answerOf` gives another item's
   * answer (undefined when not answered); `labelOf` its question.
   */
  relate?(item: Item, answer: Answer, others: { answerOf(id: string): unknown; labelOf(id: string): string }): readonly AnswerIssue[];
}
