import { Hono, type Context } from 'hono';
import { tableRecordHeader, tableRecords } from '../../analysis/index.js';
import { defaultK } from '../../analysis/disclosure/disclosure-types.js';
import ResearchPage from '../../web/staff/ResearchPage.svelte';
import { loadWaveTables } from '../analysis/wave-tables.js';
import { csvText } from '../csv/csv-writer.js';
import { buildResearchPackage, PackageRefused, zipResearchPackage } from '../downloads/research-package.js';
import { sendPage } from '../pages/send-page.js';
import { dashboardPaths, downloadName, publicTablesPath, researchPackagePath } from '../staff/dashboard-paths.js';
import type { StaffEnv, StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice } from '../staff/staff-pages.js';
import { countPartTwo } from '../storage/anonymous-store.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { listTextReleases } from '../storage/text-release-store.js';
import { findStoredWave, listWaves } from '../storage/wave-store.js';

/** Researchers, and admins who hand data on. Analysts read the unsuppressed tables on their own pages. */
const researchers = ['admin', 'researcher'] as const;

/**
 * `/staff/research`: per wave, the part-two data package (anonymised microdata with its codebook) and
 * the published tables of both parts in the public view. Nothing here reads part one as microdata:
 * the package is built from the anonymous store alone, and tables leave through disclosure control.
 */
export const staffResearchRoutes = ({ stores, key, now, requireRole }: StaffRouteDependencies) => {
  const noSuchWave = (c: Context<StaffEnv>) =>
    sendStaffNotice(c, 404, {
      title: 'Wave not found',
      paragraphs: ['There is no wave with that name. Choose a wave from the list of downloads.'],
      link: { href: dashboardPaths.research, text: 'Go to the research downloads' },
      account: accountOf(c, key),
    });

  return new Hono<StaffEnv>()
    .get('/research', requireRole(...researchers), async (c) => {
      const waves = [];
      for (const wave of await listWaves(stores.identifiable)) {
        waves.push({
          id: wave.id,
          name: wave.name,
          fielded: wave.fielded,
          partTwo: await countPartTwo(stores.anonymous, wave.id),
          releasedText: (await listTextReleases(stores.identifiable, wave.id)).map((r) => r.itemId),
          packageHref: researchPackagePath(wave.id),
          tablesHref: publicTablesPath(wave.id),
        });
      }
      return sendPage(c, ResearchPage, { account: accountOf(c, key)!, k: defaultK, waves });
    })
    .get('/research/:wave/package', requireRole(...researchers), async (c) => {
      const wave = await findStoredWave(stores.identifiable, c.req.param('wave'));
      if (!wave) return noSuchWave(c);
      const at = new Date(now());
      let zip: Uint8Array;
      try {
        // Free text only where an analyst read it and released it (staff-free-text-routes.ts).
        const releaseText = (await listTextReleases(stores.identifiable, wave.id)).map((r) => r.itemId);
        const pkg = await buildResearchPackage({ anonymous: stores.anonymous }, { waveId: wave.id, wave, now: at, releaseText });
        zip = zipResearchPackage(pkg, at);
        await appendAuditEvent(stores.identifiable, {
          actor: c.get('staff').user.id,
          action: 'download.package',
          detail: { wave: wave.id, k: pkg.report.k, rows: pkg.report.rows, text: releaseText },
          at: now(),
        });
      } catch (error) {
        if (!(error instanceof PackageRefused)) throw error;
        return sendStaffNotice(c, 409, {
          title: 'This data package cannot be made',
          paragraphs: [error.message, 'Nothing was downloaded.'],
          link: { href: dashboardPaths.research, text: 'Go to the research downloads' },
          account: accountOf(c, key),
        });
      }
      c.header('Content-Type', 'application/zip');
      c.header('Content-Disposition', `attachment; filename="cswo-${wave.id}-part-two-data-package.zip"`);
      return c.body(new Uint8Array(zip));
    })
    .get('/research/:wave/tables', requireRole(...researchers), async (c) => {
      const wave = await findStoredWave(stores.identifiable, c.req.param('wave'));
      if (!wave) return noSuchWave(c);
      // Always the public view here: this page never offers the analyst view's small cells.
      const tables = await loadWaveTables(stores, { waveId: wave.id, mode: 'public' });
      await appendAuditEvent(stores.identifiable, { actor: c.get('staff').user.id, action: 'download.tables', detail: { wave: wave.id, view: 'public' }, at: now() });
      const records = tables.tables.flatMap((t) => tableRecords(t, tables.wave, 'public')).map((r) => tableRecordHeader.map((h) => r[h]));
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${downloadName(wave.id, 'published-tables', { view: 'public' }, 'csv')}"`);
      return c.body(csvText([[...tableRecordHeader], ...records], { bom: true }));
    });
};
