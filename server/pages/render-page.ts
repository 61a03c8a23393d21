import type { Component } from 'svelte';
import { render } from 'svelte/server';
import { defaultSupportEmail, pageChromeKey, type PageChrome } from '../../web/layout/page-chrome.js';
import { assetBuilt, assetUrl } from './page-assets.js';

/** A built script a page may ask for besides the enhancement every page gets. */
export type PageScript = 'dashboard-charts.js';

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
    `<link rel="stylesheet" href="${assetUrl('design-system.css')}">`,
    `<link rel="stylesheet" href="${assetUrl('survey.css')}">`,
    head,
    // Pages work without the scripts; when `npm install` has built them, the enhancement adds running
    // totals and live error clearing, and the dashboards' charts come alive.
    ...(['enhance.js', ...scripts] as const).filter(assetBuilt).map((name) => `<script type="module" src="${assetUrl(name)}"></script>`),
    '</head>',
    `<body>${body}</body>`,
    '</html>',
  ].join('\n');
};
