import { z } from 'zod';
import { emailItemSchema, emailKind } from './email/email-kind.js';
import { matrixChoiceItemSchema, matrixChoiceKind } from './matrix-choice/matrix-choice-kind.js';
import { matrixNumberItemSchema, matrixNumberKind } from './matrix-number/matrix-number-kind.js';
import { matrixRatingItemSchema, matrixRatingKind } from './matrix-rating/matrix-rating-kind.js';
import { multiItemSchema, multiKind } from './multi/multi-kind.js';
import { numberItemSchema, numberKind } from './number/number-kind.js';
import type { QuestionKind } from './question-kind.js';
import { ratingItemSchema, ratingKind } from './rating/rating-kind.js';
import { singleItemSchema, singleKind } from './single/single-kind.js';
import { textItemSchema, textKind } from './text/text-kind.js';

/** Every question kind, one folder each. A new kind is a new folder plus one line in each list below (and its component in kind-components.ts). */
export const itemSchema = z.discriminatedUnion('kind', [
  singleItemSchema,
  multiItemSchema,
  ratingItemSchema,
  numberItemSchema,
  textItemSchema,
  emailItemSchema,
  matrixChoiceItemSchema,
  matrixNumberItemSchema,
  matrixRatingItemSchema,
]);

export type Item = z.infer<typeof itemSchema>;
export type ItemKind = Item['kind'];

const kinds: { readonly [K in ItemKind]: QuestionKind<Extract<Item, { kind: K }>, any> } = {
  single: singleKind,
  multi: multiKind,
  rating: ratingKind,
  number: numberKind,
  text: textKind,
  email: emailKind,
  'matrix-choice': matrixChoiceKind,
  'matrix-number': matrixNumberKind,
  'matrix-rating': matrixRatingKind,
};

export const itemKinds = Object.keys(kinds) as ItemKind[];

/** Whether an item is of one kind, narrowing its type: for code that needs one named item of a known kind (the roster's councils). */
export const isOfKind = <K extends ItemKind>(item: Item, kind: K): item is Extract<Item, { kind: K }> => item.kind === kind;

/** The module of an item's kind, typed loosely because callers handle items of any kind alike. */
export const kindOf = (item: Item): QuestionKind<Item, unknown> => kinds[item.kind] as unknown as QuestionKind<Item, unknown>;
