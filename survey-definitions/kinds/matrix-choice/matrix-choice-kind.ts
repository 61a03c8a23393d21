import { z } from 'zod';
import { sentence, type CodebookField } from '../codebook-fields.js';
import { itemBaseSchema, optionSchema, rowsSchema } from '../../item-base.js';
import { gridCodeColumns } from '../answer-columns.js';
import type { QuestionKind } from '../question-kind.js';
import {
  checkMatrix,
  matrixAnswerKeys,
  matrixColumns,
  matrixRowCodes,
  matrixDisplay,
  matrixFromCells,
  matrixToCells,
  type MatrixAnswer,
} from '../matrix-rules.js';
import { selectMessage } from '../default-messages.js';
import { checkCode } from '../scalar-rules.js';

export const matrixChoiceItemSchema = itemBaseSchema.extend({
  kind: z.literal('matrix-choice'),
  rows: rowsSchema,
  columns: z.array(optionSchema).min(2),
});

export type MatrixChoiceItem = z.infer<typeof matrixChoiceItemSchema>;

/** One column code per row (portfolio: all / part / none of each service area). */
export const matrixChoiceKind: QuestionKind<MatrixChoiceItem, MatrixAnswer<string>> = {
  kind: 'matrix-choice',
  itemSchema: matrixChoiceItemSchema,
  freeText: false,
  check: (item, value) => {
    const codes = item.columns.map((c) => c.code);
    return checkMatrix(item, value, (path, cell) => checkCode(path, cell, codes));
  },
  columns: matrixColumns,
  fromCells: (item, cells) => matrixFromCells(item, cells, (cell) => cell.trim()),
  toCells: (item, answer) => matrixToCells(item, answer, (code) => code),
  meaning: (item) => item.kind,
  defaultTables: ['matrix-share'],
  answerColumns: (item, expected) =>
    gridCodeColumns(
      item.id,
      item.rows,
      item.columns.map((c) => c.code),
      expected,
    ),
  answerKeys: matrixAnswerKeys,
  keyCell: (_item, code) => code,
  codeLists: (item) => [matrixRowCodes(item), { field: 'columns', noun: 'column', entries: item.columns }],
  writtenInWords: false,
  fieldPerColumn: true,
  codebookFields: (item) => {
    const columns = matrixColumns(item);
    return item.rows.map((row, i): CodebookField => ({
      name: columns[i]!,
      type: 'string',
      title: row.label,
      about: [`Row: ${sentence(row.label)}`],
      categories: item.columns.map((c) => ({ value: c.code, label: c.label })),
      disclosure: 'category',
    }));
  },
  display: (item, answer) => matrixDisplay(item, answer, (code) => item.columns.find((c) => c.code === code)?.label ?? code),
  message: (_item, issue, subject) => selectMessage(issue, subject),
};
