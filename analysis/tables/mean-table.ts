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
    return {
      table: {
        id: spec.id,
        title: spec.title,
        part: spec.part,
        kind: 'mean',
        items: spec.items,
        columns: [{ id: 'mean', label: `Average${unit}` }],
        rows: item.rows.map((row) => ({ id: row.id, label: row.label, cells: { mean: meanCell(rowValues(responses, id, row.id)) } })),
        note: 'Each row is averaged over the respondents who gave a value for that area; rows need not sum to 100.',
      },
    };
  },
  values: (spec, rowId, responses) => rowValues(responses, spec.items[0]!, rowId),
};
