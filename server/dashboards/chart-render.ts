import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../../analysis/index.js';

/**
 * Text widths on the server, where Vega has no canvas to measure with: its own estimate (0.8 em a
 * character) makes every label column, legend and footnote a third wider than drawn, so the chart is
 * wider than its page's column and shrinks, text and all, below 12 px. This one counts narrow, wide and
 * capital letters apart, erring wide (DejaVu Sans, the PNGs' font, is wider than Arial): a label drawn wider than measured would be cut off at the edge.
 */
const emWidth = (ch: string) => (/[\s.,:;'|!ijlt()[\]]/.test(ch) ? 0.34 : /[mwMW@%]/.test(ch) ? 0.95 : /[A-Z0-9£]/.test(ch) ? 0.72 : 0.62);
const textMetrics = (vega as unknown as { textMetrics: { width: (item: { fontSize?: number; fontWeight?: string | number }, text?: unknown) => number } })
  .textMetrics;
textMetrics.width = (item, text) => {
  const value = text == null ? '' : String(text).trim();
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600 ? 1.08 : 1;
  return Math.ceil([...value].reduce((sum, ch) => sum + emWidth(ch), 0) * size * bold);
};

/**
 * Charts drawn on the server: the same Vega-Lite spec the dashboard hands to vega-embed, as an SVG
 * string. Pages carry it inline, so a chart is there without JavaScript, in the draft report offline,
 * and in downloads.
 */
export const chartSvg = async (spec: ChartSpec): Promise<string> => {
  const view = new vega.View(vega.parse(compile(spec as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};

/** The chart as PNG at twice its size, sharp enough to paste into a document. */
export const chartPng = async (spec: ChartSpec): Promise<Buffer> => {
  const svg = await chartSvg(spec);
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return Buffer.from(png.asPng());
};
