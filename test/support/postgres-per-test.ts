import { afterEach, beforeEach, inject } from 'vitest';
import { dropTestDatabases, startTestDatabases } from './test-databases.js';

/**
 * The PostgreSQL project's setup file: every test runs on fresh databases (test-databases.ts), named in
 * DATABASE_URL and ANONYMOUS_DATABASE_URL before it starts and dropped after it.
 */
beforeEach(async () => {
  await startTestDatabases(inject('postgresUrl'));
});

afterEach(async () => {
  await dropTestDatabases();
});
