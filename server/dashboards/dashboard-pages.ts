import type { Context } from 'hono';
import { z } from 'zod';
import { changeSummary, tableRecordHeader, tableRecords, type DisclosureMode } from '../../analysis/index.js';
import type { Wave } from '../../survey-definitions/index.js';
import DashboardPage from '../../web/staff/DashboardPage.svelte';
import DashboardSectionPage from '../../web/staff/DashboardSectionPage.svelte';
import DashboardsPage from '../../web/staff/DashboardsPage.svelte';
import type { FieldProblem, WaveSummary } from '../../web/staff/dashboard-types.js';
import { closedWaveCache } from './closed-wave-cache.js';
import { loadWaveTables } from './wave-tables.js';
import { chartPng, chartSvg } from './chart-render.js';
import { csvText } from '../csv/csv-writer.js';
import { sendPage } from '../pages/send-page.js';
import { draftReportHtml } from './draft-report.js';
import { dashboardPath, dashboardSectionPath, downloadName, draftReportPath, freeTextPath, type DashboardOptions } from '../staff/dashboard-paths.js';
import { dashboardContents, dashboardSections, tableAnchor } from './dashboard-view.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice, waveOf } from '../staff/staff-pages.js';
import { countPartTwo } from '../storage/anonymous-store.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import type { Stores } from '../storage/open-stores.js';
import { countPartOne } from '../storage/part-one-store.js';
import { findStoredWave, listWaves } from '../storage/wave-store.js';
import { chartFor } from '../../analysis/index.js';

/** Who reads the tables: analysts, and admins (who run the waves). Researchers get published tables only. */

const optionsSchema = z.object({
  compare: z.string().trim().max(64).optional(),
  view: z.string().optional(),
});

const summaryOf = async (stores: Stores, wave: Wave): Promise<WaveSummary> => ({
  id: wave.id,
  name: wave.name,
  fielded: wave.fielded,
  partOne: await countPartOne(stores.identifiable, wave.id),
  partTwo: await countPartTwo(stores.anonymous, wave.id),
});

/**
 * The options of a dashboard, download or report from its query: which wave to compare with and which
 * disclosure view. Anything else is named back to the analyst rather than quietly replaced.
 */
/**
 * A comparison runs from an earlier wave to this one, so that tables, charts and change statements all
 * read oldest first. Waves are listed by id, which is the year and month (`2021-06`).
 */
const isEarlier = (other: Wave, wave: Wave) => other.id < wave.id;

const readOptions = async (stores: Stores, c: Context, wave: Wave): Promise<{ options: DashboardOptions; compareWave?: Wave; errors: FieldProblem[] }> => {
  const parsed = optionsSchema.safeParse(c.req.query());
  const query = parsed.success ? parsed.data : {};
  const errors: FieldProblem[] = [];
  let compareWave: Wave | undefined;
  if (query.compare) {
    const found = query.compare === wave.id ? undefined : await findStoredWave(stores.identifiable, query.compare);
    if (!found) {
      errors.push({
        field: 'compare',
        message:
          query.compare === wave.id
            ? 'Choose a different wave to compare with, not the same one'
            : `There is no wave "${query.compare}" to compare with: choose one from the list`,
      });
    } else if (!isEarlier(found, wave)) {
      errors.push({
        field: 'compare',
        message: `Choose an earlier wave to compare with: to compare ${wave.id} with ${found.id}, open the dashboard of ${found.id} and compare it with ${wave.id}`,
      });
    } else compareWave = found;
  }
  // In the order of the form's fields, so the error summary reads top to bottom.
  let view: DisclosureMode = 'analyst';
  if (query.view === 'public' || query.view === 'analyst') view = query.view;
  else if (query.view !== undefined && query.view !== '') errors.push({ field: 'view-analyst', message: 'Choose the analyst view or the public view' });
  return { options: { view, ...(compareWave ? { compare: compareWave.id } : {}) }, ...(compareWave ? { compareWave } : {}), errors };
};

// The messages name a wave to compare with as the address gave it: sent uncompressed.
const badOptions = (c: Context<StaffEnv>, key: Buffer, wave: Wave, errors: readonly FieldProblem[], what: 'download' | 'page' = 'download') =>
  sendStaffNotice(
    c,
    400,
    {
      title: what === 'download' ? 'This download cannot be made' : 'These tables cannot be shown',
      paragraphs: [...errors.map((e) => e.message), what === 'download' ? 'Nothing was downloaded.' : "Choose the comparison and view on the wave's page."],
      link: { href: dashboardPath(wave.id), text: `Go to the tables of ${wave.name}` },
      account: accountOf(c, key),
    },
    { reflectsRequest: true },
  );

const attachment = (c: Context, name: string, type: string) => {
  c.header('Content-Type', type);
  c.header('Content-Disposition', `attachment; filename="${name}"`);
};

/** What reading the tables and taking them out writes to the audit log, with who, which wave and which view. */
export const dashboardAuditActions = { view: 'tables.view', table: 'download.table', chart: 'download.chart', report: 'download.report' } as const;

/**
 * `/staff/dashboards`: every table of a wave with its chart, in the report's order; a comparison with
 * another wave; each table as CSV and each chart as SVG or PNG; and the draft report as one HTML file.
 * Views and downloads are written to the audit log with who, what and which view.
 */
export const dashboardPages = ({ stores, key, now }: StaffRouteDependencies) => {
  const audit = (c: Context<StaffEnv>, action: string, detail: Record<string, unknown>) =>
    appendAuditEvent(stores.identifiable, { actor: c.get('staff').user.id, action, detail, at: now() });
  // Closed waves' tables and drawn charts are computed once and reused until their data change.
  const cache = closedWaveCache(stores);
  const tablesOf = (wave: Wave, compareWave: Wave | undefined, options: DashboardOptions) =>
    cache.get([wave.id, ...(compareWave ? [compareWave.id] : [])], JSON.stringify(['tables', wave.id, compareWave?.id, options.view]), () =>
      loadWaveTables(stores, { wave, ...(compareWave ? { compare: compareWave } : {}), mode: options.view }),
    );
  // One section's charts at a time: a page draws only its own.
  const sectionOf = (wave: Wave, compareWave: Wave | undefined, options: DashboardOptions, section: string) =>
    cache.get([wave.id, ...(compareWave ? [compareWave.id] : [])], JSON.stringify(['section', wave.id, compareWave?.id, options.view, section]), async () => {
      const tables = await tablesOf(wave, compareWave, options);
      return (await dashboardSections(tables, options, { only: section }))[0];
    });

  return {
    list: async (c: Context<StaffEnv>) => {
      const waves = [];
      for (const wave of await listWaves(stores.identifiable)) waves.push({ ...(await summaryOf(stores, wave)), href: dashboardPath(wave.id) });
      return sendPage(c, DashboardsPage, { account: accountOf(c, key)!, waves });
    },
    // The wave's page: the options, the contents (a page per section of the report) and, when
    // compared, what changed. The tables and charts are on the section pages.
    wave: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const { options, compareWave, errors } = await readOptions(stores, c, wave);
      const tables = await tablesOf(wave, compareWave, options);
      await audit(c, dashboardAuditActions.view, { wave: wave.id, compare: compareWave?.id ?? null, view: options.view });
      const choices = (await listWaves(stores.identifiable)).filter((w) => isEarlier(w, wave)).map((w) => ({ id: w.id, name: w.name, fielded: w.fielded }));
      const summary = compareWave ? changeSummary(tables) : undefined;
      return sendPage(
        c,
        DashboardPage,
        {
          account: accountOf(c, key)!,
          wave: await summaryOf(stores, wave),
          ...(compareWave ? { compare: await summaryOf(stores, compareWave) } : {}),
          choices,
          mode: options.view,
          disclosureNote: tables.disclosure.note,
          contents: dashboardContents(tables, options),
          ...(summary
            ? {
                changes: {
                  tested: summary.tested,
                  hidden: summary.hidden,
                  findings: summary.findings.map((f) => ({ ...f, href: `${dashboardSectionPath(wave.id, f.sectionId, options)}#${tableAnchor(f.tableId)}` })),
                },
              }
            : {}),
          omitted: tables.omitted,
          reportHref: draftReportPath(wave.id, options),
          freeTextHref: freeTextPath(wave.id),
          listHref: staffPaths.dashboards,
          errors,
        },
        errors.length > 0 ? 400 : 200,
        // A refused option is named back as the address gave it: sent uncompressed.
        { reflectsRequest: errors.length > 0 },
      );
    },
    // One section of the report: its tables, each with its chart, figures and downloads.
    section: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const { options, compareWave, errors } = await readOptions(stores, c, wave);
      if (errors.length > 0) return badOptions(c, key, wave, errors, 'page');
      const tables = await tablesOf(wave, compareWave, options);
      const contents = dashboardContents(tables, options);
      const index = contents.findIndex((s) => s.id === c.req.param('section'));
      if (index < 0) {
        return sendStaffNotice(
          c,
          404,
          {
            title: 'Section not found',
            paragraphs: [`The tables of wave ${wave.id} have no section "${c.req.param('section')}". Choose a section from the contents.`],
            link: { href: dashboardPath(wave.id, options), text: `Go to the contents of ${wave.name}` },
            account: accountOf(c, key),
          },
          { reflectsRequest: true },
        );
      }
      const section = (await sectionOf(wave, compareWave, options, contents[index]!.id))!;
      await audit(c, dashboardAuditActions.view, { wave: wave.id, compare: compareWave?.id ?? null, view: options.view, section: section.id });
      const previous = contents[index - 1];
      const next = contents[index + 1];
      return sendPage(
        c,
        DashboardSectionPage,
        {
          account: accountOf(c, key)!,
          wave: await summaryOf(stores, wave),
          ...(compareWave ? { compare: await summaryOf(stores, compareWave) } : {}),
          mode: options.view,
          disclosureNote: tables.disclosure.note,
          section,
          position: { number: index + 1, of: contents.length },
          contents,
          ...(previous ? { previous: { href: previous.href, title: previous.title } } : {}),
          ...(next ? { next: { href: next.href, title: next.title } } : {}),
          overviewHref: dashboardPath(wave.id, options),
        },
        200,
        { scripts: ['dashboard-charts.js'] },
      );
    },
    download: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const { options, compareWave, errors } = await readOptions(stores, c, wave);
      if (errors.length > 0) return badOptions(c, key, wave, errors);
      const tables = await tablesOf(wave, compareWave, options);
      const table = tables.tables.find((t) => t.id === c.req.param('table'));
      if (!table) {
        return sendStaffNotice(
          c,
          404,
          {
            title: 'Table not found',
            paragraphs: [`Wave ${wave.id} has no table "${c.req.param('table')}". Choose a table on the wave's page.`],
            link: { href: dashboardPath(wave.id, options), text: `Go to the tables of ${wave.name}` },
            account: accountOf(c, key),
          },
          { reflectsRequest: true },
        );
      }
      const format = c.req.param('format') as 'csv' | 'svg' | 'png';
      await audit(c, format === 'csv' ? dashboardAuditActions.table : dashboardAuditActions.chart, {
        wave: wave.id,
        compare: compareWave?.id ?? null,
        view: options.view,
        table: table.id,
        format,
      });
      const name = downloadName(wave.id, table.id, options, format);
      if (format === 'csv') {
        const records = tableRecords(table, tables.wave, options.view).map((r) => tableRecordHeader.map((h) => r[h]));
        attachment(c, name, 'text/csv; charset=utf-8');
        // A byte-order mark so that Excel reads the labels as UTF-8.
        return c.body(csvText([[...tableRecordHeader], ...records], { bom: true }));
      }
      const spec = chartFor(table, tables.wave, { k: tables.disclosure.k });
      if (format === 'svg') {
        attachment(c, name, 'image/svg+xml; charset=utf-8');
        return c.body(await chartSvg(spec));
      }
      attachment(c, name, 'image/png');
      return c.body(new Uint8Array(await chartPng(spec)));
    },
    draftReport: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const { options, compareWave, errors } = await readOptions(stores, c, wave);
      if (errors.length > 0) return badOptions(c, key, wave, errors);
      const tables = await tablesOf(wave, compareWave, options);
      await audit(c, dashboardAuditActions.report, { wave: wave.id, compare: compareWave?.id ?? null, view: options.view });
      const html = await draftReportHtml({
        wave: await summaryOf(stores, wave),
        ...(compareWave ? { compare: await summaryOf(stores, compareWave) } : {}),
        tables,
        options,
        generatedAt: new Date(now()),
      });
      attachment(c, downloadName(wave.id, 'draft-report', options, 'html'), 'text/html; charset=utf-8');
      return c.body(html);
    },
  };
};
