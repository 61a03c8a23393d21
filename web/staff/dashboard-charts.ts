import { mount } from 'svelte';
import VegaChart from './VegaChart.svelte';

/**
 * Loaded only by the dashboard pages. Each chart arrives drawn by the server (so it is there without
 * JavaScript) with its Vega-Lite spec as JSON data beside it; this replaces the drawing with a live
 * vega-embed chart of the same spec, which adds tooltips. Should that fail, the server's drawing stays.
 */
for (const figure of document.querySelectorAll<HTMLElement>('[data-chart]')) {
  const drawing = figure.querySelector<HTMLElement>('.chart__drawing');
  const source = figure.querySelector('script.chart__spec');
  if (!drawing || !source?.textContent) continue;
  const fallback = [...drawing.childNodes];
  drawing.replaceChildren();
  mount(VegaChart, {
    target: drawing,
    props: { spec: JSON.parse(source.textContent), onfailed: () => drawing.replaceChildren(...fallback) },
  });
  figure.dataset.chartLive = 'true';
}
