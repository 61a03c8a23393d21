import type { Answers } from '../../../survey-definitions/index.js';
import { shareCell } from '../../../analysis/tables/cells.js';
import { itemFor, type TableBuilder } from './table-builder.js';

/** One row per matrix row, one column per matrix column; each row has its own n. */
export const matrixShareTable: TableBuilder = {
  kind: 'matrix-share',
  shows: 'shares',
  build(spec, definition, responses) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['matrix-choice']);
    if (typeof item === 'string') return { omitted: item };
    // One pass over the responses for all rows: a pass per row made this table cost as many scans as it has rows.
    const counts = item.rows.map(() => new Map(item.columns.map((c) => [c.code, 0])));
    const ns = item.rows.map(() => 0);
    const rowIndex = new Map(item.rows.map((row, i) => [row.id, i]));
    for (const answers of responses as Answers[]) {
      const matrix = answers[id] as Record<string, string> | undefined;
      if (matrix === undefined) continue;
      for (const rowId in matrix) {
        const i = rowIndex.get(rowId);
        const value = matrix[rowId];
        if (i === undefined || value === undefined) continue;
        ns[i]!++;
        counts[i]!.set(value, (counts[i]!.get(value) ?? 0) + 1);
      }
    }
    const rows = item.rows.map((row, i) => ({
      id: row.id,
      label: row.label,
      cells: Object.fromEntries(item.columns.map((c) => [c.code, shareCell(counts[i]!.get(c.code)!, ns[i]!)])),
    }));
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
