import type { Kysely } from 'kysely';
import { randomToken } from '../security/tokens.js';
import type { IdentifiableDatabase, MailOutboxTable } from './database.js';

/**
 * The outbox's rows (migration 0013). A message is queued in the transaction that makes what it announces;
 * a sender claims it for a while (a lease: a sender killed mid-send leaves it to be taken again when the
 * lease ends), sends it, and records the outcome. A settled message keeps no link.
 */

export type MailPurpose = 'invitation' | 'part-one-reminder' | 'part-two-reminder';
export type MailStatus = 'queued' | 'sent' | 'failed' | 'replaced';

export interface OutboxMessage {
  readonly id: string;
  readonly waveId: string;
  readonly council: string;
  readonly purpose: MailPurpose;
  readonly recipient: string;
  readonly sealedLink: string | null;
  readonly attempts: number;
}

const toMessage = (row: Pick<MailOutboxTable, 'id' | 'wave_id' | 'local_authority' | 'purpose' | 'recipient' | 'sealed_link' | 'attempts'>): OutboxMessage => ({
  id: row.id,
  waveId: row.wave_id,
  council: row.local_authority,
  purpose: row.purpose as MailPurpose,
  recipient: row.recipient,
  sealedLink: row.sealed_link,
  attempts: Number(row.attempts),
});

/** A new message's id, made before it is queued so that its sealed link can be bound to it. */
export const newOutboxId = (): string => randomToken();

/** A message to queue: its id made first, so that its sealed link is bound to it. */
export type QueuedMessage = Omit<OutboxMessage, 'attempts'>;

/**
 * A council's messages of one purpose that have not gone yet, replaced (their links erased): when a council
 * gets a new link, a queued message would carry one that no longer works.
 */
export const replaceQueuedMessages = async (
  db: Kysely<IdentifiableDatabase>,
  waveId: string,
  councils: readonly string[],
  purposes: readonly MailPurpose[],
) => {
  if (councils.length === 0) return;
  await db
    .updateTable('mail_outbox')
    .set({ status: 'replaced', sealed_link: null, claimed_until: null })
    .where('wave_id', '=', waveId)
    .where('local_authority', 'in', councils)
    .where('purpose', 'in', purposes)
    .where('status', '=', 'queued')
    .execute();
};

export const queueMessages = async (db: Kysely<IdentifiableDatabase>, messages: readonly QueuedMessage[], now: number): Promise<void> => {
  if (messages.length === 0) return;
  // One statement for the batch: a wave's invitations are at most a few dozen rows.
  await db
    .insertInto('mail_outbox')
    .values(
      messages.map((m) => ({
        id: m.id,
        wave_id: m.waveId,
        local_authority: m.council,
        purpose: m.purpose,
        recipient: m.recipient,
        sealed_link: m.sealedLink,
        status: 'queued',
        attempts: 0,
        queued_at: now,
        next_attempt_at: now,
        claimed_until: null,
        sent_at: null,
        last_error: null,
      })),
    )
    .execute();
};

/**
 * Claims up to `limit` messages that are due (queued, their next attempt reached, no live claim), each by a
 * conditional update, so two senders never take the same one; `waveId` limits it to one wave.
 */
export const claimDueMessages = async (
  db: Kysely<IdentifiableDatabase>,
  { now, leaseMs, limit, waveId }: { now: number; leaseMs: number; limit: number; waveId?: string },
): Promise<OutboxMessage[]> => {
  let query = db
    .selectFrom('mail_outbox')
    .select(['id', 'wave_id', 'local_authority', 'purpose', 'recipient', 'sealed_link', 'attempts'])
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit);
  if (waveId !== undefined) query = query.where('wave_id', '=', waveId);
  const claimed: OutboxMessage[] = [];
  for (const row of await query.execute()) {
    const result = await db
      .updateTable('mail_outbox')
      .set({ claimed_until: now + leaseMs, attempts: Number(row.attempts) + 1 })
      .where('id', '=', row.id)
      .where('status', '=', 'queued')
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) claimed.push(toMessage({ ...row, attempts: Number(row.attempts) + 1 }));
  }
  return claimed;
};

export const markSent = (db: Kysely<IdentifiableDatabase>, id: string, now: number) =>
  db.updateTable('mail_outbox').set({ status: 'sent', sent_at: now, sealed_link: null, claimed_until: null, last_error: null }).where('id', '=', id).execute();

export const markRetry = (db: Kysely<IdentifiableDatabase>, id: string, nextAttemptAt: number, error: string) =>
  db.updateTable('mail_outbox').set({ next_attempt_at: nextAttemptAt, claimed_until: null, last_error: error }).where('id', '=', id).execute();

export const markFailed = (db: Kysely<IdentifiableDatabase>, id: string, error: string) =>
  db.updateTable('mail_outbox').set({ status: 'failed', sealed_link: null, claimed_until: null, last_error: error }).where('id', '=', id).execute();

export interface OutboxEntry {
  readonly council: string;
  readonly purpose: MailPurpose;
  readonly recipient: string;
  readonly status: MailStatus;
  readonly attempts: number;
  readonly queuedAt: number;
  readonly sentAt: number | null;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
}

/** Every message of a wave, oldest first: what the monitor and `invite --send` report. */
export const outboxOfWave = async (db: Kysely<IdentifiableDatabase>, waveId: string): Promise<OutboxEntry[]> =>
  (
    await db
      .selectFrom('mail_outbox')
      .select(['local_authority', 'purpose', 'recipient', 'status', 'attempts', 'queued_at', 'sent_at', 'next_attempt_at', 'last_error'])
      .where('wave_id', '=', waveId)
      .orderBy('queued_at')
      .orderBy('local_authority')
      .execute()
  ).map((r) => ({
    council: r.local_authority,
    purpose: r.purpose as MailPurpose,
    recipient: r.recipient,
    status: r.status as MailStatus,
    attempts: Number(r.attempts),
    queuedAt: Number(r.queued_at),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error,
  }));
