import { kindOf, type Answers } from '../../../survey-definitions/index.js';
import { shareCell } from '../../../analysis/tables/cells.js';
import { itemFor, type TableBuilder } from './table-builder.js';

/**
 * One row per option (or rating point) with one column, `share`. For multiple choice, `count` is how
 * often the option was chosen and `n` how many answered the question, so shares need not sum to 100.
 */
export const shareTable: TableBuilder = {
  kind: 'share',
  shows: 'shares',
  build(spec, definition, responses) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['single', 'multi', 'rating']);
    if (typeof item === 'string') return { omitted: item };
    // Options or rating points, as the item's kind counts them (itemFor admits only kinds that have share rows).
    const { rows, note } = kindOf(item).shareRows!(item);
    const counts = rows.map(() => 0);
    let n = 0;
    for (const answers of responses as Answers[]) {
      const value = answers[id];
      if (value === undefined) continue;
      n++;
      rows.forEach((row, i) => {
        if (row.chosen(value)) counts[i]!++;
      });
    }
    return {
      table: {
        id: spec.id,
        title: spec.title,
        part: spec.part,
        kind: 'share',
        items: spec.items,
        columns: [{ id: 'share', label: 'Share' }],
        rows: rows.map((row, i) => ({ id: row.id, label: row.label, cells: { share: shareCell(counts[i]!, n) } })),
        note,
      },
    };
  },
};
