import { findItem, type Item, type SurveyDefinition } from '../../survey-definitions/index.js';
import type { TableSpec } from '../table-catalogue.js';
import type { AnalysisTable, TableKind } from '../table-types.js';
import type { PartColumns } from '../wave-columns.js';

export type Built = { readonly table: AnalysisTable } | { readonly omitted: string };

/** One module per kind of table: how to build it from a part's answer columns, and the raw values behind a mean. */
export interface TableBuilder {
  readonly kind: TableKind;
  /** What the table shows, in a few words, for the title of a question's second default table ("average"). */
  readonly shows: string;
  build(spec: TableSpec, definition: SurveyDefinition, part: PartColumns): Built;
  /** The answered values behind a mean or summary cell, in response order, for the permutation test. */
  values?(spec: TableSpec, rowId: string, part: PartColumns): number[];
}

/** The item, when the definition has it with one of the expected kinds; otherwise why not. */
export const itemFor = <K extends Item['kind']>(definition: SurveyDefinition, id: string, kinds: readonly K[]): Extract<Item, { kind: K }> | string => {
  const item = findItem(definition, id);
  if (!item) return `item ${id} is not in ${definition.id}@${definition.version}`;
  if (!(kinds as readonly string[]).includes(item.kind)) return `item ${id} is a ${item.kind} item, not ${kinds.join(' or ')}`;
  return item as Extract<Item, { kind: K }>;
};

/**
 * The rows of a table of one item: a grid's rows, or the question itself as the one row of a scalar
 * question. Each row is a column of the item's answers, named by the row's id (answer-columns.ts).
 */
export const rowsOf = (item: Item): readonly { readonly id: string; readonly label: string }[] =>
  'rows' in item ? item.rows : [{ id: item.id, label: item.label }];
