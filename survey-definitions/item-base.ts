import { z } from 'zod';

/**
 * Ids are CSV column names and table ids, so they stay ASCII, lower case and dot-free. Item and row
 * ids start with a letter: an all-digit key would jump to the front of a JavaScript object and break
 * definition order. Option codes are values, never keys, so they may start with a digit (`10_20`).
 */
export const idSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'an id is lower-case letters, digits and underscores, starting with a letter');

export const codeSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_]*$/, 'a code is lower-case letters, digits and underscores');

export const optionSchema = z.object({
  code: codeSchema,
  label: z.string().min(1),
  help: z.string().min(1).optional(),
});

export type Option = z.infer<typeof optionSchema>;

/**
 * `always`: refused when blank anywhere (import, API, form).
 * `on-form`: a respondent must give it on the form; an import of earlier waves may leave it blank.
 * `never`: optional, the norm, because the published tables show item non-response almost everywhere.
 */
export const requiredSchema = z.enum(['always', 'on-form', 'never']);

export const itemBaseSchema = z.object({
  id: idSchema,
  label: z.string().min(1),
  help: z.string().min(1).optional(),
  required: requiredSchema.default('never'),
  /** Identifying items may only live in the identifiable part; the definition schema enforces it. */
  identifying: z.boolean().default(false),
});

export type ItemBase = z.infer<typeof itemBaseSchema>;

export const rowsSchema = z.array(optionSchema.omit({ code: true }).extend({ id: idSchema })).min(1);
export type MatrixRow = z.infer<typeof rowsSchema>[number];
