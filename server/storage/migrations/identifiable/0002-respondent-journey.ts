import { sql, type Kysely, type Migration } from 'kysely';
import { epochMs } from '../column-types.js';

const sqlIn = (values: string[]) => sql`status in (${sql.join(values.map((v) => sql.lit(v)))})`;

export const respondentJourney: Migration = {
  async up(db: Kysely<any>) {
    // A wave takes answers only while open.
    await db.schema
      .createTable('wave_status')
      .addColumn('wave_id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull().check(sqlIn(['open', 'closed'])))
      .execute();
    await db.schema
      .createTable('roster')
      .addColumn('wave_id', 'text', (c) => c.notNull())
      .addColumn('local_authority', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('roster_pk', ['wave_id', 'local_authority'])
      .execute();
    // Only a hash of the link's secret is kept: the database cannot recreate a link.
    await db.schema
      .createTable('invitation')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('wave_id', 'text', (c) => c.notNull())
      .addColumn('local_authority', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addUniqueConstraint('invitation_wave_council', ['wave_id', 'local_authority'])
      .addForeignKeyConstraint('invitation_roster', ['wave_id', 'local_authority'], 'roster', ['wave_id', 'local_authority'])
      .execute();
    await db.schema
      .createTable('respondent_session')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('invitation_id', 'text', (c) => c.notNull().references('invitation.id').onDelete('cascade'))
      .addColumn('expires_at', epochMs(db), (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('part_one_draft')
      .addColumn('invitation_id', 'text', (c) => c.primaryKey().references('invitation.id').onDelete('cascade'))
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('section', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    for (const table of ['part_one_draft', 'respondent_session', 'invitation', 'roster', 'wave_status']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
