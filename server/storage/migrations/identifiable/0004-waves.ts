import { sql, type Kysely, type Migration } from 'kysely';
import { epochMs } from '../column-types.js';

/**
 * The waves: which definition version each one fields. Until now a static registry
 * (survey-definitions/wave-registry.ts); admins now create waves, so they live in the store, which
 * becomes the one place the server and the command line read them from. The two fielded 2020 waves
 * are inserted here, written out rather than imported from the registry: a migration must not change
 * when the code it would import does.
 */
const fielded2020 = [
  { id: '2020-01', name: 'Survey 1', fielded: 'January 2020', definition_id: 'cswo-annual', definition_version: 1 },
  { id: '2020-06', name: 'Survey 2 (re-issued during COVID-19)', fielded: 'June 2020', definition_id: 'cswo-annual', definition_version: 2 },
];

export const waves: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('wave')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('fielded', 'text', (c) => c.notNull())
      .addColumn('definition_id', 'text', (c) => c.notNull())
      .addColumn('definition_version', 'integer', (c) => c.notNull().check(sql`definition_version >= 1`))
      .addColumn('created_at', epochMs(db), (c) => c.notNull())
      // Null: the wave came with the platform, or was made on the command line.
      .addColumn('created_by', 'text', (c) => c.references('staff_user.id'))
      .execute();
    const now = Date.now();
    await db
      .insertInto('wave')
      .values(fielded2020.map((w) => ({ ...w, created_at: now, created_by: null })))
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('wave').execute();
  },
};
