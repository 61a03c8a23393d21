import type { Answers, Item } from '../../../survey-definitions/index.js';
import { meanCell } from '../../../analysis/tables/cells.js';
import { forEachRowAnswer, itemFor, numbersOf, rowsOf, type TableBuilder } from './table-builder.js';

const rowValues = (responses: readonly Answers[], itemId: string, rowId: string) =>
  numbersOf(responses, (answers) => {
    const answer = answers[itemId];
    return typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[rowId] : answer;
  });

const columnLabel = (item: Item) => {
  if ('scale' in item) return `Average rating (${item.scale.min} to ${item.scale.max})`;
  return 'bounds' in item && item.bounds.unit ? `Average (${item.bounds.unit})` : 'Average';
};

const noteOf = (item: Item) =>
  'scale' in item
    ? `Ratings from ${item.scale.min} (${item.scale.minLabel.toLowerCase()}) to ${item.scale.max} (${item.scale.maxLabel.toLowerCase()}), averaged over the respondents who gave one${'rows' in item ? ' for that row' : ''}.`
    : 'Each row is averaged over the respondents who gave a value for that area; rows need not sum to 100.';

/**
 * The mean of a matrix of numbers, per row, over the respondents who answered that row; or of ratings,
 * a grid's per row or a single question's as one row.
 */
export const meanTable: TableBuilder = {
  kind: 'mean',
  shows: 'average',
  build(spec, definition, responses) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['matrix-number', 'matrix-rating', 'rating']);
    if (typeof item === 'string') return { omitted: item };
    const itemRows = rowsOf(item);
    // Every row's values in one pass over the responses, not one pass per row.
    const valuesByRow: number[][] = itemRows.map(() => []);
    const rowIndex = new Map(itemRows.map((row, i) => [row.id, i]));
    for (const answers of responses) {
      forEachRowAnswer(answers, id, (rowId, value) => {
        const i = rowIndex.get(rowId);
        if (i !== undefined && typeof value === 'number') valuesByRow[i]!.push(value);
      });
    }
    return {
      table: {
        id: spec.id,
        title: spec.title,
        part: spec.part,
        kind: 'mean',
        items: spec.items,
        columns: [{ id: 'mean', label: columnLabel(item) }],
        rows: itemRows.map((row, i) => ({ id: row.id, label: row.label, cells: { mean: meanCell(valuesByRow[i]!) } })),
        note: noteOf(item),
      },
    };
  },
  values: (spec, rowId, responses) => rowValues(responses, spec.items[0]!, rowId),
};
