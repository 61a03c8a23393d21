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

/** Distribution over the options as horizontal bars with 95 % intervals, grouped by wave when compared. */
export const shareChart = (table: ChartTable, wave: string, options: ChartOptions = {}): ChartSpec => {
  const data = chartData(table, wave);
  const compared = table.compareWave !== undefined;
  const y = { field: 'rowLines', type: 'nominal' as const, sort: rowOrder(table), title: null, axis: rowAxis };
  const color = compared ? { field: 'wave', type: 'nominal' as const, sort: waveOrder(table, wave), title: 'Wave' } : { value: '#0065bd' };
  return finishChart({
    table,
    wave,
    data,
    options,
    description: describeData('Bar chart', table, data, true),
    placeholders: placeholdersAtZero(data),
    body: {
      encoding: { y, ...(compared ? { yOffset: { field: 'wave', sort: waveOrder(table, wave) } } : {}) },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            x: { field: 'value', type: 'quantitative', title: 'Percent of respondents', scale: { domain: [0, 100] } },
            color,
            tooltip: [
              { field: 'row', title: 'Answer' },
              { field: 'wave', title: 'Wave' },
              { field: 'value', title: 'Percent', format: '.0f' },
              { field: 'count', title: 'Count' },
              { field: 'n', title: 'n' },
            ],
          },
        },
        {
          mark: { type: 'rule', color: '#333' },
          encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
        },
      ],
    },
  });
};
