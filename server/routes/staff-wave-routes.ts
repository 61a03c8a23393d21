import { Hono } from 'hono';
import WaveResponsesPage from '../../web/staff/WaveResponsesPage.svelte';
import WavesPage from '../../web/staff/WavesPage.svelte';
import { sendPage } from '../pages/send-page.js';
import { staffPaths, waveResponsesPath, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice } from '../staff/staff-pages.js';
import { waveProgress } from '../staff/wave-progress.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { findStoredWave, listWaves } from '../storage/wave-store.js';

/** The audit action of a staff page that shows identifiable data (council contacts' names). */
export const identifiableViewAction = 'identifiable.view';

/**
 * `/staff/waves` and `/staff/waves/:wave/responses`: the response-rate monitor (admins only). Part one
 * per council on the roster; part two only as the wave's total, never per council (it is anonymous).
 * Viewing the monitor shows names, so each view is written to the audit log with who looked.
 */
export const staffWaveRoutes = ({ stores, key, now, requireRole }: StaffRouteDependencies) =>
  new Hono<StaffEnv>()
    .get('/waves', requireRole('admin'), async (c) => {
      const rows = [];
      for (const wave of await listWaves(stores.identifiable)) {
        const p = await waveProgress(stores, wave);
        rows.push({
          id: wave.id,
          name: wave.name,
          fielded: wave.fielded,
          href: waveResponsesPath(wave.id),
          status: p.status,
          councils: p.councils.length,
          invited: p.invited,
          partOneSubmitted: p.partOne.submitted,
          partTwoTotal: p.partTwoTotal,
        });
      }
      return sendPage(c, WavesPage, { account: accountOf(c, key)!, waves: rows });
    })
    .get('/waves/:wave/responses', requireRole('admin'), async (c) => {
      const wave = await findStoredWave(stores.identifiable, c.req.param('wave'));
      if (!wave) {
        return sendStaffNotice(c, 404, {
          title: 'Wave not found',
          paragraphs: ['There is no wave with that name. Choose a wave from the list of waves.'],
          link: { href: staffPaths.waves, text: 'Go to the list of waves' },
          account: accountOf(c, key),
        });
      }
      const progress = await waveProgress(stores, wave);
      await appendAuditEvent(stores.identifiable, {
        actor: c.get('staff').user.id,
        action: identifiableViewAction,
        detail: { page: 'wave responses', wave: wave.id },
        at: now(),
      });
      return sendPage(c, WaveResponsesPage, { account: accountOf(c, key)!, wave: { id: wave.id, name: wave.name, fielded: wave.fielded }, progress, wavesHref: staffPaths.waves });
    });
