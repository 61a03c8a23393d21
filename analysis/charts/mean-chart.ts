import { chartData, describeData, rowOrder, titleOf, waveOrder, type ChartSpec, type ChartTable } from './chart-data.js';

/** Mean per row as horizontal bars, grouped by wave when compared. */
export const meanChart = (table: ChartTable, wave: string): ChartSpec => {
  const data = chartData(table, wave);
  const compared = table.compareWave !== undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: titleOf(table, data, wave),
    description: describeData('Bar chart of averages', table, data, false),
    data: { values: data },
    width: 420,
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'row', type: 'nominal', sort: rowOrder(table), title: null, axis: { labelLimit: 260 } },
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
  } as ChartSpec;
};
