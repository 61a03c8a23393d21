import { z } from 'zod';

import type { FieldProblem } from '../../web/layout/field-problem.js';

/** What a refused form says, field by field (the one type every page and route uses). */
export type { FieldProblem };

/** A form field's schema: a missing field (or a file where text was expected) counts as empty text. */
export const formField = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === 'string' ? value : ''), schema);

/** Text on one line: tabs and line breaks would break the command line's one-line-per-row output. */
export const oneLine = /^[^\u0000-\u001f\u007f-\u009f]*$/;

/** The first message of each field, in the order of `fields` (the form's order); other issues after. */
export const zodProblems = (error: z.ZodError, fields: readonly string[]): FieldProblem[] => {
  const first = new Map<string, string>();
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? fields[0] ?? 'form');
    if (!first.has(field)) first.set(field, issue.message);
  }
  const order = (field: string) => (fields.includes(field) ? fields.indexOf(field) : fields.length);
  return [...first].sort(([a], [b]) => order(a) - order(b)).map(([field, message]) => ({ field, message }));
};

/** The page's view of the problems: the summary, and each field's inline message. */
export const formErrors = (problems: readonly FieldProblem[]) => ({
  summary: problems,
  errors: Object.fromEntries(problems.map((p) => [p.field, p.message])) as Readonly<Record<string, string>>,
});

/** "The password is too short: ..." from "the password is too short: ...": sentences the page shows. */
export const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
