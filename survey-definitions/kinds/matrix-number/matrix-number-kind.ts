import { z } from 'zod';
import { numberField, sentence } from '../codebook-fields.js';
import { itemBaseSchema, rowsSchema } from '../../item-base.js';
import { numberBoundsSchema } from '../number/number-kind.js';
import { gridNumberColumns } from '../answer-columns.js';
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
import { numberMessage } from '../default-messages.js';
import { checkNumber, formatNumber, readNumber } from '../scalar-rules.js';

export const matrixNumberItemSchema = itemBaseSchema.extend({
  kind: z.literal('matrix-number'),
  rows: rowsSchema,
  bounds: numberBoundsSchema,
  /**
   * A total the rows are meant to reach (time_share: 100 %). Shown to the respondent as a running
   * total but never enforced: the published 2020 means imply many totals above 100.
   */
  expectedTotal: z.number().optional(),
});

export type MatrixNumberItem = z.infer<typeof matrixNumberItemSchema>;

/** A number per row (time_share: percent of working time per area). */
export const matrixNumberKind: QuestionKind<MatrixNumberItem, MatrixAnswer<number>> = {
  kind: 'matrix-number',
  itemSchema: matrixNumberItemSchema,
  freeText: false,
  check: (item, value) => checkMatrix(item, value, (path, cell) => checkNumber(path, cell, item.bounds)),
  columns: matrixColumns,
  fromCells: (item, cells) => matrixFromCells(item, cells, (cell) => readNumber(cell, item.bounds.unit)),
  toCells: (item, answer) => matrixToCells(item, answer, formatNumber),
  meaning: (item) => item.kind,
  defaultTables: ['mean'],
  answerKeys: matrixAnswerKeys,
  keyCell: (_item, n) => formatNumber(n),
  codeLists: (item) => [matrixRowCodes(item)],
  answerColumns: (item, expected) => gridNumberColumns(item.id, item.rows, expected),
  writtenInWords: false,
  numberVariables: (item) =>
    item.rows.map((row) => ({
      name: `${item.id}.${row.id}`,
      read: (answers) => {
        const value = (answers[item.id] as Record<string, unknown> | undefined)?.[row.id];
        return typeof value === 'number' ? value : undefined;
      },
      // The caller owns the matrix it passes (the disclosure control copies one before its first change), so it is changed in place.
      write: (answers, value) => {
        const matrix = answers[item.id] as Record<string, unknown> | undefined;
        if (matrix === undefined) {
          if (value !== undefined) answers[item.id] = { [row.id]: value };
          return;
        }
        if (value === undefined) delete matrix[row.id];
        else matrix[row.id] = value;
        if (Object.keys(matrix).length === 0) delete answers[item.id];
      },
    })),
  fieldPerColumn: true,
  codebookFields: (item) => {
    const columns = matrixColumns(item);
    return item.rows.map((row, i) => numberField(columns[i]!, row.label, [`Row: ${sentence(row.label)}`], item.bounds));
  },
  display: (item, answer) => matrixDisplay(item, answer, (n) => (item.bounds.unit ? `${formatNumber(n)} ${item.bounds.unit}` : formatNumber(n))),
  message: (item, issue, subject) => numberMessage(issue, subject, item.bounds),
};
