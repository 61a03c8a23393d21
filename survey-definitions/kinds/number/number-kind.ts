import { z } from 'zod';
import { numberField } from '../codebook-fields.js';
import { idSchema, itemBaseSchema } from '../../item-base.js';
import { numberMessage } from '../default-messages.js';
import { singleNumberColumns } from '../answer-columns.js';
import { accept, type QuestionKind } from '../question-kind.js';
import { checkNumber, formatNumber, isBlank, readNumber } from '../scalar-rules.js';

export const numberBoundsSchema = z
  .strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(false),
    unit: z.string().min(1).optional(),
  })
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, 'min must not exceed max');

export const numberItemSchema = itemBaseSchema.extend({
  kind: z.literal('number'),
  bounds: numberBoundsSchema,
  /** Another number item of the same section this answer may not exceed (groups chaired ≤ groups attended). */
  atMost: idSchema.optional(),
});

export type NumberItem = z.infer<typeof numberItemSchema>;

/** A decimal (or whole) number within optional bounds. */
export const numberKind: QuestionKind<NumberItem, number> = {
  kind: 'number',
  itemSchema: numberItemSchema,
  freeText: false,
  check: (item, value) => checkNumber(item.id, value, item.bounds),
  columns: (item) => [item.id],
  fromCells: (item, [cell]) => (isBlank(cell) ? undefined : accept(readNumber(cell, item.bounds.unit))),
  toCells: (_item, answer) => [formatNumber(answer)],
  meaning: (item) => item.kind,
  defaultTables: ['number-summary'],
  answerColumns: (item, expected) => singleNumberColumns(item.id, expected),
  writtenInWords: false,
  numberVariables: (item) => [
    {
      name: item.id,
      read: (answers) => (typeof answers[item.id] === 'number' ? (answers[item.id] as number) : undefined),
      write: (answers, value) => {
        if (value === undefined) delete answers[item.id];
        else answers[item.id] = value;
      },
    },
  ],
  fieldPerColumn: true,
  codebookFields: (item) => [numberField(item.id, item.label, [], item.bounds)],
  display: (item, answer) => [item.bounds.unit ? `${formatNumber(answer)} ${item.bounds.unit}` : formatNumber(answer)],
  message: (item, issue, subject) =>
    issue.rule === 'at-most' ? `${`“${subject}”`} must be no more than your answer to ${issue.other}` : numberMessage(issue, subject, item.bounds),
  relate: (item, answer, { answerOf, labelOf }) => {
    if (item.atMost === undefined) return [];
    const limit = answerOf(item.atMost);
    if (typeof limit !== 'number' || answer <= limit) return [];
    return [
      {
        path: item.id,
        rule: 'at-most',
        expected: `at most ${formatNumber(limit)}, the answer to ${item.atMost}`,
        got: answer,
        other: `“${labelOf(item.atMost)}” (${formatNumber(limit)})`,
      },
    ];
  },
};
