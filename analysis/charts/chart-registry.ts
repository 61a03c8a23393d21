import type { TableKind } from '../table-types.js';
import type { ChartOptions, ChartSpec, ChartTable } from './chart-data.js';
import { divergingChart } from './diverging-chart.js';
import { meanChart } from './mean-chart.js';
import { shareChart } from './share-chart.js';
import { stackedShareChart } from './stacked-share-chart.js';
import { summaryChart } from './summary-chart.js';

const charts: { readonly [K in TableKind]: (table: ChartTable, wave: string, options?: ChartOptions) => ChartSpec } = {
  share: shareChart,
  'matrix-share': stackedShareChart,
  mean: meanChart,
  'rating-bands': divergingChart,
  'number-summary': summaryChart,
};

/**
 * The Vega-Lite spec of a table: the chart kind follows the table kind. `options.k` is the disclosure
 * threshold the table was protected with, named in the footnote of suppressed cells.
 */
export const chartFor = (table: ChartTable, wave: string, options: ChartOptions = {}): ChartSpec => charts[table.kind](table, wave, options);

/** The sentence a chart with nothing to draw stands for, or undefined for a real chart. */
export const noChartSentence = (spec: ChartSpec): string | undefined => (spec.usermeta as { noChart?: string } | undefined)?.noChart;
