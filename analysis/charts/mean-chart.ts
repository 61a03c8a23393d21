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

/** Mean per row as horizontal bars, grouped by wave when compared. */
export const meanChart = (table: ChartTable, wave: string, options: ChartOptions = {}): ChartSpec => {
  const data = chartData(table, wave);
  const compared = table.compareWave !== undefined;
  return finishChart({
    table,
    wave,
    data,
    options,
    description: describeData('Bar chart of averages', table, data, false),
    placeholders: placeholdersAtZero(data),
    body: {
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'rowLines', type: 'nominal', sort: rowOrder(table), title: null, axis: rowAxis },
        ...(compared ? { yOffset: { field: 'wave', sort: waveOrder(table, wave) } } : {}),
        x: { field: 'value', type: 'quantitative', title: table.columns[0]?.label ?? 'Average' },
        color: compared ? { field: 'wave', type: 'nominal', sort: waveOrder(table, wave), title: 'Wave' } : { value: '#0065bd' },
        tooltip: [
          { field: 'row', title: 'Area' },
          { field: 'wave', title: 'Wave' },
          { field: 'value', title: 'Average', format: '.1f' },
          { field: 'n', title: 'n' },
        ],
      },
    },
  });
};
