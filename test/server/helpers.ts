import { runCliInMemory } from '../support/cli-in-memory.js';
import { PassThrough, Readable } from 'node:stream';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { exportCsv } from '../../server/csv/csv-export.js';
import { importCsv, ImportRejected, type ImportSummary } from '../../server/csv/csv-import.js';
import { countPartTwo } from '../../server/storage/anonymous-store.js';
import { openStores, type Stores } from '../../server/storage/open-stores.js';
import { countPartOne } from '../../server/storage/part-one-store.js';
import { StoreStartupError } from '../../server/storage/sqlite-pragmas.js';
import { definitionOfWave, findBundledWave, storedAnswers, type Answers, type PartId } from '../../survey-definitions/index.js';
import { databasesFor, onPostgres } from '../support/test-databases.js';

/** Test helpers shared by the server tests: real stores in temp dirs, CSV text in and out. */

export const WAVE_1 = '2020-01';
export const WAVE_2 = '2020-06';

/** A part-two row as the store keeps it (by position, or as an object), read as answers with the bundled wave's definition. */
export const decodeStoredPartTwo = (waveId: string, text: string): Answers =>
  storedAnswers(definitionOfWave(findBundledWave(waveId)!), 'anonymous').decode(text);

/** Opens real stores in `<dir>/data` (or, on PostgreSQL, that directory's databases) and registers them for closing. */
export const storeOpener = () => {
  const open: Stores[] = [];
  const openIn = async (dir: string): Promise<Stores> => {
    const dataDir = join(dir, 'data');
    const stores = await openStores({ dataDir, ...(onPostgres() ? await databasesFor(dataDir) : {}) });
    open.push(stores);
    return stores;
  };
  const closeAll = async () => {
    for (const s of open.splice(0)) await s.close().catch(() => {});
  };
  /** The message of the StoreStartupError that opening `dir` must end in (fails when the stores open). */
  const refusalIn = async (dir: string): Promise<string> => {
    try {
      await openIn(dir);
    } catch (error) {
      if (!(error instanceof StoreStartupError)) throw error;
      return error.message;
    }
    throw new Error('the stores opened, but they should have been refused');
  };
  return { openIn, closeAll, refusalIn };
};

/** RFC 4180 CSV text (CRLF) of the given records. */
export const toCsv = (records: readonly (readonly string[])[]): string => stringify(records as string[][], { record_delimiter: 'windows' });

export const parseCsv = (text: string): string[][] => parse(text, { bom: true, relax_column_count: true }) as string[][];

export const importText = (stores: Stores, options: { wave: string; part: PartId; replace?: boolean }, content: string | Buffer): Promise<ImportSummary> =>
  importCsv(stores, {
    waveId: options.wave,
    part: options.part,
    replace: options.replace,
    input: Readable.from([typeof content === 'string' ? Buffer.from(content, 'utf8') : content]),
  });

/** Runs an import that must be refused and returns the refusal. */
export const importRefused = async (
  stores: Stores,
  options: { wave: string; part: PartId; replace?: boolean },
  content: string | Buffer,
): Promise<ImportRejected> => {
  try {
    const summary = await importText(stores, options, content);
    throw new Error(`expected the import to be refused, but it imported ${summary.imported} rows`);
  } catch (error) {
    if (error instanceof ImportRejected) return error;
    throw error;
  }
};

export const exportText = async (stores: Stores, wave: string, part: PartId): Promise<string> => {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await exportCsv(stores, { waveId: wave, part }, sink);
  return Buffer.concat(chunks).toString('utf8');
};

/** Row counts of both stores over all rows of every wave. */
export const totalCounts = async (stores: Stores) => {
  let identifiable = 0;
  let anonymous = 0;
  for (const wave of [WAVE_1, WAVE_2]) {
    identifiable += await countPartOne(stores.identifiable, wave);
    anonymous += await countPartTwo(stores.anonymous, wave);
  }
  // Rows of any wave id at all, not only the known ones.
  const one = await stores.identifiable
    .selectFrom('part_one_response')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  // Part two of any wave, in both its places (the intake of open waves and the archive).
  const two = await countPartTwo(stores.anonymous);
  return { identifiable, anonymous, allIdentifiable: Number(one.n), allAnonymous: two };
};

export { fakeIo } from '../support/cli-in-memory.js';

export const cli = (cwd: string, argv: readonly string[], stdinText = '') => runCliInMemory(cwd, argv, stdinText);

/**
 * What the identifiable store holds, as text: on SQLite every byte of its files (with the WAL and the
 * shared memory), so that a deleted cell left in a page counts as held; on PostgreSQL its tables' rows,
 * which do not show dead rows (the erasure's `VACUUM FULL` is what removes those). For the tests that
 * erasure and retention leave nothing behind, and that a link is held only sealed.
 */
export const identifiableStoreBytes = async (dataDir: string): Promise<string> => {
  if (!onPostgres())
    return readdirSync(dataDir)
      .filter((f) => f.startsWith('identifiable'))
      .map((f) => readFileSync(join(dataDir, f)).toString('latin1'))
      .join('\n');
  const stores = await openStores({ dataDir });
  try {
    const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(stores.identifiable);
    const dumps = [];
    for (const { tablename } of tables.rows) dumps.push(JSON.stringify((await sql`select * from ${sql.table(tablename)}`.execute(stores.identifiable)).rows));
    return dumps.join('\n');
  } finally {
    await stores.close();
  }
};
