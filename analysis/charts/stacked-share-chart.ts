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
  type Placeholder,
} from './chart-data.js';

/** Each matrix row as one bar stacked by column (all / part / none), one bar per wave when compared. */
export const stackedShareChart = (table: ChartTable, wave: string, options: ChartOptions = {}): ChartSpec => {
  const data = chartData(table, wave).map((d) => ({ ...d, row: `${d.row} (n=${d.n})`, rowLabel: d.row }));
  const compared = table.compareWave !== undefined;
  // One mark per row and wave with a suppressed part, where the drawn segments end: that is where the
  // missing share of the bar is.
  const placeholders: Placeholder[] = [];
  for (const d of data.filter(isHidden)) {
    if (placeholders.some((p) => p.rowLines === d.rowLines && p.wave === d.wave)) continue;
    const drawn = data.filter((o) => o.rowLines === d.rowLines && o.wave === d.wave).reduce((sum, o) => sum + (o.value ?? 0), 0);
    placeholders.push({ rowLines: d.rowLines, row: d.row, wave: d.wave, column: d.column, at: drawn, side: 'right' });
  }
  return finishChart({
    table,
    wave,
    data,
    options,
    description: describeData('Stacked bar chart', table, data, true),
    placeholders,
    body: {
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'rowLines', type: 'nominal', sort: rowOrder(table), title: null, axis: rowAxis },
        ...(compared ? { yOffset: { field: 'wave', sort: waveOrder(table, wave) } } : {}),
        x: { field: 'value', type: 'quantitative', stack: 'zero', title: 'Percent of respondents answering the row', scale: { domain: [0, 100] } },
        color: { field: 'column', type: 'nominal', sort: table.columns.map((c) => c.label), title: 'Answer' },
        // The two waves' bars of a row differ in shade too, with a legend saying which is which (oldest first).
        ...(compared ? { opacity: { field: 'wave', type: 'nominal', sort: waveOrder(table, wave), scale: { range: [0.55, 1] }, title: 'Wave' } } : {}),
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
    },
  });
};
