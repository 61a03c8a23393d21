import { chartData, describeData, rowOrder, titleOf, waveOrder, type ChartSpec, type ChartTable } from './chart-data.js';

/** Median as a bar with the range as a line, per item (and wave when compared). */
export const summaryChart = (table: ChartTable, wave: string): ChartSpec => {
  const data = chartData(table, wave);
  const compared = table.compareWave !== undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: titleOf(table, data, wave),
    description: `${describeData('Bar chart of medians', table, data, false)} Lines show the range from smallest to largest.`,
    data: { values: data },
    width: 420,
    encoding: {
      y: { field: 'row', type: 'nominal', sort: rowOrder(table), title: null, axis: { labelLimit: 260 } },
      ...(compared ? { yOffset: { field: 'wave', sort: waveOrder(table, wave) } } : {}),
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'median', type: 'quantitative', title: 'Number of groups (bar: median; line: range)' },
          color: compared ? { field: 'wave', type: 'nominal', sort: waveOrder(table, wave), title: 'Wave' } : { value: '#0065bd' },
          tooltip: [
            { field: 'row', title: 'Item' },
            { field: 'wave', title: 'Wave' },
            { field: 'median', title: 'Median' },
            { field: 'min', title: 'Smallest' },
            { field: 'max', title: 'Largest' },
            { field: 'n', title: 'n' },
          ],
        },
      },
      { mark: { type: 'rule', color: '#333' }, encoding: { x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } } },
    ],
  } as ChartSpec;
};
