import type { Item, ValidationIssue } from '../../survey-definitions/index.js';

const rowLabel = (item: Item, path: string): string | undefined => {
  if (!('rows' in item)) return undefined;
  const rowId = path.slice(item.id.length + 1);
  return item.rows.find((r) => r.id === rowId)?.label;
};

/**
 * A validation issue in words a respondent can act on, naming the question (and row) rather than
 * codes: the same rules as the import, told for a form.
 */
export const formMessage = (item: Item, issue: ValidationIssue): string => {
  const row = rowLabel(item, issue.path);
  const subject = row ? `${row}` : item.label.replace(/\?$/, '');
  switch (issue.rule) {
    case 'required':
      return item.kind === 'single' || item.kind === 'multi' ? `Select an answer: ${subject}` : `Enter an answer: ${subject}`;
    case 'email':
      return 'Enter an email address in the correct format, like name@council.gov.uk';
    case 'number':
    case 'integer':
    case 'range':
      return `${subject}: enter ${issue.expected}`;
    case 'max-length':
      return `${subject}: must be ${issue.expected.replace(/^text of /, '')}`;
    default:
      return `${subject}: choose one of the options given`;
  }
};
