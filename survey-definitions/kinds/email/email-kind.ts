import { z } from 'zod';
import { textField } from '../codebook-fields.js';
import { itemBaseSchema } from '../../item-base.js';
import { accept, refuse, type QuestionKind } from '../question-kind.js';
import { enterMessage } from '../default-messages.js';
import { isBlank } from '../scalar-rules.js';

export const emailItemSchema = itemBaseSchema.extend({
  kind: z.literal('email'),
});

export type EmailItem = z.infer<typeof emailItemSchema>;

// Deliberately permissive (one @, a dot in the domain, no spaces): council addresses vary and
// the invitation, not this check, proves the address works.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What an email answer must be, as issues say it (a roster's empty email cell too). */
export const emailExpected = 'an email address like name@council.gov.uk';

/** An email address, stored as given apart from surrounding spaces. */
export const emailKind: QuestionKind<EmailItem, string> = {
  kind: 'email',
  itemSchema: emailItemSchema,
  freeText: true,
  check: (item, value) => {
    const email = typeof value === 'string' ? value.trim() : value;
    return typeof email === 'string' && email.length <= 254 && emailPattern.test(email)
      ? accept(email)
      : refuse({ path: item.id, rule: 'email', expected: emailExpected, got: value });
  },
  columns: (item) => [item.id],
  fromCells: (_item, [cell]) => (isBlank(cell) ? undefined : accept(cell)),
  toCells: (_item, answer) => [answer],
  meaning: (item) => item.kind,
  defaultTables: [],
  writtenInWords: false,
  fieldPerColumn: true,
  codebookFields: (item) => [textField(item.id, item.label)],
  display: (_item, answer) => [answer],
  message: (_item, issue, subject) =>
    issue.rule === 'email' ? 'Enter an email address in the correct format, like name@council.gov.uk' : enterMessage(issue, subject),
};
