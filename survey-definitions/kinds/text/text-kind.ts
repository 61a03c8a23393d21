import { z } from 'zod';
import { textField } from '../codebook-fields.js';
import { itemBaseSchema } from '../../item-base.js';
import { accept, refuse, type QuestionKind } from '../question-kind.js';
import { enterMessage } from '../default-messages.js';
import { isBlank } from '../scalar-rules.js';

export const textItemSchema = itemBaseSchema.extend({
  kind: z.literal('text'),
  multiline: z.boolean().default(false),
  maxLength: z.number().int().positive().default(10_000),
});

export type TextItem = z.infer<typeof textItemSchema>;

/** Free text, kept exactly as written: quotes, commas, new lines and any script. */
export const textKind: QuestionKind<TextItem, string> = {
  kind: 'text',
  itemSchema: textItemSchema,
  freeText: true,
  check: (item, value) => {
    if (typeof value !== 'string') return refuse({ path: item.id, rule: 'text', expected: 'text', got: value });
    // Count code points, not UTF-16 units, so an emoji counts as one character.
    if ([...value].length > item.maxLength) {
      return refuse({
        path: item.id,
        rule: 'max-length',
        expected: `text of at most ${item.maxLength} characters`,
        got: `${[...value].length} characters`,
      });
    }
    return accept(value);
  },
  columns: (item) => [item.id],
  fromCells: (_item, [cell]) => (isBlank(cell) ? undefined : accept(cell)),
  toCells: (_item, answer) => [answer],
  meaning: (item) => item.kind,
  defaultTables: [],
  writtenInWords: true,
  fieldPerColumn: true,
  codebookFields: (item) => [textField(item.id, item.label)],
  display: (_item, answer) => [answer],
  message: (item, issue, subject) =>
    issue.rule === 'max-length' ? `“${subject}” must be ${item.maxLength.toLocaleString('en-GB')} characters or fewer` : enterMessage(issue, subject),
};
