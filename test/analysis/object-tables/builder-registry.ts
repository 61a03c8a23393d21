import type { TableKind } from '../../../analysis/table-types.js';
import { matrixShareTable } from './matrix-share-table.js';
import { meanTable } from './mean-table.js';
import { numberSummaryTable } from './number-summary-table.js';
import { ratingBandsTable } from './rating-bands-table.js';
import { shareTable } from './share-table.js';
import type { TableBuilder } from './table-builder.js';

/** Every kind of table, one module each. */
export const tableBuilders: { readonly [K in TableKind]: TableBuilder } = {
  share: shareTable,
  'matrix-share': matrixShareTable,
  mean: meanTable,
  'rating-bands': ratingBandsTable,
  'number-summary': numberSummaryTable,
};
