import type { Answers } from '../../../survey-definitions/index.js';
import { shareCell } from '../../../analysis/tables/cells.js';
import { forEachRowAnswer, itemFor, rowsOf, type TableBuilder } from './table-builder.js';

/**
 * Ratings folded into bands per row, as the report does for pressure: `low` is the two lowest points
 * of the scale (1-2), `high` the two highest (4-5); the middle point counts only in n. A matrix of
 * ratings gives a row per matrix row; a single rating question one row, itself.
 */
export const ratingBandsTable: TableBuilder = {
  kind: 'rating-bands',
  shows: 'lowest and highest ratings',
  build(spec, definition, responses) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['matrix-rating', 'rating']);
    if (typeof item === 'string') return { omitted: item };
    const { min, max } = item.scale;
    // One pass over the responses for all rows, not one per row.
    const itemRows = rowsOf(item);
    const tally = itemRows.map(() => ({ n: 0, low: 0, high: 0 }));
    const rowIndex = new Map(itemRows.map((row, i) => [row.id, i]));
    for (const answers of responses as Answers[]) {
      forEachRowAnswer(answers, id, (rowId, value) => {
        const i = rowIndex.get(rowId);
        if (i === undefined || typeof value !== 'number') return;
        const t = tally[i]!;
        t.n++;
        if (value <= min + 1) t.low++;
        if (value >= max - 1) t.high++;
      });
    }
    const rows = itemRows.map((row, i) => {
      const { n, low, high } = tally[i]!;
      return { id: row.id, label: row.label, cells: { low: shareCell(low, n), high: shareCell(high, n) } };
    });
    return {
      table: {
        id: spec.id,
        title: spec.title,
        part: spec.part,
        kind: 'rating-bands',
        items: spec.items,
        columns: [
          { id: 'low', label: `Lowest (${min}-${min + 1})` },
          { id: 'high', label: `Highest (${max - 1}-${max})` },
        ],
        rows,
        note: `Ratings from ${min} (${item.scale.minLabel.toLowerCase()}) to ${max} (${item.scale.maxLabel.toLowerCase()}); n counts everyone who rated ${'rows' in item ? 'the area' : 'it'}, including the middle point.`,
      },
    };
  },
};
