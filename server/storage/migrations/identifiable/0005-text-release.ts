import type { Kysely, Migration } from 'kysely';
import { epochMs } from '../column-types.js';

/**
 * Free-text items of part two an analyst has read and released to researchers, per wave. Free text can
 * name people, so the researcher package leaves it out unless a row here says a person checked it.
 */
export const textRelease: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('text_release')
      .addColumn('wave_id', 'text', (c) => c.notNull().references('wave.id'))
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('released_by', 'text', (c) => c.notNull().references('staff_user.id'))
      .addColumn('released_at', epochMs(db), (c) => c.notNull())
      .addPrimaryKeyConstraint('text_release_pk', ['wave_id', 'item_id'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('text_release').execute();
  },
};
