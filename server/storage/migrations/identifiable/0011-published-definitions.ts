import { sql, type Kysely, type Migration } from 'kysely';
import { isSqlite } from '../../dialect-of.js';
import { epochMs } from '../column-types.js';

/**
 * Survey definition versions published by analysts (`definitions publish`), beside the versions bundled
 * with the platform. A wave names its version by id and version; the row holds the definition's JSON and
 * its content hash, so answers are always read against exactly the questions that were asked. Insert-only,
 * like the audit log: the store itself refuses to change or remove a published version, whoever asks, since
 * waves and their answers depend on it (a change is a new version).
 */
export const publishedDefinitions: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('published_definition')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('published_at', epochMs(db), (c) => c.notNull())
      // Null: published on the command line.
      .addColumn('published_by', 'text', (c) => c.references('staff_user.id'))
      .addPrimaryKeyConstraint('published_definition_key', ['id', 'version'])
      .execute();
    if (isSqlite(db)) {
      await sql`create trigger published_definition_no_update before update on published_definition
        begin select raise(abort, 'published_definition is insert-only: a published version cannot be changed'); end`.execute(db);
      await sql`create trigger published_definition_no_delete before delete on published_definition
        begin select raise(abort, 'published_definition is insert-only: a published version cannot be deleted'); end`.execute(db);
    } else {
      await sql`create function published_definition_insert_only() returns trigger language plpgsql as $$
        begin raise exception 'published_definition is insert-only: a published version cannot be %', case tg_op when 'UPDATE' then 'changed' else 'deleted' end; end $$`.execute(
        db,
      );
      await sql`create trigger published_definition_no_change before update or delete on published_definition
        for each row execute function published_definition_insert_only()`.execute(db);
      await sql`create trigger published_definition_no_truncate before truncate on published_definition
        for each statement execute function published_definition_insert_only()`.execute(db);
    }
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('published_definition').execute();
    if (!isSqlite(db)) await sql`drop function published_definition_insert_only()`.execute(db);
  },
};
