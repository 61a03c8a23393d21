import type { Kysely, Migration } from 'kysely';
import { epochMs } from '../column-types.js';

/**
 * A definition an admin uploaded and that passed every check, kept until it is published or a week has
 * passed, so that it can be previewed page by page and its changes read before anyone publishes it (a
 * published version can never change, so nothing is published on the upload itself). Only definitions: no
 * answer is ever stored against a draft.
 */
export const definitionDrafts: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('definition_draft')
      // A random token: the draft's address, unguessable, so drafts cannot be enumerated.
      .addColumn('token', 'text', (c) => c.primaryKey())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('uploaded_by', 'text', (c) => c.notNull().references('staff_user.id'))
      .addColumn('uploaded_at', epochMs(db), (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('definition_draft').execute();
  },
};
