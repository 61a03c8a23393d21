import { z } from 'zod';
import { ratingField, sentence } from '../codebook-fields.js';
import { itemBaseSchema, rowsSchema } from '../../item-base.js';
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
import { ratingScaleSchema } from '../rating/rating-kind.js';
import { ratingMessage } from '../default-messages.js';
import { checkRating, formatNumber, readNumber } from '../scalar-rules.js';

export const matrixRatingItemSchema = itemBaseSchema.extend({
  kind: z.literal('matrix-rating'),
  rows: rowsSchema,
  scale: ratingScaleSchema,
});

export type MatrixRatingItem = z.infer<typeof matrixRatingItemSchema>;

/** A rating per row (pressure: 1 least to 5 most pressured, per area). */
export const matrixRatingKind: QuestionKind<MatrixRatingItem, MatrixAnswer<number>> = {
  kind: 'matrix-rating',
  itemSchema: matrixRatingItemSchema,
  freeText: false,
  check: (item, value) => checkMatrix(item, value, (path, cell) => checkRating(path, cell, item.scale.min, item.scale.max)),
  columns: matrixColumns,
  fromCells: (item, cells) => matrixFromCells(item, cells, readNumber),
  toCells: (item, answer) => matrixToCells(item, answer, formatNumber),
  meaning: (item) => `${item.kind} from ${item.scale.min} to ${item.scale.max}`,
  defaultTables: ['rating-bands', 'mean'],
  answerKeys: matrixAnswerKeys,
  keyCell: (_item, rating) => formatNumber(rating),
  codeLists: (item) => [matrixRowCodes(item)],
  answerColumns: (item, expected) => gridNumberColumns(item.id, item.rows, expected),
  writtenInWords: false,
  fieldPerColumn: true,
  codebookFields: (item) => {
    const columns = matrixColumns(item);
    return item.rows.map((row, i) => ratingField(columns[i]!, row.label, [`Row: ${sentence(row.label)}`], item.scale));
  },
  display: (item, answer) => matrixDisplay(item, answer, formatNumber),
  message: (item, issue, subject) => ratingMessage(issue, subject, item.scale),
};
