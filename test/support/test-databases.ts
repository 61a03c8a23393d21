import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Which databases a test's stores live in. In the SQLite project nothing here is used: stores are files
 * in the test's data directory. In the PostgreSQL project (postgres-per-test.ts) each test gets a pair
 * of fresh databases, named in DATABASE_URL and ANONYMOUS_DATABASE_URL for everything that reads the
 * environment (the app, the command line); a test that opens a second data directory gets a second
 * pair, so "another directory" still means "other stores".
 */

let admin: string | undefined;
const made: string[] = [];
const pairs = new Map<string, { databaseUrl: string; anonymousDatabaseUrl: string }>();

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

export const freshDatabases = async () => {
  const stem = `t_${randomBytes(6).toString('hex')}`;
  const names = [`${stem}_identifiable`, `${stem}_anonymous`] as const;
  for (const name of names) {
    await adminQuery(`create database ${name}`);
    made.push(name);
  }
  return { databaseUrl: urlOf(names[0]), anonymousDatabaseUrl: urlOf(names[1]) };
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

export const startTestDatabases = async (adminUrl: string) => {
  admin = adminUrl;
  const pair = await freshDatabases();
  process.env.DATABASE_URL = pair.databaseUrl;
  process.env.ANONYMOUS_DATABASE_URL = pair.anonymousDatabaseUrl;
};

export const dropTestDatabases = async () => {
  delete process.env.DATABASE_URL;
  delete process.env.ANONYMOUS_DATABASE_URL;
  pairs.clear();
  for (const name of made.splice(0)) await adminQuery(`drop database if exists ${name} with (force)`);
};
