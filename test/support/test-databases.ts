import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Which databases a test's stores live in. In the SQLite project nothing here is used: stores are files
 * in the test's data directory. In the PostgreSQL project (postgres-per-test.ts) each test gets a pair
 * of fresh databases, named in DATABASE_URL and ANONYMOUS_DATABASE_URL for everything that reads the
 * environment (the app, the command line); a test that opens a second data directory gets a second
 * pair, so "another directory" still means "other stores".
 *
 * Making and dropping a database takes PostgreSQL a quarter of a second, and the project runs one test
 * file at a time on a machine with more than one core: so pairs are made ahead, a few at a time, while
 * tests run, and a test's pairs are dropped behind it. A test never sees a database another has used.
 */

type Pair = { databaseUrl: string; anonymousDatabaseUrl: string };

let admin: string | undefined;
const pairs = new Map<string, Pair>();
/** Pairs made ahead, ready for the next test. */
const ready: Promise<Pair>[] = [];
/** The databases of the current test: dropped when it ends. */
const used: string[] = [];
/** The databases of the file's own beforeAll hooks: dropped when the file ends. */
const usedByFile: string[] = [];
let inTest = false;
/** Work on the cluster (making, dropping) runs one statement at a time, behind the tests. */
let background: Promise<unknown> = Promise.resolve();
const readyAhead = 2;

export const onPostgres = () => admin !== undefined;

const urlOf = (database: string) => {
  const url = new URL(admin!);
  url.pathname = `/${database}`;
  return url.toString();
};

const adminQuery = async (text: string) => {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
};

/** Queues work behind what is already queued; the returned promise is this work's own outcome. */
const queue = <T>(work: () => Promise<T>): Promise<T> => {
  const done = background.then(work, work);
  background = done.catch(() => {});
  return done;
};

const makePair = (): Promise<Pair> =>
  queue(async () => {
    const stem = `t_${randomBytes(6).toString('hex')}`;
    const names = [`${stem}_identifiable`, `${stem}_anonymous`] as const;
    for (const name of names) await adminQuery(`create database ${name}`);
    return { databaseUrl: urlOf(names[0]), anonymousDatabaseUrl: urlOf(names[1]) };
  });

const refill = () => {
  while (ready.length < readyAhead) {
    const pair = makePair();
    // A failure is reported to the test that takes this pair, not as an unhandled rejection here.
    pair.catch(() => {});
    ready.push(pair);
  }
};

/** A pair no test has used, made ahead when possible; its databases are dropped when the test ends. */
export const freshDatabases = async (): Promise<Pair> => {
  if (ready.length === 0) refill();
  const pair = await ready.shift()!;
  refill();
  for (const url of [pair.databaseUrl, pair.anonymousDatabaseUrl]) (inTest ? used : usedByFile).push(new URL(url).pathname.slice(1));
  return pair;
};

/** The databases of a data directory: the test's own pair for the first directory, a new pair for each other. */
export const databasesFor = async (dataDir: string) => {
  let pair = pairs.get(dataDir);
  if (!pair) {
    pair =
      pairs.size === 0 && process.env.DATABASE_URL && process.env.ANONYMOUS_DATABASE_URL
        ? { databaseUrl: process.env.DATABASE_URL, anonymousDatabaseUrl: process.env.ANONYMOUS_DATABASE_URL }
        : await freshDatabases();
    pairs.set(dataDir, pair);
  }
  return pair;
};

const useFresh = async () => {
  const pair = await freshDatabases();
  process.env.DATABASE_URL = pair.databaseUrl;
  process.env.ANONYMOUS_DATABASE_URL = pair.anonymousDatabaseUrl;
};

/** Before a file's own beforeAll hooks, so that what they store lands in PostgreSQL too. */
export const startFileDatabases = async (adminUrl: string) => {
  admin = adminUrl;
  await useFresh();
};

export const startTestDatabases = async (adminUrl: string) => {
  admin = adminUrl;
  inTest = true;
  await useFresh();
};

/** Ends a test: its databases are dropped behind the next one (their connections are closed by then, or forced). */
export const dropTestDatabases = async () => {
  delete process.env.DATABASE_URL;
  delete process.env.ANONYMOUS_DATABASE_URL;
  pairs.clear();
  inTest = false;
  for (const name of used.splice(0)) void queue(() => adminQuery(`drop database if exists ${name} with (force)`)).catch(() => {});
};

/** Ends a test file: every drop done, and the pairs made ahead dropped too. */
export const finishTestDatabases = async () => {
  for (const pair of ready.splice(0)) {
    const made = await pair.catch(() => undefined);
    if (made) for (const url of [made.databaseUrl, made.anonymousDatabaseUrl]) used.push(new URL(url).pathname.slice(1));
  }
  used.push(...usedByFile.splice(0));
  await dropTestDatabases();
  await background;
};
