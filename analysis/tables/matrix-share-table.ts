import type { Answers } from '../../survey-definitions/index.js';
import { shareCell } from './cells.js';
import { itemFor, type TableBuilder } from './table-builder.js';

/** One row per matrix row, one column per matrix column; each row has its own n. */
export const matrixShareTable: TableBuilder = {
  kind: 'matrix-share',
  build(spec, definition, responses) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['matrix-choice']);
    if (typeof item === 'string') return { omitted: item };
    const rows = item.rows.map((row) => {
      const counts = new Map(item.columns.map((c) => [c.code, 0]));
      let n = 0;
      for (const answers of responses as Answers[]) {
        const value = (answers[id] as Record<string, string> | undefined)?.[row.id];
        if (value === undefined) continue;
        n++;
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      return { id: row.id, label: row.label, cells: Object.fromEntries(item.columns.map((c) => [c.code, shareCell(counts.get(c.code)!, n)])) };
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
