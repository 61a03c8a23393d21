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
    const rows = item.rows.map((row) => {
      let n = 0;
      let low = 0;
      let high = 0;
      for (const answers of responses as Answers[]) {
        const value = (answers[id] as Record<string, number> | undefined)?.[row.id];
        if (typeof value !== 'number') continue;
        n++;
        if (value <= min + 1) low++;
        if (value >= max - 1) high++;
      }
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
