import type { Kysely } from 'kysely';
import { withoutInvitationSecrets } from '../http/respondent-addresses.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import { claimDueMessages, markFailed, markRetry, markSent, type OutboxMessage } from '../storage/mail-outbox-store.js';
import type { Mailer, MailMessage } from './mail-transport.js';

/**
 * Sends what the outbox holds, a message at a time, and records each outcome before the next: a sender
 * killed part-way leaves every message either recorded as sent or still queued (its claim runs out and
 * it is taken again). The one gap SMTP leaves is between the mail server accepting a message and the
 * outbox recording it: a kill there sends it again, with the same Message-ID, by which receiving systems
 * drop a duplicate. The link never reaches a log or the audit log: only the council, purpose, outcome and
 * the reply's code.
 */

export const mailAuditActions = { sent: 'mail.sent', retry: 'mail.retry', failed: 'mail.failed' } as const;

/** Waits before the second, third, … attempt after a temporary failure; after the last, the message has failed. */
export const defaultRetryDelaysMs: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];

/** How long a sender holds a claimed message: longer than any one SMTP exchange takes. */
export const defaultLeaseMs = 5 * 60_000;

export type Composed = { readonly ok: true; readonly message: MailMessage } | { readonly ok: false; readonly reason: string };

export interface OutboxSenderOptions {
  readonly db: Kysely<IdentifiableDatabase>;
  readonly mailer: Mailer;
  /** The message for an outbox row (its link unsealed); a refusal fails it for good. */
  readonly compose: (row: OutboxMessage) => Promise<Composed>;
  readonly perMinute: number;
  readonly retryDelaysMs?: readonly number[];
  readonly leaseMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface SendResult {
  readonly council: string;
  readonly waveId: string;
  readonly recipient: string;
  readonly outcome: 'sent' | 'retrying' | 'failed';
  /** Why it did not go (the mail server's reply); for `retrying`, when it is tried again. */
  readonly reason?: string;
  readonly nextAttemptAt?: number;
}

export interface SendRound {
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
  /** Each message tried in this round, in the order tried. */
  readonly results: readonly SendResult[];
}

const pause = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export const outboxSender = (options: OutboxSenderOptions) => {
  const { db, mailer, compose, perMinute } = options;
  const retryDelays = options.retryDelaysMs ?? defaultRetryDelaysMs;
  const leaseMs = options.leaseMs ?? defaultLeaseMs;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? pause;
  const spacing = 60_000 / perMinute;
  let lastSent = -Infinity;

  /**
   * The mail server's reply as the audit log keeps it: its code alone (`550 5.1.1`), since the text may
   * repeat the address, which must go from the store when the wave's retention ends (the outbox, which
   * keeps the whole reply for the monitor, goes with it).
   */
  const replyCode = (reason: string) => /^\d{3}(?:[ -]\d\.\d{1,3}\.\d{1,3})?/.exec(reason)?.[0] ?? 'no reply';

  const audit = (action: string, m: OutboxMessage, extra: Record<string, unknown> = {}) =>
    appendAuditEvent(db, {
      actor: null,
      action,
      detail: { wave: m.waveId, council: m.council, purpose: m.purpose, attempt: m.attempts, ...extra, via: 'email sender' },
      at: now(),
    });

  const settle = async (m: OutboxMessage, reply: string, temporary: boolean): Promise<SendResult> => {
    // The reply is kept and shown (the monitor, the command line); a filter refusing the message may quote its link.
    const reason = withoutInvitationSecrets(reply);
    const delay = retryDelays[m.attempts - 1];
    const about = { council: m.council, waveId: m.waveId, recipient: m.recipient };
    if (temporary && delay !== undefined) {
      const next = now() + delay;
      await markRetry(db, m.id, next, reason);
      await audit(mailAuditActions.retry, m, { reply: replyCode(reason), next });
      return { ...about, outcome: 'retrying', reason, nextAttemptAt: next };
    }
    const why = temporary ? `${reason} (gave up after ${m.attempts} attempts)` : reason;
    await markFailed(db, m.id, why);
    await audit(mailAuditActions.failed, m, { reply: replyCode(reason), ...(temporary ? { gaveUp: true } : {}) });
    return { ...about, outcome: 'failed', reason: why };
  };

  /** Sends every message due now (of one wave, if named), at the configured pace; returns what became of them. */
  const sendDue = async ({ waveId }: { waveId?: string } = {}): Promise<SendRound> => {
    const results: SendResult[] = [];
    const count = (outcome: SendResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    for (;;) {
      // One at a time: a claim lasts while its own message is sent, not while a batch waits behind it.
      const [m] = await claimDueMessages(db, { now: now(), leaseMs, limit: 1, ...(waveId === undefined ? {} : { waveId }) });
      if (!m) return { sent: count('sent'), retrying: count('retrying'), failed: count('failed'), results };
      const composed = await compose(m);
      if (!composed.ok) {
        results.push(await settle(m, composed.reason, false));
        continue;
      }
      const wait = lastSent + spacing - now();
      if (wait > 0) await sleep(wait);
      lastSent = now();
      const outcome = await mailer.send(composed.message);
      if (outcome.sent) {
        await markSent(db, m.id, now());
        await audit(mailAuditActions.sent, m);
        results.push({ council: m.council, waveId: m.waveId, recipient: m.recipient, outcome: 'sent' });
      } else {
        results.push(await settle(m, outcome.reason, outcome.temporary));
      }
    }
  };
  return { sendDue };
};

/** What pages need of email: that it is set up (the From it sends as), and a nudge to send what was just queued. */
export interface MailOutbox {
  readonly from: string;
  sendSoon(): void;
}

/**
 * The server's sender: sends what is due every `everyMs` (and at once when `kick` is called), never two
 * rounds at a time. Stops cleanly: `stop` waits for the message in hand.
 */
export const startOutboxLoop = (send: () => Promise<unknown>, { everyMs = 15_000, log }: { everyMs?: number; log: (message: string) => void }) => {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const round = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = send()
      .then(
        () => undefined,
        (error: unknown) => log(`email: sending stopped for now: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          round();
        }
      });
  };
  const timer = setInterval(round, everyMs);
  timer.unref();
  round();
  return {
    kick: round,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
};
