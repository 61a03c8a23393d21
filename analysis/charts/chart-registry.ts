import type { TableKind } from '../table-types.js';
import type { ChartSpec, ChartTable } from './chart-data.js';
import { divergingChart } from './diverging-chart.js';
import { meanChart } from './mean-chart.js';
import { shareChart } from './share-chart.js';
import { stackedShareChart } from './stacked-share-chart.js';
import { summaryChart } from './summary-chart.js';

const charts: { readonly [K in TableKind]: (table: ChartTable, wave: string) => ChartSpec } = {
  share: shareChart,
  'matrix-share': stackedShareChart,
  mean: meanChart,
  'rating-bands': divergingChart,
  'number-summary': summaryChart,
};

/** The Vega-Lite spec of a table: the chart kind follows the table kind. */
export const chartFor = (table: ChartTable, wave: string): ChartSpec => charts[table.kind](table, wave);
