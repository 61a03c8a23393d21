import { allItems, type Answers, type Item, type SurveyDefinition } from '../../../survey-definitions/index.js';
import type { TableSpec } from '../../../analysis/table-catalogue.js';
import type { AnalysisTable, TableKind } from '../../../analysis/table-types.js';

export type Built = { readonly table: AnalysisTable } | { readonly omitted: string };

/** One module per kind of table: how to build it from answers, and the raw values behind a mean. */
export interface TableBuilder {
  readonly kind: TableKind;
  /** What the table shows, in a few words, for the title of a question's second default table ("average"). */
  readonly shows: string;
  build(spec: TableSpec, definition: SurveyDefinition, responses: readonly Answers[]): Built;
  /** The answered values behind a mean or summary cell, for the permutation test. */
  values?(spec: TableSpec, rowId: string, responses: readonly Answers[]): number[];
}

/** The item, when the definition has it with one of the expected kinds; otherwise why not. */
export const itemFor = <K extends Item['kind']>(definition: SurveyDefinition, id: string, kinds: readonly K[]): Extract<Item, { kind: K }> | string => {
  const item = allItems(definition).find((i) => i.id === id);
  if (!item) return `item ${id} is not in ${definition.id}@${definition.version}`;
  if (!(kinds as readonly string[]).includes(item.kind)) return `item ${id} is a ${item.kind} item, not ${kinds.join(' or ')}`;
  return item as Extract<Item, { kind: K }>;
};

export const numbersOf = (responses: readonly Answers[], read: (answers: Answers) => unknown): number[] => {
  const out: number[] = [];
  for (const answers of responses) {
    const value = read(answers);
    if (typeof value === 'number') out.push(value);
  }
  return out;
};

/** The rows of a table of one item: a grid's rows, or the question itself as the one row of a scalar question. */
export const rowsOf = (item: Item): readonly { readonly id: string; readonly label: string }[] =>
  'rows' in item ? item.rows : [{ id: item.id, label: item.label }];

/**
 * Each row's answer of one respondent: a grid answers by row id, a scalar question (the one row its
 * rowsOf gives) by itself.
 */
export const forEachRowAnswer = (answers: Answers, itemId: string, visit: (rowId: string, value: unknown) => void): void => {
  const answer = answers[itemId];
  if (answer === undefined) return;
  if (typeof answer === 'object' && answer !== null) {
    for (const rowId in answer) visit(rowId, (answer as Record<string, unknown>)[rowId]);
  } else visit(itemId, answer);
};
