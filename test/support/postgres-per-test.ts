import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { dropTestDatabases, finishTestDatabases, startFileDatabases, startTestDatabases } from './test-databases.js';

/**
 * The PostgreSQL project's setup file: every test runs on fresh databases (test-databases.ts), named in
 * DATABASE_URL and ANONYMOUS_DATABASE_URL before it starts and dropped after it. A file's own beforeAll
 * hooks get a pair of their own, so that what they prepare is stored in PostgreSQL as well.
 */

/**
 * Files whose tests only read what their beforeAll stored: they share the file's pair, since making a
 * pair for each of their many tests would cost a quarter of a second a test for nothing.
 */
const sharingTheFilesDatabases = ['test/reproduction/reproduction.test.ts'];
const shares = (filepath: string) => sharingTheFilesDatabases.some((file) => filepath.endsWith(file));

beforeAll(async () => {
  await startFileDatabases(inject('postgresUrl'));
});

beforeEach(async (context) => {
  if (!shares(context.task.file.filepath)) await startTestDatabases(inject('postgresUrl'));
});

afterEach(async (context) => {
  if (!shares(context.task.file.filepath)) await dropTestDatabases();
});

// Dropping a file's databases waits for the drops still running behind its tests; each DROP DATABASE
// forces a checkpoint, which on a busy machine takes longer than vitest's 10 s default for a hook.
afterAll(async () => {
  await finishTestDatabases();
}, 120_000);
