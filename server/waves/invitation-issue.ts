import type { Kysely } from 'kysely';
import type { Wave } from '../../survey-definitions/index.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import type { Stores } from '../storage/open-stores.js';
import { placePartTwoByWaveStatus } from '../storage/part-two-placement.js';
import { sha256 } from '../security/tokens.js';
import { invitationPath } from '../http/respondent-addresses.js';
import { issueInvitation } from '../storage/invitation-store.js';
import { replaceQueuedMessages } from '../storage/mail-outbox-store.js';
import { findPartOneResponse, partOneStates, type PartOneState } from '../storage/part-one-draft-store.js';
import { listRoster, setWaveStatus, waveStatus } from '../storage/roster-store.js';
import type { ChangeMade } from '../storage/audit-log-store.js';
import { waveAuditActions } from './wave-changes.js';

/**
 * Issuing invitation links, the same from the command line (`invite`) and the staff pages. A council
 * that has submitted part one never gets a new link: its part-two credential derives from the link's
 * secret, so a new link would open a second part two.
 */

export const invitationAuditAction = 'invitation.issue';

/** A council on the roster, with whether it has a link and how far it is with part one. */
export interface RosterCouncil {
  readonly council: string;
  readonly name: string;
  readonly email: string;
  readonly invited: boolean;
  readonly partOne: PartOneState;
}

export const rosterCouncils = async (db: Kysely<IdentifiableDatabase>, waveId: string): Promise<RosterCouncil[]> => {
  const states = new Map((await partOneStates(db, waveId)).map((s) => [s.localAuthority, s]));
  return (await listRoster(db, waveId)).map((r) => ({
    council: r.local_authority,
    name: r.name,
    email: r.email,
    invited: states.get(r.local_authority)?.invited ?? false,
    partOne: states.get(r.local_authority)?.state ?? 'not started',
  }));
};

export interface InvitationPlan {
  readonly roster: readonly RosterCouncil[];
  /** Councils asked for by code that are not on the roster. */
  readonly notOnRoster: readonly string[];
  /** Have a link already and were not asked to get a new one. */
  readonly alreadyInvited: readonly RosterCouncil[];
  /** Submitted part one: never a new link. */
  readonly submitted: readonly RosterCouncil[];
  readonly toIssue: readonly RosterCouncil[];
}

/**
 * Who would get a link: every council on the roster without one, or the councils named; with
 * `reissue`, councils that have a link get a new one (the old one stops working).
 */
export const planInvitations = async (
  db: Kysely<IdentifiableDatabase>,
  waveId: string,
  { councils, reissue }: { councils?: readonly string[]; reissue: boolean },
): Promise<InvitationPlan> => {
  const roster = await rosterCouncils(db, waveId);
  const named = councils && [...new Set(councils)];
  const targets = named ? roster.filter((r) => named.includes(r.council)) : roster;
  const alreadyInvited = targets.filter((r) => r.invited && !reissue);
  const wanted = targets.filter((r) => !alreadyInvited.includes(r));
  const submitted = wanted.filter((r) => r.partOne === 'submitted');
  return {
    roster,
    notOnRoster: named ? named.filter((c) => !roster.some((r) => r.council === c)) : [],
    alreadyInvited,
    submitted,
    toIssue: wanted.filter((r) => !submitted.includes(r)),
  };
};

/** Thrown (and nothing issued) when a council submitted part one after the plan was made. */
export class SubmittedMeanwhile extends Error {
  override name = 'SubmittedMeanwhile';
  constructor(readonly councils: readonly string[]) {
    super(`${councils.join(', ')} submitted part one meanwhile: a new link would allow a second part-two answer; nothing was issued`);
  }
}

export interface IssuedLink {
  readonly council: string;
  readonly name: string;
  readonly email: string;
  /** The link's secret: shown once, never stored (only its hash is). */
  readonly secret: string;
}

export interface IssuedLinks {
  readonly links: readonly IssuedLink[];
  /** The wave's status before, when issuing opened it (links only work while it is open). */
  readonly openedFrom?: 'closed' | 'not opened';
}

/**
 * Makes a link for each council, in one transaction: all are made or none, so no link is lost half-way.
 * Opens the wave when it is not open (`wave.open`), and writes one `invitation.issue` event naming the
 * councils (never a secret). A wave opened again after it was closed gets its part two back in the
 * intake (part-two-placement.ts). `alsoInTransaction` commits or rolls back with the links (the outbox's
 * messages carrying them).
 */
export const issueLinks = async (
  stores: Pick<Stores, 'identifiable' | 'anonymous'>,
  wave: Wave,
  councils: readonly RosterCouncil[],
  made: ChangeMade,
  { alsoInTransaction }: { alsoInTransaction?: (trx: Kysely<IdentifiableDatabase>, links: readonly IssuedLink[]) => Promise<void> } = {},
): Promise<IssuedLinks> => {
  const issued = await stores.identifiable.transaction().execute(async (trx): Promise<IssuedLinks> => {
    const late: string[] = [];
    for (const r of councils) if (await findPartOneResponse(trx, wave.id, r.council)) late.push(r.council);
    if (late.length > 0) throw new SubmittedMeanwhile(late);
    const via = made.via ? { via: made.via } : {};
    const before = await waveStatus(trx, wave.id);
    if (before !== 'open') {
      await setWaveStatus(trx, wave.id, 'open');
      await appendAuditEvent(trx, {
        actor: made.actor,
        action: waveAuditActions.open,
        detail: { wave: wave.id, from: before, to: 'open', because: 'invitations issued', ...via },
        at: made.now,
      });
    }
    const links: IssuedLink[] = [];
    for (const r of councils) links.push({ council: r.council, name: r.name, email: r.email, secret: await issueInvitation(trx, wave.id, r.council) });
    // An invitation or a part-one reminder still queued for a council would carry a link just stopped
    // (a new link stops the further links reminders carried, too).
    await replaceQueuedMessages(
      trx,
      wave.id,
      links.map((l) => l.council),
      ['invitation', 'part-one-reminder'],
    );
    await alsoInTransaction?.(trx, links);
    if (links.length > 0) {
      await appendAuditEvent(trx, {
        actor: made.actor,
        action: invitationAuditAction,
        detail: {
          wave: wave.id,
          councils: councils.filter((r) => !r.invited).map((r) => r.council),
          reissued: councils.filter((r) => r.invited).map((r) => r.council),
          ...via,
        },
        at: made.now,
      });
    }
    return { links, ...(before === 'open' ? {} : { openedFrom: before }) };
  });
  if (issued.openedFrom) await placePartTwoByWaveStatus(stores);
  return issued;
};

/**
 * A fingerprint of the wave's links (a hash of their hashes). A form carries the one it was made with,
 * so sending it twice (a reload, a second tab) is refused instead of silently replacing the links the
 * first answer showed.
 */
export const invitationsVersion = async (db: Kysely<IdentifiableDatabase>, waveId: string): Promise<string> => {
  const rows = await db.selectFrom('invitation').select(['local_authority', 'token_hash']).where('wave_id', '=', waveId).orderBy('local_authority').execute();
  return sha256(rows.map((r) => `${r.local_authority}:${r.token_hash}`).join('\n'));
};

/** The link a respondent opens: the secret travels in the path once and is exchanged for cookies at once. */
export const invitationLink = (baseUrl: string, secret: string) => `${baseUrl}${invitationPath(secret)}`;
