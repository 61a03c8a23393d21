import type { Kysely } from 'kysely';
import type { Wave } from '../../survey-definitions/index.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import { listInvitations } from '../storage/invitation-store.js';
import { listRoster, replaceRoster, type RosterEntry } from '../storage/roster-store.js';
import type { ChangeMade } from '../storage/audit-log-store.js';

export const rosterAuditAction = 'roster.import';

export interface RosterImported {
  /** Councils on the roster now. */
  readonly total: number;
  /** Not in the file but kept, because they hold an invitation whose link must keep working. */
  readonly kept: readonly string[];
  /** Invited councils whose email changed: their link went to the old address. */
  readonly moved: readonly string[];
}

/**
 * Replaces a wave's roster with checked entries (server/waves/roster-csv.ts) and writes `roster.import`
 * to the audit log, in one transaction; the same from the command line and the staff pages.
 */
export const importRoster = async (db: Kysely<IdentifiableDatabase>, wave: Wave, entries: readonly RosterEntry[], made: ChangeMade): Promise<RosterImported> =>
  db.transaction().execute(async (trx) => {
    const before = new Map((await listRoster(trx, wave.id)).map((r) => [r.local_authority, r]));
    const invited = new Set((await listInvitations(trx, wave.id)).map((i) => i.local_authority));
    await replaceRoster(trx, wave.id, entries);
    const inFile = new Set(entries.map((e) => e.localAuthority));
    const total = (await listRoster(trx, wave.id)).length;
    await appendAuditEvent(trx, {
      actor: made.actor,
      action: rosterAuditAction,
      detail: { wave: wave.id, councils: entries.length, total, ...(made.via ? { via: made.via } : {}) },
      at: made.now,
    });
    return {
      total,
      kept: [...before.keys()].filter((c) => !inFile.has(c) && invited.has(c)),
      moved: entries.filter((e) => invited.has(e.localAuthority) && before.get(e.localAuthority)?.email !== e.email).map((e) => e.localAuthority),
    };
  });
