import type { Kysely, Migration } from 'kysely';
import { epochMs } from '../column-types.js';

/**
 * How long a wave keeps what identifies people (issue 18): the day until which its roster, invitations,
 * links, sessions, drafts and emails are kept, and whether part one is then kept whole or without its
 * identifying answers. One row per wave that has one; `applied_at` once the erasure has run.
 */
export const waveRetention: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('wave_retention')
      .addColumn('wave_id', 'text', (c) => c.primaryKey().references('wave.id'))
      // YYYY-MM-DD: kept through this day (UK time), erased after it.
      .addColumn('contacts_until', 'text', (c) => c.notNull())
      .addColumn('keep_part_one', 'integer', (c) => c.notNull())
      .addColumn('applied_at', epochMs(db))
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('wave_retention').execute();
  },
};
