import { findItem, isOfKind, kindOf, type Item, type SurveyDefinition } from '../../survey-definitions/index.js';
import type { AnalysisTable, Cell } from '../table-types.js';

export interface CellRef {
  readonly row: string;
  readonly column: string;
}

/**
 * Cells of one table that add up to a published n, so that a reader can work out one from the others.
 * `rest` says what else the total holds besides the cells:
 * - `none`: the cells are every category; they sum to n exactly;
 * - `structural`: a category no table ever shows (the middle rating point between the low and high
 *   bands), whose count is n minus the cells;
 * - `missing`: categories of the item that this view does not show (a compared wave whose item had an
 *   option the current wave's lacks). Another table (that wave's own) shows them, with its own pattern
 *   of suppression, so the view cannot know what combining the two would reveal.
 */
export interface LinkedGroup {
  readonly cells: readonly CellRef[];
  readonly rest: 'none' | 'structural' | 'missing';
}

type CellsOf = (row: AnalysisTable['rows'][number]) => Readonly<Record<string, Cell>> | undefined;

export const itemOf = (definition: SurveyDefinition, id: string): Item => {
  const item = findItem(definition, id);
  if (!item) throw new Error(`disclosure control: item ${id} is not in ${definition.id}@${definition.version}, so its cells cannot be linked`);
  return item;
};

const rest = (categories: readonly string[], shown: readonly string[]): LinkedGroup['rest'] =>
  categories.every((c) => shown.includes(c)) ? 'none' : 'missing';

/**
 * The groups of linked cells of a table (of its own cells, or of the compared wave's with `cellsOf`),
 * from the kind of table and the kind of its item in the definition the cells were counted from:
 *
 * - `share` of a single-choice item or a rating: every answer picks one option, so the rows sum to n;
 * - `share` of a multiple-choice item: a respondent may tick several options or none, so the counts
 *   are bounded by n but not linked by any published total: no group;
 * - `matrix-share`: every answered row picks exactly one column, so each row's cells sum to its n;
 * - `rating-bands`: low + middle + high = n for each row; the middle band is never shown, yet it is
 *   n - low - high, so each row is a group with a structural remainder;
 * - `mean`, `number-summary`: statistics, not counts; protected by their n alone.
 */
export const linkedGroups = (table: AnalysisTable, definition: SurveyDefinition, cellsOf: CellsOf = (row) => row.cells): LinkedGroup[] => {
  const present = (column: string) => table.rows.filter((row) => cellsOf(row)?.[column] !== undefined);
  switch (table.kind) {
    case 'share': {
      const item = itemOf(definition, table.items[0]!);
      const shares = kindOf(item).shareRows?.(item);
      if (!shares) throw new Error(`disclosure control: a share table of a ${item.kind} item (${item.id}) has no known linkage`);
      if (!shares.exclusive) return [];
      const categories = shares.rows.map((r) => r.id);
      const rows = present('share');
      if (rows.length === 0) return [];
      return [
        {
          cells: rows.map((r) => ({ row: r.id, column: 'share' })),
          rest: rest(
            categories,
            rows.map((r) => r.id),
          ),
        },
      ];
    }
    case 'matrix-share': {
      const item = itemOf(definition, table.items[0]!);
      if (!isOfKind(item, 'matrix-choice'))
        throw new Error(`disclosure control: a matrix-share table of a ${item.kind} item (${item.id}) has no known linkage`);
      const categories = item.columns.map((c) => c.code);
      return table.rows.flatMap((row) => {
        const cells = cellsOf(row);
        if (!cells) return [];
        const columns = table.columns.map((c) => c.id).filter((c) => cells[c] !== undefined);
        return columns.length === 0 ? [] : [{ cells: columns.map((column) => ({ row: row.id, column })), rest: rest(categories, columns) }];
      });
    }
    case 'rating-bands':
      return table.rows.flatMap((row) => {
        const cells = cellsOf(row);
        if (!cells) return [];
        const columns = ['low', 'high'].filter((c) => cells[c] !== undefined);
        return columns.length === 0 ? [] : [{ cells: columns.map((column) => ({ row: row.id, column })), rest: 'structural' as const }];
      });
    case 'mean':
    case 'number-summary':
      return [];
  }
};
