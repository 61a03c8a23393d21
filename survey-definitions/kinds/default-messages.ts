import type { AnswerIssue } from './question-kind.js';

/**
 * The error messages a question gets when its definition writes none (`errors` in item-base.ts), after
 * the GOV.UK error message guidance: say what to do, in the respondent's words, naming the question (or
 * the row of a grid) as the page shows it. Each kind picks the wording that fits how it is answered.
 */

const quoted = (subject: string) => `“${subject}”`;

/** Radios and checkboxes: the respondent selects. */
export const selectMessage = (issue: AnswerIssue, subject: string): string =>
  issue.rule === 'required' ? `Select an answer to ${quoted(subject)}` : `Select one of the answers given to ${quoted(subject)}`;

/** Boxes the respondent types into. */
export const enterMessage = (issue: AnswerIssue, subject: string): string =>
  issue.rule === 'required' ? `Enter an answer to ${quoted(subject)}` : `Enter ${issue.expected} for ${quoted(subject)}`;

// `60 hours a week`, but `100%`.
const withUnit = (n: number, unit: string | undefined) => (unit ? `${n}${/^[a-z]/i.test(unit) ? ' ' : ''}${unit}` : String(n));

/** "must be between 0 and 60 hours a week", as the bounds allow. */
export const numberMessage = (
  issue: AnswerIssue,
  subject: string,
  bounds: { readonly min?: number | undefined; readonly max?: number | undefined; readonly integer: boolean; readonly unit?: string | undefined },
): string => {
  if (issue.rule === 'required') return enterMessage(issue, subject);
  if (issue.rule === 'number') return `${quoted(subject)} must be a number, like 12${bounds.integer ? '' : ' or 7.5'}`;
  if (issue.rule === 'integer') return `${quoted(subject)} must be a whole number`;
  const { min, max, unit } = bounds;
  if (min !== undefined && max !== undefined) return `${quoted(subject)} must be between ${min} and ${withUnit(max, unit)}`;
  if (min !== undefined) return `${quoted(subject)} must be ${withUnit(min, unit)} or more`;
  if (max !== undefined) return `${quoted(subject)} must be ${withUnit(max, unit)} or less`;
  return `${quoted(subject)} must be a number`;
};

/** A rating scale: the respondent selects a point of it. */
export const ratingMessage = (issue: AnswerIssue, subject: string, scale: { readonly min: number; readonly max: number }): string =>
  issue.rule === 'required' ? `Select a rating for ${quoted(subject)}` : `Select a rating from ${scale.min} to ${scale.max} for ${quoted(subject)}`;
