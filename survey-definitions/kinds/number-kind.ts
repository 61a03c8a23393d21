import { z } from 'zod';
import { itemBaseSchema } from '../item-base.js';
import { accept, type QuestionKind } from './question-kind.js';
import { checkNumber, formatNumber, isBlank, readNumber } from './scalar-rules.js';

export const numberBoundsSchema = z
  .object({
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(false),
    unit: z.string().min(1).optional(),
  })
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, 'min must not exceed max');

export const numberItemSchema = itemBaseSchema.extend({
  kind: z.literal('number'),
  bounds: numberBoundsSchema,
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
  display: (item, answer) => [item.bounds.unit ? `${formatNumber(answer)} ${item.bounds.unit}` : formatNumber(answer)],
};
