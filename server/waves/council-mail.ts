import type { Kysely } from 'kysely';
import { partTwoResumePath } from '../http/respondent-addresses.js';
import type { MailSettings } from '../mail/mail-settings.js';
import type { Mailer } from '../mail/mail-transport.js';
import { outboxSender, type Composed, type OutboxSenderOptions } from '../mail/outbox-sender.js';
import { openSealedText, sealText } from '../security/sealed-text.js';
import { sha256 } from '../security/tokens.js';
import { appendAuditEvent, type ChangeMade } from '../storage/audit-log-store.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import { addInvitationLink, listInvitations } from '../storage/invitation-store.js';
import { newOutboxId, queueMessages, replaceQueuedMessages, type MailPurpose, type OutboxMessage } from '../storage/mail-outbox-store.js';
import type { Stores } from '../storage/open-stores.js';
import { findPartOneResponse } from '../storage/part-one-draft-store.js';
import { findRosterEntry, waveStatus } from '../storage/roster-store.js';
import { findStoredWave, formatClosingDate, type StoredWave } from '../storage/wave-store.js';
import { defaultTemplates, writeCouncilMail, type CouncilMailText, type MailTemplate } from './council-mail-text.js';
import { findMailTemplate } from '../storage/mail-template-store.js';
import { invitationLink, issueLinks, rosterCouncils, SubmittedMeanwhile, type IssuedLinks, type RosterCouncil } from './invitation-issue.js';
import { councilLabels } from './roster-csv.js';

/**
 * Invitations and reminders by email. A message is queued in the outbox in the same transaction as what
 * it announces (a link made, a reminder decided), so neither exists without the other; the outbox keeps
 * the link it carries sealed under the server key until the message has gone (the address it goes to is
 * kept as it is); the printed lines, the audit log and the send log never hold a link.
 */

export const mailAuditActionsOfWaves = { invitations: 'invitation.email', reminders: 'reminder.email' } as const;

const sealPurpose = 'mail-outbox-link';

/** The wording of one kind of message: an admin's, else the platform's own. */
export const templateFor = async (db: Kysely<IdentifiableDatabase>, purpose: MailPurpose): Promise<MailTemplate> => {
  const stored = await findMailTemplate(db, purpose);
  return stored ? { subject: stored.subject, body: stored.body } : defaultTemplates[purpose];
};

interface Addressed {
  readonly council: string;
  readonly email: string;
  readonly link: string;
}

const queue = async (
  trx: Kysely<IdentifiableDatabase>,
  key: Buffer,
  waveId: string,
  purpose: MailPurpose,
  addressed: readonly Addressed[],
  made: ChangeMade,
) => {
  // A council's message of this kind still waiting is replaced: it would say the same, or carry a link replaced since.
  await replaceQueuedMessages(
    trx,
    waveId,
    addressed.map((a) => a.council),
    [purpose],
  );
  await queueMessages(
    trx,
    addressed.map((a) => {
      const id = newOutboxId();
      return { id, waveId, council: a.council, purpose, recipient: a.email, sealedLink: sealText(key, sealPurpose, id, a.link) };
    }),
    made.now,
  );
};

/**
 * Issues links to the councils and queues an invitation email for each, all in one transaction; the
 * links are not returned to print, only the councils: the message is their one copy.
 */
export const queueInvitationEmails = async (
  stores: Pick<Stores, 'identifiable' | 'anonymous'>,
  key: Buffer,
  wave: StoredWave,
  councils: readonly RosterCouncil[],
  made: ChangeMade,
  baseUrl: string,
): Promise<Pick<IssuedLinks, 'openedFrom'> & { readonly queued: readonly string[] }> => {
  const issued = await issueLinks(stores, wave, councils, made, {
    alsoInTransaction: async (trx, links) => {
      await queue(
        trx,
        key,
        wave.id,
        'invitation',
        links.map((l) => ({ council: l.council, email: l.email, link: invitationLink(baseUrl, l.secret) })),
        made,
      );
      if (links.length > 0)
        await appendAuditEvent(trx, {
          actor: made.actor,
          action: mailAuditActionsOfWaves.invitations,
          detail: { wave: wave.id, councils: links.map((l) => l.council), ...(made.via ? { via: made.via } : {}) },
          at: made.now,
        });
    },
  });
  return { queued: issued.links.map((l) => l.council), ...(issued.openedFrom ? { openedFrom: issued.openedFrom } : {}) };
};

export type ReminderPart = 'one' | 'two';

/**
 * A reminder asks a council to answer: while the wave is not open to answers its links open nothing,
 * and a part-two code is refused, so no reminder is queued.
 */
export class WaveNotOpen extends Error {
  constructor(
    readonly waveId: string,
    readonly status: 'closed' | 'not opened',
  ) {
    super(
      `wave ${waveId} is ${status === 'closed' ? 'closed to answers' : 'not open to answers yet'}: a reminder would ask councils to answer a survey that takes no answers`,
    );
  }
}

export interface ReminderPlan {
  readonly roster: readonly RosterCouncil[];
  /** Councils asked for by code that are not on the roster. */
  readonly notOnRoster: readonly string[];
  /** Who gets the reminder. */
  readonly toRemind: readonly RosterCouncil[];
  /** Part one: councils with no invitation yet (they need one, not a reminder). */
  readonly notInvited: readonly RosterCouncil[];
  /** Part one: councils that submitted it. Part two: councils that have not (part two follows part one). */
  readonly notConcerned: readonly RosterCouncil[];
}

/**
 * Who a reminder goes to. Part one: every invited council that has not submitted part one. Part two:
 * every council that has submitted part one, since whether a council has finished part two is recorded
 * nowhere, and must not be.
 */
export const planReminders = async (
  db: Kysely<IdentifiableDatabase>,
  waveId: string,
  part: ReminderPart,
  { councils }: { councils?: readonly string[] } = {},
): Promise<ReminderPlan> => {
  const roster = await rosterCouncils(db, waveId);
  const named = councils && [...new Set(councils)];
  const targets = named ? roster.filter((r) => named.includes(r.council)) : roster;
  const notInvited = part === 'one' ? targets.filter((r) => !r.invited) : [];
  const concerned = (r: RosterCouncil) => (part === 'one' ? r.invited && r.partOne !== 'submitted' : r.partOne === 'submitted');
  return {
    roster,
    notOnRoster: named ? named.filter((c) => !roster.some((r) => r.council === c)) : [],
    toRemind: targets.filter(concerned),
    notInvited,
    notConcerned: targets.filter((r) => !concerned(r) && !notInvited.includes(r)),
  };
};

/**
 * Queues a reminder for each council, in one transaction. Part one's carries a further link to the
 * council's invitation (its earlier links keep working); it is refused, and nothing queued, when a council
 * submitted part one meanwhile, and for a wave not open to answers (`WaveNotOpen`). Part two's carries the address where a part-two code is typed, no secret.
 */
export const queueReminders = async (
  db: Kysely<IdentifiableDatabase>,
  key: Buffer,
  wave: StoredWave,
  part: ReminderPart,
  councils: readonly RosterCouncil[],
  made: ChangeMade,
  baseUrl: string,
): Promise<readonly string[]> =>
  db.transaction().execute(async (trx) => {
    const status = await waveStatus(trx, wave.id);
    if (status !== 'open') throw new WaveNotOpen(wave.id, status);
    const invitations = new Map((await listInvitations(trx, wave.id)).map((i) => [i.local_authority, i.id]));
    const addressed: Addressed[] = [];
    if (part === 'one') {
      const late: string[] = [];
      for (const r of councils) if (await findPartOneResponse(trx, wave.id, r.council)) late.push(r.council);
      if (late.length > 0) throw new SubmittedMeanwhile(late);
      for (const r of councils) {
        const invitation = invitations.get(r.council);
        if (invitation === undefined) throw new Error(`${r.council} has no invitation in wave ${wave.id}: it needs one, not a reminder`);
        addressed.push({ council: r.council, email: r.email, link: invitationLink(baseUrl, await addInvitationLink(trx, invitation)) });
      }
    } else {
      for (const r of councils) addressed.push({ council: r.council, email: r.email, link: `${baseUrl}${partTwoResumePath}` });
    }
    await queue(trx, key, wave.id, part === 'one' ? 'part-one-reminder' : 'part-two-reminder', addressed, made);
    if (addressed.length > 0)
      await appendAuditEvent(trx, {
        actor: made.actor,
        action: mailAuditActionsOfWaves.reminders,
        detail: { wave: wave.id, part, councils: addressed.map((a) => a.council), ...(made.via ? { via: made.via } : {}) },
        at: made.now,
      });
    return addressed.map((a) => a.council);
  });

/** The message for an outbox row: its link unsealed, the wave and roster read as they are now. */
export const composeOutboxMessage = async (
  db: Kysely<IdentifiableDatabase>,
  key: Buffer,
  { support, fromAddress }: { support: string; fromAddress: string },
  row: OutboxMessage,
): Promise<Composed> => {
  const link = row.sealedLink === null ? undefined : openSealedText(key, sealPurpose, row.id, row.sealedLink);
  if (link === undefined) return { ok: false, reason: 'its link cannot be read with this server key (was SERVER_KEY or server.key changed?): send it again' };
  const wave = await findStoredWave(db, row.waveId);
  if (!wave) return { ok: false, reason: `wave ${row.waveId} no longer exists` };
  const entry = await findRosterEntry(db, row.waveId, row.council);
  const council = councilLabels(wave).get(row.council) ?? row.council;
  const content = writeCouncilMail(await templateFor(db, row.purpose), {
    name: entry?.name ?? `Chief Social Work Officer, ${council}`,
    council,
    wave: wave.name,
    closes: wave.closes === undefined ? undefined : formatClosingDate(wave.closes),
    link,
    support,
  });
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1);
  return { ok: true, message: { to: row.recipient, ...content, messageId: `<${row.id}@${domain}>` } };
};

/** The outbox's sender with the messages composed here: the command line and the server use the same one. */
export const councilMailSender = (
  db: Kysely<IdentifiableDatabase>,
  key: Buffer,
  {
    settings,
    mailer,
    support,
    ...rest
  }: { settings: MailSettings; mailer: Mailer; support: string } & Partial<Omit<OutboxSenderOptions, 'db' | 'mailer' | 'compose'>>,
) =>
  outboxSender({
    db,
    mailer,
    perMinute: settings.perMinute,
    compose: (row) => composeOutboxMessage(db, key, { support, fromAddress: settings.fromAddress }, row),
    ...rest,
  });

/** How a preview shows a link that is made only when the message is sent. */
const linkToBeMade = (baseUrl: string) => invitationLink(baseUrl, '[a new link for this council, made when you send]');

/**
 * The message one council would get, exactly as it will be sent but for a link made only on sending
 * (shown as a placeholder); a part-two reminder's address is shown as it is.
 */
export const previewCouncilMail = async (
  db: Kysely<IdentifiableDatabase>,
  wave: StoredWave,
  purpose: MailPurpose,
  council: Pick<RosterCouncil, 'council' | 'name' | 'email'>,
  { baseUrl, support }: { baseUrl: string; support: string },
): Promise<CouncilMailText & { readonly to: string }> => {
  const label = councilLabels(wave).get(council.council) ?? council.council;
  return {
    to: council.email,
    ...writeCouncilMail(await templateFor(db, purpose), {
      name: council.name,
      council: label,
      wave: wave.name,
      closes: wave.closes === undefined ? undefined : formatClosingDate(wave.closes),
      link: purpose === 'part-two-reminder' ? `${baseUrl}${partTwoResumePath}` : linkToBeMade(baseUrl),
      support,
    }),
  };
};

/**
 * A fingerprint of a reminder about to be sent: its part, the councils, and the reminders of that part
 * queued so far. The preview's form carries it, so sending the form twice (a reload, a second tab) is
 * refused instead of reminding everyone twice.
 */
export const reminderVersion = async (db: Kysely<IdentifiableDatabase>, waveId: string, part: ReminderPart, councils: readonly string[]): Promise<string> => {
  const purpose: MailPurpose = part === 'one' ? 'part-one-reminder' : 'part-two-reminder';
  const sent = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('wave_id', '=', waveId)
    .where('purpose', '=', purpose)
    .executeTakeFirstOrThrow();
  return sha256(`${part}\n${[...councils].sort().join(',')}\n${Number(sent.n)}`);
};
