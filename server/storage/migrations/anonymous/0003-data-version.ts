import type { Kysely, Migration } from 'kysely';
import { createDataVersionTable } from '../data-version-table.js';

export const dataVersion: Migration = {
  async up(db: Kysely<any>) {
    await createDataVersionTable(db);
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('wave_data_version').execute();
  },
};
