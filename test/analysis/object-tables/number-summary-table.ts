import type { Answers } from '../../../survey-definitions/index.js';
import { summaryCell } from '../../../analysis/tables/cells.js';
import { itemFor, numbersOf, type TableBuilder } from './table-builder.js';

const itemValues = (responses: readonly Answers[], itemId: string) => numbersOf(responses, (answers) => answers[itemId]);

/** One row per number item with its median, range and mean. */
export const numberSummaryTable: TableBuilder = {
  kind: 'number-summary',
  shows: 'summary',
  build(spec, definition, responses) {
    const rows = [];
    for (const id of spec.items) {
      const item = itemFor(definition, id, ['number']);
      if (typeof item === 'string') return { omitted: item };
      rows.push({ id, label: item.label, cells: { summary: summaryCell(itemValues(responses, id)) } });
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
  values: (_spec, rowId, responses) => itemValues(responses, rowId),
};
