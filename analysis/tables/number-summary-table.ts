import { columnOf } from '../../survey-definitions/index.js';
import { itemColumnsIn } from '../wave-columns.js';
import { answeredValues, summaryCellOf } from './column-statistics.js';
import { itemFor, type TableBuilder } from './table-builder.js';

/** One row per number item with its median, range and mean. */
export const numberSummaryTable: TableBuilder = {
  kind: 'number-summary',
  shows: 'summary',
  build(spec, definition, part) {
    const rows = [];
    // One scratch array for every row's answers (column-statistics.ts).
    const scratch = new Float64Array(part.size);
    for (const id of spec.items) {
      const item = itemFor(definition, id, ['number']);
      if (typeof item === 'string') return { omitted: item };
      rows.push({ id, label: item.label, cells: { summary: summaryCellOf(columnOf(itemColumnsIn(part, item), id, 'number'), scratch) } });
    }
    return {
      table: {
        id: spec.id,
        title: spec.title,
        part: spec.part,
        kind: 'number-summary',
        items: spec.items,
        columns: [{ id: 'summary', label: 'Summary' }],
        rows,
        note: 'Median, range and mean over the respondents who gave a number; the median of an even count is the mean of the middle two.',
      },
    };
  },
  values: (_spec, rowId, part) => {
    const column = part.items.get(rowId)?.get(rowId);
    return column?.layout === 'number' ? answeredValues(column) : [];
  },
};
