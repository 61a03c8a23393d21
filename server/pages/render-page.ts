import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Component } from 'svelte';
import { render } from 'svelte/server';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Files served under /assets: the design system's stylesheet, ours, and the enhancement bundle. */
export const assetFiles = {
  'design-system.css': join(root, 'node_modules', '@scottish-government', 'design-system', 'dist', 'css', 'design-system.min.css'),
  'survey.css': join(root, 'web', 'survey.css'),
  'enhance.js': join(root, 'dist', 'web', 'enhance.js'),
} as const;

// Pages work without it; when `npm install` has built it, the enhancement adds running totals and
// live error clearing.
const enhanced = () => existsSync(assetFiles['enhance.js']);

/** A whole HTML document from a page component rendered on the server. */
export const renderPage = <Props extends Record<string, any>>(page: Component<Props>, props: Props): string => {
  const { head, body } = render(page as Component<any>, { props });
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="stylesheet" href="/assets/design-system.css">',
    '<link rel="stylesheet" href="/assets/survey.css">',
    head,
    enhanced() ? '<script type="module" src="/assets/enhance.js"></script>' : '',
    '</head>',
    `<body>${body}</body>`,
    '</html>',
  ].join('\n');
};
