import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../../analysis/index.js';

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
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: '#ffffff', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render();
  return Buffer.from(png.asPng());
};
