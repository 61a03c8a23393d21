import type { Answers } from '../../survey-definitions/index.js';
import { shareCell } from './cells.js';
import { itemFor, type TableBuilder } from './table-builder.js';

interface ShareRow {
  readonly id: string;
  readonly label: string;
  readonly chosen: (value: unknown) => boolean;
}

/**
 * One row per option (or rating point) with one column, `share`. For multiple choice, `count` is how
 * often the option was chosen and `n` how many answered the question, so shares need not sum to 100.
 */
export const shareTable: TableBuilder = {
  kind: 'share',
  build(spec, definition, responses) {
    const id = spec.items[0]!;
    const item = itemFor(definition, id, ['single', 'multi', 'rating']);
    if (typeof item === 'string') return { omitted: item };
    let rows: ShareRow[];
    let note: string;
    if (item.kind === 'rating') {
      const { min, max, minLabel, maxLabel } = item.scale;
      rows = Array.from({ length: max - min + 1 }, (_, i) => {
        const point = min + i;
        const label = point === min ? `${point} (${minLabel.toLowerCase()})` : point === max ? `${point} (${maxLabel.toLowerCase()})` : String(point);
        return { id: String(point), label, chosen: (v: unknown) => v === point };
      });
      note = 'n counts respondents who gave a rating.';
    } else {
      const multi = item.kind === 'multi';
      rows = item.options.map((o) => ({
        id: o.code,
        label: o.label,
        chosen: multi ? (v: unknown) => Array.isArray(v) && v.includes(o.code) : (v: unknown) => v === o.code,
      }));
      note = multi
        ? 'n counts respondents who answered the question (including those who ticked nothing); a respondent may choose several options.'
        : 'n counts respondents who answered the question.';
    }
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
