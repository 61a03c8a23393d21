import type { Kysely, Migration } from 'kysely';
import { epochMs } from '../column-types.js';

/**
 * The privacy notice as an administrator wrote it (issue 18): one row at most; none means the platform's
 * default, whose gaps are marked for the operator to fill.
 */
export const privacyNotice: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('privacy_notice')
      // Always 1: there is one notice.
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull().references('staff_user.id'))
      .addColumn('updated_at', epochMs(db), (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('privacy_notice').execute();
  },
};
