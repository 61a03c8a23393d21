import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Sign-in throttling by device (server/staff/staff-sessions.ts). A failed attempt made with a valid
 * device cookie counts against that device only: `device` is a keyed hash of the cookie's nonce, never
 * the nonce. `ordinal` is the attempt's place among the attempts counted against the same thing (the
 * email, from clients without its device cookie, or one device); the unique indexes let only one of two
 * attempts that saw the same count go on to a password check, on every server sharing the store.
 * Attempts stored before this migration have neither and still count against their email.
 */
export const signInDevices: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('sign_in_attempt').addColumn('device', 'text').execute();
    await db.schema.alterTable('sign_in_attempt').addColumn('ordinal', 'integer').execute();
    await db.schema
      .createIndex('sign_in_attempt_email_ordinal')
      .on('sign_in_attempt')
      .columns(['email', 'ordinal'])
      .unique()
      .where(sql<boolean>`device is null`)
      .execute();
    await db.schema
      .createIndex('sign_in_attempt_device_ordinal')
      .on('sign_in_attempt')
      .columns(['device', 'ordinal'])
      .unique()
      .where(sql<boolean>`device is not null`)
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('sign_in_attempt_device_ordinal').execute();
    await db.schema.dropIndex('sign_in_attempt_email_ordinal').execute();
    await db.schema.alterTable('sign_in_attempt').dropColumn('ordinal').execute();
    await db.schema.alterTable('sign_in_attempt').dropColumn('device').execute();
  },
};
