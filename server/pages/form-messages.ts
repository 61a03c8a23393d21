import { kindOf, type ErrorMessages, type Item, type ValidationIssue } from '../../survey-definitions/index.js';

const rowLabel = (item: Item, path: string): string | undefined => {
  if (!('rows' in item)) return undefined;
  const rowId = path.slice(item.id.length + 1);
  return item.rows.find((r) => r.id === rowId)?.label;
};

/** Which of a question's written messages an issue calls for. */
const messageFor = (rule: string): keyof ErrorMessages =>
  rule === 'required' ? 'required' : rule === 'only-with' || rule === 'at-most' || rule === 'exclusive' ? 'conflict' : 'invalid';

/**
 * A validation issue in words a respondent can act on: the message the definition wrote for the
 * question, else its kind's default, naming the question (or the row of a grid) rather than codes. The
 * same rules as the import, told for a form.
 */
export const formMessage = (item: Item, issue: ValidationIssue): string => {
  const written = item.errors?.[messageFor(issue.rule)];
  if (written) return written;
  const subject = rowLabel(item, issue.path) ?? item.label;
  if (issue.rule === 'only-with') return `Leave “${subject}” blank unless you select ${issue.other}`;
  return kindOf(item).message(item, issue, subject);
};
