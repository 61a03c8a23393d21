import type { Kysely, Migration } from 'kysely';

export const partOneResponse: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('part_one_response')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('wave_id', 'text', (c) => c.notNull())
      .addColumn('local_authority', 'text', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull())
      // A council answers part one once per wave.
      .addUniqueConstraint('part_one_response_wave_council', ['wave_id', 'local_authority'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('part_one_response').execute();
  },
};
