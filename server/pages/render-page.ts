import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Component } from 'svelte';
import { render } from 'svelte/server';
import { defaultSupportEmail, pageChromeKey, type PageChrome } from '../../web/layout/page-chrome.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Files served under /assets: the design system's stylesheet, ours, and the enhancement bundle. */
export const assetFiles = {
  'design-system.css': join(root, 'node_modules', '@scottish-government', 'design-system', 'dist', 'css', 'design-system.min.css'),
  'survey.css': join(root, 'web', 'survey.css'),
  'enhance.js': join(root, 'dist', 'web', 'enhance.js'),
  /** The dashboards' live charts (vega-embed): large, so only the pages with charts load it. */
  'dashboard-charts.js': join(root, 'dist', 'web', 'dashboard-charts.js'),
} as const;

/** A built script a page may ask for besides the enhancement every page gets. */
export type PageScript = 'dashboard-charts.js';

// Pages work without the scripts; when `npm install` has built them, the enhancement adds running
// totals and live error clearing, and the dashboards' charts come alive.
const built = (name: keyof typeof assetFiles) => existsSync(assetFiles[name]);

/** A whole HTML document from a page component rendered on the server. */
export const renderPage = <Props extends Record<string, any>>(
  page: Component<Props>,
  props: Props,
  { scripts = [], chrome = { supportEmail: defaultSupportEmail } }: { scripts?: readonly PageScript[]; chrome?: PageChrome } = {},
): string => {
  const { head, body } = render(page as Component<any>, { props, context: new Map([[pageChromeKey, chrome]]) });
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="stylesheet" href="/assets/design-system.css">',
    '<link rel="stylesheet" href="/assets/survey.css">',
    head,
    ...(['enhance.js', ...scripts] as const).filter(built).map((name) => `<script type="module" src="/assets/${name}"></script>`),
    '</head>',
    `<body>${body}</body>`,
    '</html>',
  ].join('\n');
};
