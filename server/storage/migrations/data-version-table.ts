import type { Kysely } from 'kysely';

/**
 * A generation per wave: a fresh random value written by every write of answers (not drafts) in the
 * store it lives in, so a cache of a wave's tables can tell it is stale without reading the answers.
 * Random rather than a counter, so it says nothing, not even how many writes there were.
 */
export const createDataVersionTable = (db: Kysely<any>) =>
  db.schema
    .createTable('wave_data_version')
    .addColumn('wave_id', 'text', (c) => c.primaryKey())
    .addColumn('generation', 'text', (c) => c.notNull())
    .execute();
