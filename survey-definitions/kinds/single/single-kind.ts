import { z } from 'zod';
import { itemBaseSchema, optionSchema } from '../../item-base.js';
import { codeCounts, columnOf, singleCodeColumns } from '../answer-columns.js';
import { accept, type QuestionKind } from '../question-kind.js';
import { selectMessage } from '../default-messages.js';
import { checkCode, isBlank } from '../scalar-rules.js';

export const singleItemSchema = itemBaseSchema.extend({
  kind: z.literal('single'),
  options: z.array(optionSchema).min(2),
});

export type SingleItem = z.infer<typeof singleItemSchema>;

/** One option code out of a list: radios on the form, the code in one CSV column. */
export const singleKind: QuestionKind<SingleItem, string> = {
  kind: 'single',
  itemSchema: singleItemSchema,
  freeText: false,
  check: (item, value) =>
    checkCode(
      item.id,
      value,
      item.options.map((o) => o.code),
    ),
  columns: (item) => [item.id],
  fromCells: (_item, [cell]) => (isBlank(cell) ? undefined : accept(cell.trim())),
  toCells: (_item, answer) => [answer],
  meaning: (item) => item.kind,
  defaultTables: ['share'],
  codeLists: (item) => [{ field: 'options', noun: 'option', entries: item.options }],
  writtenInWords: false,
  shareRows: (item) => ({
    rows: item.options.map((o) => ({ id: o.code, label: o.label, chosen: (answer: unknown) => answer === o.code })),
    exclusive: true,
    note: 'n counts respondents who answered the question.',
    count: (columns) => codeCounts(columnOf(columns, item.id, 'code')),
  }),
  answerColumns: (item, expected) =>
    singleCodeColumns(
      item.id,
      item.options.map((o) => o.code),
      expected,
    ),
  fieldPerColumn: true,
  codebookFields: (item) => [
    {
      name: item.id,
      type: 'string',
      title: item.label,
      about: [],
      categories: item.options.map((o) => ({ value: o.code, label: o.label })),
      disclosure: 'category',
    },
  ],
  display: (item, answer) => [item.options.find((o) => o.code === answer)?.label ?? answer],
  message: (_item, issue, subject) => selectMessage(issue, subject),
};
