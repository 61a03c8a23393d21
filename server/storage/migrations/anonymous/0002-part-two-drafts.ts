import { sql, type Kysely, type Migration } from 'kysely';
import { isSqlite } from '../../dialect-of.js';

/**
 * Part-two state is keyed by a hash of the part-two credential, which is derived from the invitation
 * secret that only the respondent holds: nothing here names or points to an invitation.
 */
export const partTwoDrafts: Migration = {
  async up(db: Kysely<any>) {
    let draft = db.schema
      .createTable('part_two_draft')
      .addColumn('credential_hash', 'text', (c) => c.primaryKey())
      .addColumn('wave_id', 'text', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('section', 'text', (c) => c.notNull());
    // Spent credentials refuse a second submission; the row holds no answer and no time.
    let spent = db.schema
      .createTable('part_two_spent')
      .addColumn('credential_hash', 'text', (c) => c.primaryKey())
      .addColumn('wave_id', 'text', (c) => c.notNull());
    if (isSqlite(db)) {
      draft = draft.modifyEnd(sql`without rowid`);
      spent = spent.modifyEnd(sql`without rowid`);
    }
    await draft.execute();
    await spent.execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('part_two_spent').execute();
    await db.schema.dropTable('part_two_draft').execute();
  },
};
