import type { Kysely, Migration } from 'kysely';
import { epochMs } from '../column-types.js';

/**
 * Messages to councils (invitations by email), written here in the same transaction as what they announce,
 * before any is sent, so that a crash or a refused send loses none: a worker sends them and records the
 * outcome. An invitation's link is held only sealed (AES-GCM under a key derived from the server key, which
 * never enters a database), only until the message is sent, abandoned or replaced; then it is erased.
 * Nothing here concerns part two.
 */
export const mailOutbox: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('mail_outbox')
      // Random: also the Message-ID's left part, so a message sent again after a crash is recognised as the same.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('wave_id', 'text', (c) => c.notNull())
      .addColumn('local_authority', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('sealed_link', 'text')
      // queued, sent, failed (permanently, or too many attempts) or replaced (a newer link was issued before it went).
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('queued_at', epochMs(db), (c) => c.notNull())
      .addColumn('next_attempt_at', epochMs(db), (c) => c.notNull())
      // While a sender holds it: another sender (the server beside the command line) leaves it alone until then.
      .addColumn('claimed_until', epochMs(db))
      .addColumn('sent_at', epochMs(db))
      .addColumn('last_error', 'text')
      .execute();
    await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('mail_outbox_wave').on('mail_outbox').columns(['wave_id', 'local_authority']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('mail_outbox').execute();
  },
};
