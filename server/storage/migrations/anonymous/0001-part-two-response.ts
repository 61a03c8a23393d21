import { sql, type Kysely, type Migration } from 'kysely';
import { isSqlite } from '../../dialect-of.js';

export const partTwoResponse: Migration = {
  async up(db: Kysely<any>) {
    let table = db.schema
      .createTable('part_two_response')
      // Random key: the only identity a row has, and it says nothing about who or when.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('wave_id', 'text', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull());
    // Without a rowid SQLite stores rows in key order, and the key is random, so the file's
    // order is not arrival order.
    if (isSqlite(db)) table = table.modifyEnd(sql`without rowid`);
    await table.execute();
    await db.schema.createIndex('part_two_response_wave').on('part_two_response').column('wave_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('part_two_response').execute();
  },
};
