import { codeCounts, columnOf } from '../../survey-definitions/index.js';
import { itemColumnsIn } from '../wave-columns.js';
import { shareCell } from './cells.js';
import { itemFor, type TableBuilder } from './table-builder.js';

/** One row per matrix row, one column per matrix column; each row has its own n. */
export const matrixShareTable: TableBuilder = {
  kind: 'matrix-share',
  shows: 'shares',
  build(spec, definition, part) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['matrix-choice']);
    if (typeof item === 'string') return { omitted: item };
    const columns = itemColumnsIn(part, item);
    const rows = item.rows.map((row) => {
      const { n, counts } = codeCounts(columnOf(columns, row.id, 'code'));
      return { id: row.id, label: row.label, cells: Object.fromEntries(item.columns.map((c, i) => [c.code, shareCell(counts[i]!, n)])) };
    });
    return {
      table: {
        id: spec.id,
        title: spec.title,
        part: spec.part,
        kind: 'matrix-share',
        items: spec.items,
        columns: item.columns.map((c) => ({ id: c.code, label: c.label })),
        rows,
        note: 'Each row has its own n: the respondents who answered that row.',
      },
    };
  },
};
