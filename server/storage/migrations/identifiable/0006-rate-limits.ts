import type { Kysely, Migration } from 'kysely';
import { epochMs } from '../column-types.js';

/**
 * Request counts per client for the rate limits (invitation links, sign-in posts), in the database so
 * that every server process sharing it counts the same requests. The client is a keyed hash of its
 * address (never the address), and a row lives one window at most.
 */
export const rateLimits: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('rate_limit')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('client', 'text', (c) => c.notNull())
      .addColumn('window_start', epochMs(db), (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_limit_pk', ['name', 'client'])
      .execute();
    await db.schema.createIndex('rate_limit_window').on('rate_limit').columns(['name', 'window_start']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('rate_limit').execute();
  },
};
