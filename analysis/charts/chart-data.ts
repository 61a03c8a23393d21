import type { TopLevelSpec } from 'vega-lite';
import { defaultK, type ProtectedCell, type ProtectedTable } from '../disclosure/disclosure-types.js';
import type { AnalysisTable, Cell } from '../table-types.js';

export type ChartSpec = TopLevelSpec;

/** A table as built, or after disclosure control (a suppressed cell has no value and is drawn as none). */
export type ChartTable = AnalysisTable | ProtectedTable;

/** One datum per row, column and wave: the flat shape every chart reads. */
export interface ChartDatum {
  readonly row: string;
  /** The row's label broken into lines joined by "\n", which the y axis draws one under the other. */
  readonly rowLines: string;
  readonly rowId: string;
  readonly column: string;
  readonly columnId: string;
  readonly wave: string;
  readonly n: number;
  readonly value: number | null;
  readonly count?: number;
  readonly low?: number;
  readonly high?: number;
  readonly median?: number | null;
  readonly min?: number | null;
  readonly max?: number | null;
  /** Disclosure control withheld this value (public) or would withhold it (analyst view). */
  readonly suppressed?: boolean;
}

const datum = (table: ChartTable, rowId: string, row: string, columnId: string, cell: Cell | ProtectedCell, wave: string): ChartDatum => {
  const column = table.columns.find((c) => c.id === columnId)?.label ?? columnId;
  const base = {
    row,
    rowLines: wrapLabel(row),
    rowId,
    column,
    columnId,
    wave,
    n: cell.n,
    ...('suppressed' in cell && cell.suppressed ? { suppressed: true } : {}),
  };
  if ('pct' in cell) {
    return { ...base, value: cell.pct, ...(cell.count === null ? {} : { count: cell.count }), ...(cell.ci ? { low: cell.ci.low, high: cell.ci.high } : {}) };
  }
  if ('median' in cell) return { ...base, value: cell.median, median: cell.median, min: cell.min, max: cell.max };
  return { ...base, value: cell.mean };
};

export const chartData = (table: ChartTable, wave: string): ChartDatum[] =>
  table.rows.flatMap((row) => [
    ...Object.entries(row.cells).map(([columnId, cell]) => datum(table, row.id, row.label, columnId, cell, wave)),
    ...Object.entries(row.compare ?? {}).map(([columnId, cell]) => datum(table, row.id, row.label, columnId, cell, table.compareWave!)),
  ]);

/** Row labels (as wrapped) in table order, so charts keep the questionnaire's order instead of sorting alphabetically. */
export const rowOrder = (table: ChartTable): string[] => table.rows.map((r) => wrapLabel(r.label));

/** Oldest wave first, as in the tables and the change statements: the compared wave is the earlier one. */
export const waveOrder = (table: ChartTable, wave: string): string[] => (table.compareWave ? [table.compareWave, wave] : [wave]);

const show = (d: ChartDatum, percent: boolean) =>
  d.value === null
    ? d.suppressed
      ? 'suppressed'
      : 'no answers'
    : percent
      ? `${Math.round(d.value)}%${d.count !== undefined ? ` (${d.count} of ${d.n})` : ''}`
      : `${Number(d.value.toFixed(1))} (n=${d.n})`;

/** A plain-language description of every value, for screen readers (the chart's `description`). */
export const describeData = (kind: string, table: ChartTable, data: readonly ChartDatum[], percent: boolean): string => {
  const parts = data.map((d) => `${d.row}${table.columns.length > 1 ? `, ${d.column}` : ''}${table.compareWave ? `, ${d.wave}` : ''}: ${show(d, percent)}`);
  return `${kind} of ${table.title}. ${parts.join('; ')}.`;
};

/** The table's n in one wave when every cell shares it (single-question tables), for the chart's title. */
export const commonN = (data: readonly ChartDatum[], wave: string): number | undefined => {
  const ns = new Set(data.filter((d) => d.wave === wave).map((d) => d.n));
  return ns.size === 1 ? [...ns][0] : undefined;
};

/**
 * The title names n, in each wave when compared (oldest first): a compared chart titled with one wave's
 * n would misstate the other's. A long title is broken into lines rather than cut.
 */
export const titleOf = (table: ChartTable, data: readonly ChartDatum[], wave: string) => {
  const waves = waveOrder(table, wave);
  const ns = waves.map((w) => commonN(data, w));
  const common = ns.every((n) => n !== undefined);
  const nText = !common ? '' : waves.length === 1 ? ` (n=${ns[0]})` : ` (${waves.map((w, i) => `n=${ns[i]} in ${w}`).join(', ')})`;
  const text = `${table.title}${nText}`;
  return {
    text: wrap(text, titleWidth).length > 1 ? wrap(text, titleWidth) : text,
    subtitle: common ? `Wave ${waves.join(' and ')}` : `Wave ${waves.join(' and ')}; each row has its own n`,
  };
};

/** Greedy word wrap; a word longer than the width keeps a line of its own rather than being cut. */
export const wrap = (text: string, width: number): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : [''];
};

// In characters: about 260 px of 12 px labels, and the width of the chart in 16 px title text.
const labelWidth = 32;
const titleWidth = 64;
const footnoteWidth = 70;

export const wrapLabel = (label: string): string => wrap(label, labelWidth).join('\n');

const labelLines = (table: ChartTable): number => Math.max(1, ...table.rows.map((r) => wrap(r.label, labelWidth).length));

/** The y axis of row labels: each label on as many lines as it needs, never cut short with "…". */
export const rowAxis = { labelExpr: "split(datum.label, '\\n')", labelLimit: 0, labelLineHeight: 15 } as const;

/**
 * The plot's width in pixels. With the row labels (about 230 px) the chart is about 640 px wide, and
 * its key sits above the plot rather than beside it, so that the chart fits a page's column at full
 * size and its text is drawn at the size it is set in.
 */
export const plotWidth = 380;

/**
 * Type sizes of every chart: at least 12 px once drawn at full size, as readable as the page around it.
 * Legends never cut their labels either.
 */
export const chartConfig = {
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'bold' },
  legend: { labelFontSize: 12, titleFontSize: 13, labelLimit: 0, orient: 'top', direction: 'vertical' },
  title: { fontSize: 16, subtitleFontSize: 13, anchor: 'start', subtitleColor: '#333333' },
  text: { fontSize: 12 },
} as const;

export interface ChartOptions {
  /** The disclosure threshold the tables were protected with, which the footnote of suppressed cells names. */
  readonly k?: number;
}

/** The mark drawn where a suppressed value's bar would be, after the statistical convention "[c]" (confidential). */
export const suppressedMark = '[c]';

export const suppressedFootnote = (k: number): string =>
  `${suppressedMark} suppressed to protect confidentiality (not zero): counts below ${k} or within ${k} of n, ` +
  `averages of fewer than ${k} answers, and figures that would reveal one of these are not shown.`;

/** Where a suppressed cell's mark goes: at x (in the chart's own units), written to the left or right of it. */
export interface Placeholder {
  readonly rowLines: string;
  readonly row: string;
  readonly wave: string;
  readonly column: string;
  readonly at: number;
  readonly side: 'left' | 'right';
}

/** A suppressed cell: no value to draw, unlike the analyst view, which shows the value and marks it in the table. */
export const isHidden = (d: ChartDatum): boolean => d.value === null && d.suppressed === true;

/** The default place of a suppressed bar's mark: where its bar would start, at zero. */
export const placeholdersAtZero = (data: readonly ChartDatum[]): Placeholder[] =>
  data.filter(isHidden).map((d) => ({ rowLines: d.rowLines, row: d.row, wave: d.wave, column: d.column, at: 0, side: 'right' }));

export interface ChartParts {
  readonly table: ChartTable;
  readonly wave: string;
  readonly data: readonly ChartDatum[];
  /** The chart's own description of each value, for screen readers. */
  readonly description: string;
  /** The chart itself: a unit or layer spec reading `data`, without title, data or size. */
  readonly body: Record<string, unknown>;
  readonly placeholders: readonly Placeholder[];
  readonly options: ChartOptions;
}

const schema = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * A chart with nothing to draw (every value suppressed, or nobody answered) is a sentence, not a set
 * of empty axes: the spec draws the title and the sentence, and says so in `usermeta.noChart` so the
 * pages can show the sentence as text.
 */
const sentenceChart = (table: ChartTable, data: readonly ChartDatum[], wave: string, options: ChartOptions): ChartSpec => {
  const k = options.k ?? defaultK;
  const sentence = data.some(isHidden)
    ? `No chart: every figure of this table is suppressed to protect confidentiality (counts below ${k} or within ${k} of n, or averages of fewer than ${k} answers). The table gives each row's n.`
    : `No chart: nobody answered this question${table.compareWave ? ' in either wave' : ''}.`;
  return {
    $schema: schema,
    title: titleOf(table, data, wave),
    description: `${table.title}. ${sentence}`,
    usermeta: { noChart: sentence },
    config: { ...chartConfig, view: { stroke: null } },
    data: { values: [{ text: wrap(sentence, footnoteWidth) }] },
    width: 560,
    height: wrap(sentence, footnoteWidth).length * 17,
    mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 13, lineHeight: 17 },
    encoding: { x: { value: 0 }, y: { value: 0 }, text: { field: 'text' } },
  } as ChartSpec;
};

/**
 * Every chart's common frame: title, description, type sizes, and a "[c]" at each suppressed cell's
 * place with a footnote saying what it means, so that a suppressed bar never reads as zero.
 */
export const finishChart = ({ table, wave, data, description, body, placeholders, options }: ChartParts): ChartSpec => {
  if (!data.some((d) => d.value !== null)) return sentenceChart(table, data, wave, options);
  const compared = table.compareWave !== undefined;
  const marks = (side: Placeholder['side']) => placeholders.filter((p) => p.side === side);
  const markLayer = (side: Placeholder['side']) => ({
    data: { values: marks(side) },
    mark: { type: 'text', align: side === 'right' ? 'left' : 'right', dx: side === 'right' ? 4 : -4, fontWeight: 'bold', fontSize: 12, color: '#333333' },
    encoding: {
      y: { field: 'rowLines', type: 'nominal', sort: rowOrder(table) },
      ...(compared ? { yOffset: { field: 'wave', sort: waveOrder(table, wave) } } : {}),
      x: { field: 'at', type: 'quantitative' },
      text: { value: suppressedMark },
      tooltip: [
        { field: 'row', title: 'Row' },
        { field: 'wave', title: 'Wave' },
        ...(table.columns.length > 1 ? [{ field: 'column', title: 'Column' }] : []),
        { field: 'note', title: 'Value' },
      ],
    },
    transform: [{ calculate: "'suppressed'", as: 'note' }],
  });
  const footnote = {
    data: { values: [{ text: wrap(suppressedFootnote(options.k ?? defaultK), footnoteWidth) }] },
    // Below the x axis and its title, whatever the chart's height.
    mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 12, lineHeight: 15, color: '#333333', y: { expr: 'height + 48' }, x: 0 },
    encoding: { text: { field: 'text' } },
  };
  const layer = [body, ...(['left', 'right'] as const).filter((side) => marks(side).length > 0).map(markLayer), ...(placeholders.length > 0 ? [footnote] : [])];
  return {
    $schema: schema,
    title: titleOf(table, data, wave),
    description: placeholders.length > 0 ? `${description} ${suppressedFootnote(options.k ?? defaultK)}` : description,
    config: chartConfig,
    data: { values: data },
    width: plotWidth,
    // Each row as tall as its label's lines. When compared, the step is each wave's bar within the row.
    height: { step: compared ? Math.max(Math.ceil((labelLines(table) * 15 + 8) / 2), 20) : Math.max(labelLines(table) * 15 + 8, 22) },
    layer,
  } as ChartSpec;
};
