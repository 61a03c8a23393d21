import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import WaveRosterPage from '../../web/staff/WaveRosterPage.svelte';
import { definitionKey, definitionOfWave, type Wave } from '../../survey-definitions/index.js';
import { councilLabels, readRosterCsv, RosterRejected } from './roster-csv.js';
import { csrfToken } from '../http/csrf-protection.js';
import { sendPage } from '../pages/send-page.js';
import { pathTo } from '../http/route-paths.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, waveOf } from '../staff/staff-pages.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { waveStatusText } from './wave-progress.js';
import { waveStatus } from '../storage/roster-store.js';
import { rosterCouncils } from './invitation-issue.js';
import { importRoster, type RosterImported } from './roster-import.js';
import { identifiableViewAction } from './wave-changes.js';

const councils = (n: number) => `${n} council${n === 1 ? '' : 's'}`;

/** What an upload did, in the command line's words. */
const importedNotice = (wave: Wave, { total, kept, moved }: RosterImported): string[] => [
  `The roster of ${wave.name} was replaced: ${councils(total)} on it now.`,
  ...(kept.length > 0 ? [`${councils(kept.length)} not in the file stayed on the roster because they have invitations: ${kept.join(', ')}.`] : []),
  ...(moved.length > 0
    ? [`New email address for ${councils(moved.length)} already invited; their links went to the old address (issue them new links): ${moved.join(', ')}.`]
    : []),
];

/**
 * `/staff/waves/:wave/roster`: a wave's roster and its upload (admins only). The file is checked by the
 * command line's reader (server/waves/roster-csv.ts), so a refusal names rows and columns in the same words,
 * and the roster is replaced whole or not at all. The page shows names and addresses, so a view is
 * audited; an upload is audited as `roster.import`.
 */
export const rosterPages = ({ stores, key, now }: StaffRouteDependencies) => {
  const db = stores.identifiable;

  const renderRoster = async (
    c: Context<StaffEnv>,
    wave: Wave,
    status: ContentfulStatusCode,
    { error, notice }: { error?: { message: string; problems: readonly string[]; more: number }; notice?: readonly string[] } = {},
  ) => {
    const labels = councilLabels(wave);
    const roster = (await rosterCouncils(db, wave.id)).map((r) => ({ ...r, council: `${labels.get(r.council) ?? r.council} (${r.council})` }));
    return sendPage(
      c,
      WaveRosterPage,
      {
        account: accountOf(c, key)!,
        wave: {
          id: wave.id,
          name: wave.name,
          fielded: wave.fielded,
          definition: definitionKey(definitionOfWave(wave)),
          status: waveStatusText[await waveStatus(db, wave.id)],
        },
        roster,
        upload: { action: pathTo(staffPaths.waveRoster, { wave: wave.id }), csrf: csrfToken(key, c.get('staffToken')), error },
        notice,
        invitationsHref: pathTo(staffPaths.waveInvitations, { wave: wave.id }),
        remindersHref: pathTo(staffPaths.waveReminders, { wave: wave.id }),
        retentionHref: pathTo(staffPaths.waveRetention, { wave: wave.id }),
        wavesHref: staffPaths.waves,
      },
      status,
    );
  };

  return {
    show: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      await appendAuditEvent(db, { actor: c.get('staff').user.id, action: identifiableViewAction, detail: { page: 'wave roster', wave: wave.id }, at: now() });
      return renderRoster(c, wave, 200);
    },
    upload: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      // requireRole has parsed the body already (for its CSRF check); Hono keeps the parsed form.
      const file = (await c.req.parseBody()).roster;
      // A form sent without choosing a file still has the field: a file with no name and no bytes.
      if (file === undefined || typeof file === 'string' || (file.name === '' && file.size === 0)) {
        return renderRoster(c, wave, 400, { error: { message: 'Choose the roster file (CSV) to upload', problems: [], more: 0 } });
      }
      let entries;
      try {
        entries = await readRosterCsv(Readable.from([Buffer.from(await file.arrayBuffer())]), definitionOfWave(wave));
      } catch (error) {
        if (!(error instanceof RosterRejected)) throw error;
        const total = error.problems.length + error.more;
        return renderRoster(c, wave, 400, {
          error: {
            message: `The file was not imported: ${total} problem${total === 1 ? '' : 's'}. Nothing was changed.`,
            problems: error.problems,
            more: error.more,
          },
        });
      }
      const imported = await importRoster(db, wave, entries, { actor: c.get('staff').user.id, now: now() });
      return renderRoster(c, wave, 200, { notice: importedNotice(wave, imported) });
    },
  };
};
