import { chartData, describeData, rowOrder, titleOf, waveOrder, type ChartSpec, type ChartTable } from './chart-data.js';

/** Each matrix row as one bar stacked by column (all / part / none), one bar per wave when compared. */
export const stackedShareChart = (table: ChartTable, wave: string): ChartSpec => {
  const data = chartData(table, wave).map((d) => ({ ...d, row: `${d.row} (n=${d.n})`, rowLabel: d.row }));
  const compared = table.compareWave !== undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: titleOf(table, data, wave),
    description: describeData('Stacked bar chart', table, data, true),
    data: { values: data },
    width: 420,
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'rowLabel', type: 'nominal', sort: rowOrder(table), title: null },
      ...(compared ? { yOffset: { field: 'wave', sort: waveOrder(table, wave) } } : {}),
      x: { field: 'value', type: 'quantitative', stack: 'zero', title: 'Percent of respondents answering the row', scale: { domain: [0, 100] } },
      color: { field: 'column', type: 'nominal', sort: table.columns.map((c) => c.label), title: 'Answer' },
      order: { field: 'columnOrder' },
      tooltip: [
        { field: 'row', title: 'Row' },
        { field: 'wave', title: 'Wave' },
        { field: 'column', title: 'Answer' },
        { field: 'value', title: 'Percent', format: '.0f' },
        { field: 'count', title: 'Count' },
      ],
    },
    transform: [{ calculate: `indexof(${JSON.stringify(table.columns.map((c) => c.label))}, datum.column)`, as: 'columnOrder' }],
  } as ChartSpec;
};
