import { z } from 'zod';
import { sentence, type CodebookField } from '../codebook-fields.js';
import { itemBaseSchema, optionSchema } from '../../item-base.js';
import { columnOf, flagCounts, flagsColumns } from '../answer-columns.js';
import { accept, refuse, type AnswerIssue, type QuestionKind } from '../question-kind.js';
import { selectMessage } from '../default-messages.js';
import { isBlank } from '../scalar-rules.js';

export const multiItemSchema = itemBaseSchema.extend({
  kind: z.literal('multi'),
  options: z.array(optionSchema).min(1),
});

export type MultiItem = z.infer<typeof multiItemSchema>;

/**
 * Any number of options. The answer lists chosen codes in option order; an empty list means the
 * respondent answered and chose nothing, which counts in `n`, unlike not answering.
 */
export const multiKind: QuestionKind<MultiItem, readonly string[]> = {
  kind: 'multi',
  itemSchema: multiItemSchema,
  freeText: false,
  check: (item, value) => {
    if (!Array.isArray(value)) {
      return refuse({ path: item.id, rule: 'list', expected: 'a list of option codes', got: value });
    }
    const codes = item.options.map((o) => o.code);
    const issues: AnswerIssue[] = [];
    for (const code of value) {
      if (typeof code !== 'string' || !codes.includes(code)) {
        issues.push({ path: item.id, rule: 'code', expected: `codes from ${codes.join(', ')}`, got: code });
      }
    }
    if (issues.length > 0) return refuse(...issues);
    const chosen = codes.filter((c) => value.includes(c));
    const none = item.options.find((o) => o.exclusive && chosen.includes(o.code));
    if (none && chosen.length > 1) {
      // The path is the exclusive box's column, so an import names the cell that breaks the rule.
      return refuse({
        path: `${item.id}.${none.code}`,
        rule: 'exclusive',
        expected: `1 only when no other box of ${item.id} is ticked (“${none.label}” stands alone)`,
        got: chosen,
        other: `“${none.label}”`,
      });
    }
    return accept(chosen);
  },
  columns: (item) => item.options.map((o) => `${item.id}.${o.code}`),
  fromCells: (item, cells) => {
    // All blank: not answered. Otherwise blanks read as "not chosen", as many survey tools export
    // only the ticked boxes.
    if (cells.every(isBlank)) return undefined;
    const issues: AnswerIssue[] = [];
    const chosen: string[] = [];
    item.options.forEach((option, i) => {
      const cell = cells[i]?.trim();
      if (cell === '1') chosen.push(option.code);
      else if (cell !== '0' && !isBlank(cell)) {
        issues.push({ path: `${item.id}.${option.code}`, rule: 'flag', expected: '1 (chosen) or 0 (not chosen)', got: cells[i] });
      }
    });
    return issues.length > 0 ? refuse(...issues) : accept(chosen);
  },
  toCells: (item, answer) => item.options.map((o) => (answer.includes(o.code) ? '1' : '0')),
  shareRows: (item) => ({
    rows: item.options.map((o) => ({ id: o.code, label: o.label, chosen: (answer: unknown) => Array.isArray(answer) && answer.includes(o.code) })),
    // A respondent may tick several options or none.
    exclusive: false,
    note: 'n counts respondents who answered the question (including those who ticked nothing); a respondent may choose several options.',
    count: (columns) => flagCounts(columnOf(columns, item.id, 'flags')),
  }),
  answerColumns: (item, expected) =>
    flagsColumns(
      item.id,
      item.options.map((o) => o.code),
      expected,
    ),
  // Only the first box has the id of its column (fieldId), so errors lead to the question.
  meaning: (item) => item.kind,
  defaultTables: ['share'],
  codeLists: (item) => [{ field: 'options', noun: 'option', entries: item.options }],
  writtenInWords: false,
  fieldPerColumn: false,
  codebookFields: (item) =>
    item.options.map((option): CodebookField => ({
      name: `${item.id}.${option.code}`,
      type: 'integer',
      title: option.label,
      about: [
        `Option: ${sentence(option.label)}`,
        `One column per option of ${item.id}: 1 = chosen, 0 = not chosen; every ${item.id}.* column empty = the question was not answered.`,
      ],
      categories: [
        { value: 0, label: 'Not chosen' },
        { value: 1, label: 'Chosen' },
      ],
      disclosure: 'category',
    })),
  display: (item, answer) => (answer.length === 0 ? ['None of these'] : item.options.filter((o) => answer.includes(o.code)).map((o) => o.label)),
  message: (_item, issue, subject) =>
    issue.rule === 'exclusive' ? `Select ${issue.other} on its own, or the answers that apply to ${`“${subject}”`}` : selectMessage(issue, subject),
};
