import type { Answers } from '../../survey-definitions/index.js';
import { meanCell } from './cells.js';
import { itemFor, numbersOf, type TableBuilder } from './table-builder.js';

const rowValues = (responses: readonly Answers[], itemId: string, rowId: string) =>
  numbersOf(responses, (answers) => (answers[itemId] as Record<string, unknown> | undefined)?.[rowId]);

/** The mean of a matrix of numbers, per row, over the respondents who answered that row. */
export const meanTable: TableBuilder = {
  kind: 'mean',
  build(spec, definition, responses) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['matrix-number']);
    if (typeof item === 'string') return { omitted: item };
    const unit = item.bounds.unit ? ` (${item.bounds.unit})` : '';
    // Every row's values in one pass over the responses, not one pass per row.
    const valuesByRow: number[][] = item.rows.map(() => []);
    const rowIndex = new Map(item.rows.map((row, i) => [row.id, i]));
    for (const answers of responses) {
      const matrix = answers[id] as Record<string, unknown> | undefined;
      if (matrix === undefined) continue;
      for (const rowId in matrix) {
        const i = rowIndex.get(rowId);
        const value = matrix[rowId];
        if (i !== undefined && typeof value === 'number') valuesByRow[i]!.push(value);
      }
    }
    return {
      table: {
        id: spec.id,
        title: spec.title,
        part: spec.part,
        kind: 'mean',
        items: spec.items,
        columns: [{ id: 'mean', label: `Average${unit}` }],
        rows: item.rows.map((row, i) => ({ id: row.id, label: row.label, cells: { mean: meanCell(valuesByRow[i]!) } })),
        note: 'Each row is averaged over the respondents who gave a value for that area; rows need not sum to 100.',
      },
    };
  },
  values: (spec, rowId, responses) => rowValues(responses, spec.items[0]!, rowId),
};
