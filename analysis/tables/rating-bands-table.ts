import type { Answers } from '../../survey-definitions/index.js';
import { shareCell } from './cells.js';
import { itemFor, type TableBuilder } from './table-builder.js';

/**
 * A matrix of ratings folded into bands per row, as the report does for pressure: `low` is the two
 * lowest points of the scale (1-2), `high` the two highest (4-5); the middle point counts only in n.
 */
export const ratingBandsTable: TableBuilder = {
  kind: 'rating-bands',
  build(spec, definition, responses) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['matrix-rating']);
    if (typeof item === 'string') return { omitted: item };
    const { min, max } = item.scale;
    // One pass over the responses for all rows, not one per row.
    const tally = item.rows.map(() => ({ n: 0, low: 0, high: 0 }));
    const rowIndex = new Map(item.rows.map((row, i) => [row.id, i]));
    for (const answers of responses as Answers[]) {
      const matrix = answers[id] as Record<string, number> | undefined;
      if (matrix === undefined) continue;
      for (const rowId in matrix) {
        const i = rowIndex.get(rowId);
        const value = matrix[rowId];
        if (i === undefined || typeof value !== 'number') continue;
        const t = tally[i]!;
        t.n++;
        if (value <= min + 1) t.low++;
        if (value >= max - 1) t.high++;
      }
    }
    const rows = item.rows.map((row, i) => {
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
        note: `Ratings from ${min} (${item.scale.minLabel.toLowerCase()}) to ${max} (${item.scale.maxLabel.toLowerCase()}); n counts everyone who rated the area, including the middle point.`,
      },
    };
  },
};
