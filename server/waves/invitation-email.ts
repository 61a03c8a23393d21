import type { Kysely } from 'kysely';
import { definitionOfWave } from '../../survey-definitions/index.js';
import type { MailSettings } from '../mail/mail-settings.js';
import type { Mailer } from '../mail/mail-transport.js';
import { outboxSender, type Composed, type OutboxSenderOptions } from '../mail/outbox-sender.js';
import { openSealedText, sealText } from '../security/sealed-text.js';
import type { ChangeMade } from '../storage/audit-log-store.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import { newOutboxId, queueMessages, type OutboxMessage } from '../storage/mail-outbox-store.js';
import type { Stores } from '../storage/open-stores.js';
import { findRosterEntry } from '../storage/roster-store.js';
import { findStoredWave, formatClosingDate, type StoredWave } from '../storage/wave-store.js';
import { invitationLink, issueLinks, type IssuedLinks, type RosterCouncil } from './invitation-issue.js';
import { councilOptions } from './roster-csv.js';

/**
 * Invitations by email: the links are made and their messages queued in the outbox in one transaction, so
 * a link is never made without the message that carries it (or the other way round). The outbox keeps the
 * link sealed under the server key until the message has gone; the printed line, the audit log and the
 * send log never hold it.
 */

export const invitationEmailAuditAction = 'invitation.email';

const sealPurpose = 'mail-outbox-link';

export interface InvitationEmailValues {
  readonly name: string;
  readonly council: string;
  readonly wave: string;
  readonly closes: string | undefined;
  readonly link: string;
  readonly support: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The invitation's subject, plain text and HTML. The HTML says the same as the text, in paragraphs. */
export const invitationEmail = (v: InvitationEmailValues): { subject: string; text: string; html: string } => {
  const paragraphs = [
    `Dear ${v.name},`,
    `Social Work Scotland invites you, as Chief Social Work Officer for ${v.council}, to answer the Chief Social Work Officer survey: ${v.wave}.`,
    'Open your personal link to start:',
    v.link,
    `The link is for you alone: please do not forward this email. You can save your answers and come back with the same link${v.closes ? ` until the survey closes on ${v.closes}` : ''}.`,
    'Part one asks about you and your council. Part two is anonymous: its answers are kept apart from part one and from your name, and nobody can tell which answers are yours.',
    `If you have a question, write to ${v.support}.`,
    'Social Work Scotland',
  ];
  const html = paragraphs
    .map((p) => (p === v.link ? `<p><a href="${escapeHtml(v.link)}">${escapeHtml(v.link)}</a></p>` : `<p>${escapeHtml(p)}</p>`))
    .join('\n');
  return {
    subject: `Invitation: Chief Social Work Officer survey, ${v.wave}`,
    text: `${paragraphs.join('\n\n')}\n`,
    html: `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(v.wave)}</title></head><body>\n${html}\n</body></html>\n`,
  };
};

/**
 * Issues links to the councils and queues an invitation email for each, all in one transaction; the
 * links are not returned to print, only counted: the message is their one copy.
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
      const messages = links.map((l) => {
        const id = newOutboxId();
        return {
          id,
          waveId: wave.id,
          council: l.council,
          purpose: 'invitation' as const,
          recipient: l.email,
          sealedLink: sealText(key, sealPurpose, id, invitationLink(baseUrl, l.secret)),
        };
      });
      await queueMessages(trx, messages, made.now);
      if (messages.length > 0)
        await appendAuditEvent(trx, {
          actor: made.actor,
          action: invitationEmailAuditAction,
          detail: { wave: wave.id, councils: messages.map((m) => m.council), ...(made.via ? { via: made.via } : {}) },
          at: made.now,
        });
    },
  });
  return { queued: issued.links.map((l) => l.council), ...(issued.openedFrom ? { openedFrom: issued.openedFrom } : {}) };
};

/** The message for an outbox row: its link unsealed, the wave and roster read as they are now. */
export const composeOutboxMessage = async (
  db: Kysely<IdentifiableDatabase>,
  key: Buffer,
  { support, fromAddress }: { support: string; fromAddress: string },
  row: OutboxMessage,
): Promise<Composed> => {
  const link = row.sealedLink === null ? undefined : openSealedText(key, sealPurpose, row.id, row.sealedLink);
  if (link === undefined)
    return { ok: false, reason: 'its link cannot be read with this server key (was SERVER_KEY or server.key changed?): issue the link again' };
  const wave = await findStoredWave(db, row.waveId);
  if (!wave) return { ok: false, reason: `wave ${row.waveId} no longer exists` };
  const entry = await findRosterEntry(db, row.waveId, row.council);
  const council = councilOptions(definitionOfWave(wave)).find((o) => o.code === row.council)?.label ?? row.council;
  const content = invitationEmail({
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
export const invitationSender = (
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
