import { chartData, describeData, rowOrder, titleOf, waveOrder, type ChartSpec, type ChartTable } from './chart-data.js';

/** Low ratings to the left of zero and high ratings to the right, per row (and wave when compared). */
export const divergingChart = (table: ChartTable, wave: string): ChartSpec => {
  const data = chartData(table, wave);
  const compared = table.compareWave !== undefined;
  const [low, high] = table.columns;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: titleOf(table, data, wave),
    description: describeData('Diverging bar chart', table, data, true),
    data: { values: data },
    transform: [
      // A row nobody rated stays null, so it draws no bar: -null would be a 0 bar.
      { calculate: `datum.value === null ? null : datum.columnId === '${low?.id}' ? -datum.value : datum.value`, as: 'signed' },
      { calculate: "datum.column + ', ' + datum.wave", as: 'series' },
    ],
    width: 420,
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'row', type: 'nominal', sort: rowOrder(table), title: null, axis: { labelLimit: 260 } },
      ...(compared ? { yOffset: { field: 'wave', sort: waveOrder(table, wave) } } : {}),
      x: {
        field: 'signed',
        type: 'quantitative',
        title: `Percent rating ${low?.label.toLowerCase()} (left) and ${high?.label.toLowerCase()} (right)`,
        scale: { domain: [-100, 100] },
        axis: { labelExpr: 'abs(datum.value)' },
      },
      color: {
        field: compared ? 'series' : 'column',
        type: 'nominal',
        title: compared ? 'Band and wave' : 'Band',
        ...(compared ? {} : { sort: [low?.label, high?.label], scale: { range: ['#7fb8e6', '#c0392b'] } }),
      },
      tooltip: [
        { field: 'row', title: 'Area' },
        { field: 'wave', title: 'Wave' },
        { field: 'column', title: 'Band' },
        { field: 'value', title: 'Percent', format: '.0f' },
        { field: 'count', title: 'Count' },
        { field: 'n', title: 'n' },
      ],
    },
  } as ChartSpec;
};
