import {
  chartData,
  describeData,
  finishChart,
  isHidden,
  rowAxis,
  rowOrder,
  waveOrder,
  type ChartOptions,
  type ChartSpec,
  type ChartTable,
} from './chart-data.js';

/** Low ratings to the left of zero and high ratings to the right, per row (and wave when compared). */
export const divergingChart = (table: ChartTable, wave: string, options: ChartOptions = {}): ChartSpec => {
  const data = chartData(table, wave);
  const compared = table.compareWave !== undefined;
  const [low, high] = table.columns;
  return finishChart({
    table,
    wave,
    data,
    options,
    description: describeData('Diverging bar chart', table, data, true),
    // A suppressed low band is marked left of zero, a suppressed high band right of it, where each bar would be.
    placeholders: data
      .filter(isHidden)
      .map((d) => ({ rowLines: d.rowLines, row: d.row, wave: d.wave, column: d.column, at: 0, side: d.columnId === low?.id ? 'left' : 'right' })),
    body: {
      transform: [
        // A row nobody rated stays null, so it draws no bar: -null would be a 0 bar.
        { calculate: `datum.value === null ? null : datum.columnId === '${low?.id}' ? -datum.value : datum.value`, as: 'signed' },
        { calculate: "datum.column + ', ' + datum.wave", as: 'series' },
      ],
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'rowLines', type: 'nominal', sort: rowOrder(table), title: null, axis: rowAxis },
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
          ...(compared
            ? { sort: waveOrder(table, wave).flatMap((w) => [`${low?.label}, ${w}`, `${high?.label}, ${w}`]) }
            : { sort: [low?.label, high?.label], scale: { range: ['#7fb8e6', '#c0392b'] } }),
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
    },
  });
};
