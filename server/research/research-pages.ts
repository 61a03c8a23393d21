import type { Context } from 'hono';
import { z } from 'zod';
import type { Wave } from '../../survey-definitions/index.js';
import type { FieldProblem } from '../../web/staff/dashboard-types.js';
import { tableRecordHeader, tableRecords } from '../../analysis/index.js';
import { defaultK } from '../../analysis/disclosure/disclosure-types.js';
import ResearchPage from '../../web/staff/ResearchPage.svelte';
import { loadWaveTables } from '../dashboards/index.js';
import { csvText } from '../csv/csv-writer.js';
import { PackageRefused, researchPackageZip } from './research-package.js';
import { sendPage } from '../pages/send-page.js';
import { downloadName, publicTablesPath, researchPackagePath } from '../staff/dashboard-paths.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice, waveOf } from '../staff/staff-pages.js';
import { withAnonymousSnapshot } from '../storage/anonymous-snapshot.js';
import { countPartTwo } from '../storage/anonymous-store.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { listTextReleases } from '../storage/text-release-store.js';
import { findStoredWave, listWaves } from '../storage/wave-store.js';

/** The waves ticked for a package: ids as the wave store spells them (checked against it after). */
const chosenWaves = z.array(z.string().trim().min(1).max(64)).max(100);

/** Researchers, and admins who hand data on. Analysts read the unsuppressed tables on their own pages. */

/** Every research download is audited: who took which wave's package or published tables. */
export const researchAuditActions = { package: 'download.package', tables: 'download.tables' } as const;

/**
 * `/staff/research`: per wave, the part-two data package (anonymised microdata with its codebook) and
 * the published tables of both parts in the public view; and one package across the waves ticked.
 * Nothing here reads part one as microdata: the package is built from the anonymous store alone, and
 * tables leave through disclosure control.
 */
export const researchPages = ({ stores, key, now }: StaffRouteDependencies) => {
  /** The page, with the waves and (after a refused choice) what was wrong with it. */
  const researchPage = async (c: Context<StaffEnv>, form: { chosen?: readonly string[]; errors?: readonly FieldProblem[] } = {}) => {
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
    const errors = form.errors ?? [];
    return sendPage(
      c,
      ResearchPage,
      { account: accountOf(c, key)!, k: defaultK, waves, packageAction: staffPaths.researchPackages, chosen: form.chosen ?? [], errors },
      errors.length > 0 ? 400 : 200,
      // A refused choice is shown back as the address gave it ("There is no wave …"): sent uncompressed.
      { reflectsRequest: errors.length > 0 },
    );
  };

  /** The zip of one wave or several, audited; a package that cannot be made is a notice, and nothing is downloaded. */
  const sendPackage = async (c: Context<StaffEnv>, waves: readonly Wave[]) => {
    const at = new Date(now());
    let zip: Uint8Array;
    try {
      // Free text only where an analyst read it and released it for that wave (free-text-pages.ts).
      const releaseText: Record<string, string[]> = {};
      for (const wave of waves) releaseText[wave.id] = (await listTextReleases(stores.identifiable, wave.id)).map((r) => r.itemId);
      // Made in two passes over the store and deflated as it is written: only the zip is held, not the rows.
      // Read from a private copy (SQLite), as the export and the command line read it: the passes then never
      // keep the server from scrubbing, and read the same rows.
      const made = await withAnonymousSnapshot(
        stores,
        waves.map((w) => w.id),
        (anonymous) => researchPackageZip({ anonymous }, { waveIds: waves.map((w) => w.id), waves, now: at, releaseText }),
      );
      const pkg = made.pkg;
      zip = made.zip;
      await appendAuditEvent(stores.identifiable, {
        actor: c.get('staff').user.id,
        action: researchAuditActions.package,
        detail: { waves: pkg.waveIds, k: pkg.reports[0]!.k, rows: pkg.rows, text: releaseText },
        at: now(),
      });
      c.header('Content-Type', 'application/zip');
      c.header('Content-Disposition', `attachment; filename="cswo-${pkg.waveIds.join('-')}-part-two-data-package.zip"`);
    } catch (error) {
      if (!(error instanceof PackageRefused)) throw error;
      return sendStaffNotice(c, 409, {
        title: 'This data package cannot be made',
        paragraphs: [error.message, 'Nothing was downloaded.'],
        link: { href: staffPaths.research, text: 'Go to the research downloads' },
        account: accountOf(c, key),
      });
    }
    return c.body(new Uint8Array(zip));
  };

  return {
    list: (c: Context<StaffEnv>) => researchPage(c),
    packages: async (c: Context<StaffEnv>) => {
      // A GET form of checkboxes (?wave=2020-01&wave=2020-06): every choice is checked here, none is dropped quietly.
      const parsed = chosenWaves.safeParse(c.req.queries('wave') ?? []);
      const chosen = parsed.success ? parsed.data : [];
      const firstBox = 'waves';
      if (!parsed.success) return researchPage(c, { errors: [{ field: firstBox, message: 'Choose waves from the list' }] });
      if (chosen.length === 0) return researchPage(c, { chosen, errors: [{ field: firstBox, message: 'Choose at least one wave for the data package' }] });
      const repeated = chosen.find((id, i) => chosen.indexOf(id) !== i);
      if (repeated !== undefined)
        return researchPage(c, { chosen, errors: [{ field: firstBox, message: `Choose each wave once: ${repeated} is chosen twice` }] });
      const waves: Wave[] = [];
      for (const id of chosen) {
        const wave = await findStoredWave(stores.identifiable, id);
        if (!wave) return researchPage(c, { chosen, errors: [{ field: firstBox, message: `There is no wave "${id}": choose waves from the list` }] });
        waves.push(wave);
      }
      return sendPackage(c, waves);
    },
    package: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      return sendPackage(c, [wave]);
    },
    tables: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      // Always the public view here: this page never offers the analyst view's small cells.
      const tables = await loadWaveTables(stores, { wave, mode: 'public' });
      await appendAuditEvent(stores.identifiable, {
        actor: c.get('staff').user.id,
        action: researchAuditActions.tables,
        detail: { wave: wave.id, view: 'public' },
        at: now(),
      });
      const records = tables.tables.flatMap((t) => tableRecords(t, tables.wave, 'public')).map((r) => tableRecordHeader.map((h) => r[h]));
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${downloadName(wave.id, 'published-tables', { view: 'public' }, 'csv')}"`);
      return c.body(csvText([[...tableRecordHeader], ...records], { bom: true }));
    },
  };
};
