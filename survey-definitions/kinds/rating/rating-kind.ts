import { z } from 'zod';
import { ratingField } from '../codebook-fields.js';
import { itemBaseSchema } from '../../item-base.js';
import { columnOf, pointCounts, singleNumberColumns } from '../answer-columns.js';
import { accept, type QuestionKind } from '../question-kind.js';
import { ratingMessage } from '../default-messages.js';
import { checkRating, formatNumber, isBlank, readNumber } from '../scalar-rules.js';

export const ratingScaleSchema = z
  .strictObject({
    min: z.number().int().default(1),
    max: z.number().int().default(5),
    minLabel: z.string().min(1),
    maxLabel: z.string().min(1),
  })
  .refine((s) => s.min < s.max, 'a rating scale needs min below max');

export const ratingItemSchema = itemBaseSchema.extend({
  kind: z.literal('rating'),
  scale: ratingScaleSchema,
});

export type RatingItem = z.infer<typeof ratingItemSchema>;

/** A whole-number rating on a labelled scale (1 least ... 5 most). */
export const ratingKind: QuestionKind<RatingItem, number> = {
  kind: 'rating',
  itemSchema: ratingItemSchema,
  freeText: false,
  check: (item, value) => checkRating(item.id, value, item.scale.min, item.scale.max),
  columns: (item) => [item.id],
  fromCells: (_item, [cell]) => (isBlank(cell) ? undefined : accept(readNumber(cell))),
  toCells: (_item, answer) => [formatNumber(answer)],
  meaning: (item) => `${item.kind} from ${item.scale.min} to ${item.scale.max}`,
  defaultTables: ['rating-bands', 'mean'],
  writtenInWords: false,
  shareRows: (item) => {
    const { min, max, minLabel, maxLabel } = item.scale;
    const rows = Array.from({ length: max - min + 1 }, (_, i) => {
      const point = min + i;
      const label = point === min ? `${point} (${minLabel.toLowerCase()})` : point === max ? `${point} (${maxLabel.toLowerCase()})` : String(point);
      return { id: String(point), label, chosen: (answer: unknown) => answer === point };
    });
    const points = rows.map((_, i) => min + i);
    return {
      rows,
      exclusive: true,
      note: 'n counts respondents who gave a rating.',
      count: (columns) => pointCounts(columnOf(columns, item.id, 'number'), points),
    };
  },
  answerColumns: (item, expected) => singleNumberColumns(item.id, expected),
  fieldPerColumn: true,
  codebookFields: (item) => [ratingField(item.id, item.label, [], item.scale)],
  display: (item, answer) => [
    `${answer} (from ${item.scale.min}, ${item.scale.minLabel.toLowerCase()}, to ${item.scale.max}, ${item.scale.maxLabel.toLowerCase()})`,
  ],
  message: (item, issue, subject) => ratingMessage(issue, subject, item.scale),
};
