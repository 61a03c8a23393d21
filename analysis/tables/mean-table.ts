import { columnOf, type Item } from '../../survey-definitions/index.js';
import { itemColumnsIn } from '../wave-columns.js';
import { answeredValues, meanCellOf } from './column-statistics.js';
import { itemFor, rowsOf, type TableBuilder } from './table-builder.js';

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
  build(spec, definition, part) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['matrix-number', 'matrix-rating', 'rating']);
    if (typeof item === 'string') return { omitted: item };
    const columns = itemColumnsIn(part, item);
    const scratch = new Float64Array(part.size);
    return {
      table: {
        id: spec.id,
        title: spec.title,
        part: spec.part,
        kind: 'mean',
        items: spec.items,
        columns: [{ id: 'mean', label: columnLabel(item) }],
        rows: rowsOf(item).map((row) => ({ id: row.id, label: row.label, cells: { mean: meanCellOf(columnOf(columns, row.id, 'number'), scratch) } })),
        note: noteOf(item),
      },
    };
  },
  values: (spec, rowId, part) => {
    const column = part.items.get(spec.items[0]!)?.get(rowId);
    return column?.layout === 'number' ? answeredValues(column) : [];
  },
};
