import type { z } from 'zod';
import type { ItemColumns, ItemColumnsWriter } from './answer-columns.js';
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

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly AnswerIssue[] };

export const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
export const refuse = (...issues: AnswerIssue[]): Checked<never> => ({ ok: false, issues });

/** One row of a share table: an option or a rating point, and whether an answer chose it. */
export interface ShareRow {
  readonly id: string;
  readonly label: string;
  readonly chosen: (answer: unknown) => boolean;
}

/** One numeric variable of an item (a number, or a row of a number grid), read from and written back into answers by id. */
export interface NumberVariable {
  /** Its CSV column. */
  readonly name: string;
  read(answers: Readonly<Record<string, unknown>>): number | undefined;
  /** Sets or (undefined) removes the value, in place; an item left with no value is removed. */
  write(answers: Record<string, unknown>, value: number | undefined): void;
}

/**
 * A list of codes an item's answers are recorded with: a choice's options, a grid's rows (each a CSV column) or its
 * columns. `field` is the list's key in the definition, `noun` what an analyst calls one entry.
 */
export interface CodeList {
  readonly field: string;
  readonly noun: string;
  /** `code` is the option's code or the row's id. */
  readonly entries: readonly { readonly code: string; readonly label: string }[];
}

/**
 * Everything that differs between question kinds lives behind this interface, one folder per kind,
 * so adding a kind means adding a folder and registering it, never a new branch in a switch.
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
  /** What must stay the same for an item id to mean the same in two versions (a package of several waves). */
  meaning(item: Item): string;
  /**
   * The item's lists of codes, for kinds that have them. A code is unique in its list and keeps its label across
   * versions, since answers and CSV columns of every wave are read by it.
   */
  codeLists?(item: Item): readonly CodeList[];
  /**
   * Whether the respondent writes the answer in their own words, so that a page's advice on what to write
   * (part two: name nobody) is added to the question's help.
   */
  readonly writtenInWords: boolean;
  /**
   * A share table's rows, for kinds whose answers are counted by category; `exclusive` when every answer
   * falls in exactly one row (so the rows sum to n and are linked cells), `note` what n counts. `count`
   * counts the rows from the item's answer columns (answerColumns): n, and each row's count in row order,
   * as `chosen` would count them answer by answer.
   */
  shareRows?(item: Item): {
    readonly rows: readonly ShareRow[];
    readonly exclusive: boolean;
    readonly note: string;
    count(columns: ItemColumns): { readonly n: number; readonly counts: readonly number[] };
  };
  /**
   * How the item's answers are laid out as columns (answer-columns.ts), for kinds whose answers are
   * tabulated; absent for answers in words, which no table counts. `expected`: how many responses
   * will be added, when known.
   */
  answerColumns?(item: Item, expected?: number): ItemColumnsWriter;
  /**
   * The kinds of analysis table (analysis/tables/: share, matrix-share, mean, rating-bands,
   * number-summary) an item of this kind gets when the report's layout does not place it, named by
   * string because the definitions import nothing of the analysis. The first table takes the item's id.
   * Empty for free text and email addresses: answers in words are not counted but read, through the
   * researchers' release of free text.
   */
  readonly defaultTables: readonly string[];
  /** The item's numeric variables, for kinds whose answers are numbers (the disclosure control codes them). */
  numberVariables?(item: Item): readonly NumberVariable[];
  /**
   * For kinds whose answer is an object keyed by its rows (the grids): the keys, in the order a store keeps
   * the rows' answers by position (stored-answers.ts). Absent for every other kind, whose answer is kept as it is.
   */
  answerKeys?(item: Item): readonly string[];
  /**
   * With `answerKeys`: one key's answer as its cell, exactly as `toCells` writes it. The item's columns are
   * its keys' in the same order, so a grid kept by position is written cell by cell without being keyed
   * again (answer-cells.ts `storedRecordEncoder`, which the export runs on every row of a wave).
   */
  keyCell?(item: Item, value: Answer extends Readonly<Record<string, infer Cell>> ? Cell : never): string;
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
