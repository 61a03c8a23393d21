import { z } from 'zod';

/**
 * Ids are CSV column names and table ids, so they stay ASCII, lower case and dot-free. Item and row
 * ids start with a letter: an all-digit key would jump to the front of a JavaScript object and break
 * definition order. Option codes are values, never keys, so they may start with a digit (`10_20`).
 */
export const idSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'an id is lower-case letters, digits and underscores, starting with a letter');

export const codeSchema = z.string().regex(/^[a-z0-9][a-z0-9_]*$/, 'a code is lower-case letters, digits and underscores');

export const optionSchema = z.strictObject({
  code: codeSchema.describe('The code an answer records (lower-case letters, digits and underscores); it keeps its label in every version.'),
  label: z.string().min(1).describe('The option as the respondent reads it.'),
  help: z.string().min(1).optional().describe('A line of help under the option.'),
  /**
   * "None of these": chosen alone or not at all (GOV.UK checkboxes with an "or" divider). Lets a
   * respondent say "none" rather than leave the question blank, which reads as not answered.
   */
  exclusive: z.literal(true).optional().describe('true for a "None of these" option, chosen alone or not at all.'),
});

export type Option = z.infer<typeof optionSchema>;

/**
 * `always`: refused when blank anywhere (import, API, form).
 * `on-form`: a respondent must give it on the form; an import of earlier waves may leave it blank.
 * `never`: optional, the norm, because the published tables show item non-response almost everywhere.
 */
export const requiredSchema = z.enum(['always', 'on-form', 'never']);

/**
 * Error messages written for one question, after the GOV.UK error message guidance ("Enter your name",
 * "Hours a week must be between 0 and 60"); each kind gives a default for those not written.
 */
export const errorMessagesSchema = z
  .object({
    /** Nothing given to a question that must be answered. */
    required: z.string().min(1).optional(),
    /** An answer the question does not take: not a number, out of range, too long, not an email address. */
    invalid: z.string().min(1).optional(),
    /** An answer at odds with another: a follow-up without its option, more than its limit, "None" with others. */
    conflict: z.string().min(1).optional(),
  })
  .strict();

export type ErrorMessages = z.infer<typeof errorMessagesSchema>;

/**
 * A follow-up, answered only when `option` is chosen in the earlier item `item` of the same section
 * (GOV.UK conditional reveal). An answer given without the option is refused, on a form and in an import.
 */
export const followUpSchema = z.object({ item: idSchema, option: codeSchema }).strict();

/**
 * Strict, like every object of a definition: a misspelt field (`identifyng: true`) is refused, not dropped, since
 * dropping it would leave the default (not identifying) in its place without a word to the analyst who wrote it.
 */
export const itemBaseSchema = z.strictObject({
  id: idSchema.describe(
    "The question's id, its column in the data: lower-case letters, digits and underscores, starting with a letter. It keeps its meaning in every version.",
  ),
  label: z.string().min(1).describe('The question as the respondent reads it.'),
  help: z.string().min(1).optional().describe('Help shown under the question.'),
  required: requiredSchema
    .default('never')
    .describe(
      'never (the default): optional. on-form: a respondent must answer on the form, an import may leave it blank. always: refused when blank anywhere.',
    ),
  /** Identifying items may only live in the identifiable part; the definition schema enforces it. */
  identifying: z.boolean().default(false).describe('true when the answer says who the respondent is; only in the identifiable part.'),
  errors: errorMessagesSchema.optional().describe('Error messages written for this question; each kind has a default for those left out.'),
  when: followUpSchema.optional().describe('Makes this a follow-up, answered only when an option of an earlier question of the same section is chosen.'),
});

export type ItemBase = z.infer<typeof itemBaseSchema>;

export const rowsSchema = z.array(optionSchema.omit({ code: true, exclusive: true }).extend({ id: idSchema })).min(1);
export type MatrixRow = z.infer<typeof rowsSchema>[number];
