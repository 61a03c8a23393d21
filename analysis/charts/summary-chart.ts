import {
  chartData,
  describeData,
  finishChart,
  placeholdersAtZero,
  rowAxis,
  rowOrder,
  waveOrder,
  type ChartOptions,
  type ChartSpec,
  type ChartTable,
} from './chart-data.js';

/** Median as a bar with the range as a line, per item (and wave when compared). */
export const summaryChart = (table: ChartTable, wave: string, options: ChartOptions = {}): ChartSpec => {
  const data = chartData(table, wave);
  const compared = table.compareWave !== undefined;
  return finishChart({
    table,
    wave,
    data,
    options,
    description: `${describeData('Bar chart of medians', table, data, false)} Lines show the range from smallest to largest.`,
    placeholders: placeholdersAtZero(data),
    body: {
      encoding: {
        y: { field: 'rowLines', type: 'nominal', sort: rowOrder(table), title: null, axis: rowAxis },
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
    },
  });
};
