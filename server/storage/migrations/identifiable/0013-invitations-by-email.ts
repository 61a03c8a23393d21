import type { Kysely, Migration } from 'kysely';
import { epochMs } from '../column-types.js';

/**
 * Invitations and reminders by email (issue 17).
 *
 * `mail_outbox`: messages to councils (invitations and reminders), written here in the same transaction as what they announce,
 * before any is sent, so that a crash or a refused send loses none: a worker sends them and records the
 * outcome. An invitation's link is held only sealed (AES-GCM under a key derived from the server key, which
 * never enters a database), only until the message is sent, abandoned or replaced; then it is erased.
 * Nothing here concerns part two.
 */
export const invitationsByEmail: Migration = {
  async up(db: Kysely<any>) {
    // More links to the same invitation, beside its own: a reminder carries a new one and the links the
    // council already holds keep working. Only hashes, as for the invitation's link; a new link issued by
    // an administrator (which stops the old ones) removes these too.
    await db.schema
      .createTable('invitation_link')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('invitation_id', 'text', (c) => c.notNull().references('invitation.id'))
      .execute();
    await db.schema.createIndex('invitation_link_invitation').on('invitation_link').column('invitation_id').execute();
    await db.schema
      .createTable('mail_outbox')
      // Random: also the Message-ID's left part, so a message sent again after a crash is recognised as the same.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('wave_id', 'text', (c) => c.notNull())
      .addColumn('local_authority', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('sealed_link', 'text')
      // queued, sent, failed (permanently, or too many attempts) or replaced (a newer message of its kind was queued before it went).
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
    // The messages' wording as an admin edited it (one row per kind of message); the platform's own wording
    // when there is none.
    await db.schema
      .createTable('mail_template')
      .addColumn('purpose', 'text', (c) => c.primaryKey())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull().references('staff_user.id'))
      .addColumn('updated_at', epochMs(db), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mail_outbox_wave').on('mail_outbox').columns(['wave_id', 'local_authority']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('mail_template').execute();
    await db.schema.dropTable('mail_outbox').execute();
    await db.schema.dropTable('invitation_link').execute();
  },
};
