import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'svelte/server';
import { changeSummary, type ProtectedWaveTables } from '../../analysis/index.js';
import type { WaveSummary } from '../../web/staff/dashboard-types.js';
import DraftReportDocument from '../../web/staff/DraftReportDocument.svelte';
import type { DashboardOptions } from '../staff/dashboard-paths.js';
import { dashboardSections, tableAnchor } from './dashboard-view.js';

const stylesheetFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'staff', 'draft-report.css');
// Read once, on the first report: it is part of the code, not of the data.
let stylesheet: string | undefined;

export interface DraftReportRequest {
  readonly wave: WaveSummary;
  readonly compare?: WaveSummary;
  readonly tables: ProtectedWaveTables;
  readonly options: DashboardOptions;
  readonly generatedAt: Date;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The draft report as one standalone HTML file: styles inline, charts as inline SVG, no script and
 * nothing fetched, so it opens offline and from an email attachment exactly as it was made.
 */
export const draftReportHtml = async ({ wave, compare, tables, options, generatedAt }: DraftReportRequest): Promise<string> => {
  const sections = await dashboardSections(tables, options, { downloads: false });
  const summary = compare ? changeSummary(tables) : undefined;
  const generated = generatedAt.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' });
  const { body } = render(DraftReportDocument, {
    props: {
      wave,
      ...(compare ? { compare } : {}),
      mode: tables.disclosure.mode,
      disclosureNote: tables.disclosure.note,
      sections,
      omitted: tables.omitted,
      generated,
      ...(summary ? { changes: { ...summary, findings: summary.findings.map((f) => ({ ...f, href: `#${tableAnchor(f.tableId)}` })) } } : {}),
    },
  });
  const title = `Draft report: CSWO survey ${wave.id}${compare ? ` compared with ${compare.id}` : ''} (${tables.disclosure.mode} view)`;
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeText(title)}</title>`,
    `<style>\n${(stylesheet ??= readFileSync(stylesheetFile, 'utf8'))}</style>`,
    '</head>',
    `<body>${body}</body>`,
    '</html>',
    '',
  ].join('\n');
};
