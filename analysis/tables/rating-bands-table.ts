import { columnOf, type NumberColumn } from '../../survey-definitions/index.js';
import { itemColumnsIn } from '../wave-columns.js';
import { shareCell } from './cells.js';
import { itemFor, rowsOf, type TableBuilder } from './table-builder.js';

/** How many gave a rating, and how many of them rated at most `low` or at least `high`. */
const bands = (column: NumberColumn, low: number, high: number) => {
  let n = 0;
  let lows = 0;
  let highs = 0;
  const { values } = column;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // Added, not branched on: ratings fall in the bands at random, which a branch mispredicts (NaN compares false).
    n += +(v === v);
    lows += +(v <= low);
    highs += +(v >= high);
  }
  return { n, lows, highs };
};

/**
 * Ratings folded into bands per row, as the report does for pressure: `low` is the two lowest points
 * of the scale (1-2), `high` the two highest (4-5); the middle point counts only in n. A matrix of
 * ratings gives a row per matrix row; a single rating question one row, itself.
 */
export const ratingBandsTable: TableBuilder = {
  kind: 'rating-bands',
  shows: 'lowest and highest ratings',
  build(spec, definition, part) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['matrix-rating', 'rating']);
    if (typeof item === 'string') return { omitted: item };
    const { min, max } = item.scale;
    const columns = itemColumnsIn(part, item);
    const rows = rowsOf(item).map((row) => {
      const { n, lows, highs } = bands(columnOf(columns, row.id, 'number'), min + 1, max - 1);
      return { id: row.id, label: row.label, cells: { low: shareCell(lows, n), high: shareCell(highs, n) } };
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
