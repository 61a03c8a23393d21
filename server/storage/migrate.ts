import { Migrator, type Kysely, type Migration } from 'kysely';
import { StoreStartupError } from './sqlite-pragmas.js';

/**
 * Brings a store's schema up to date; a failed migration stops start-up with its name. Returns how many
 * ran. `schema`: where Kysely keeps its ledger when the store is a PostgreSQL schema other than the
 * default (the anonymous store's intake), which Kysely would otherwise look for in any schema.
 */
export const migrateToLatest = async (db: Kysely<any>, migrations: Record<string, Migration>, label: string, schema?: string): Promise<number> => {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const what = failed ? `migration ${failed.migrationName}` : 'migrations';
    const why = error instanceof Error ? error.message : String(error);
    throw new StoreStartupError(`the ${label} store could not be migrated: ${what} failed: ${why}`);
  }
  return results?.length ?? 0;
};
