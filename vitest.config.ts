import { statfsSync } from 'node:fs';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * Where the tests keep their files (SQLite stores, the PostgreSQL cluster, CSV files): a file system in
 * memory when the machine has a roomy one and TMPDIR names no other place. The files and the calls on
 * them are the same, fsync included; only each fsync costs nothing there, which took a quarter off the
 * suite's store-heavy files (a SIGKILL, which the crash tests use, loses nothing either way). The
 * benchmarks (`npm run bench`) keep the system's temporary folder, as their durable saves are measured.
 */
const memoryFolder = '/dev/shm';
const roomy = (folder: string): boolean => {
  try {
    const space = statfsSync(folder);
    return space.bavail * space.bsize >= 4 * 2 ** 30;
  } catch {
    return false;
  }
};
if (!process.env.TMPDIR && roomy(memoryFolder)) process.env.TMPDIR = memoryFolder;

/**
 * The conformance suite: storage, import and export, analysis through the stores, and the HTTP API,
 * run a second time on PostgreSQL (a throwaway cluster, test/support/postgres-global-setup.ts), each
 * test on fresh databases named by DATABASE_URL and ANONYMOUS_DATABASE_URL. Tests of SQLite's own files
 * (pragmas, WAL, backups, the linkage attack on the files) run on SQLite only.
 */
export const conformanceSuite = [
  'test/server/csv-import-errors.test.ts',
  'test/server/csv-round-trip.test.ts',
  'test/server/csv-export-file.test.ts',
  'test/server/research-package.test.ts',
  'test/server/respondent-routes.test.ts',
  'test/server/respondent-cli.test.ts',
  'test/server/route-access.test.ts',
  'test/server/http.test.ts',
  'test/server/staff-routes.test.ts',
  'test/server/staff-sessions.test.ts',
  'test/server/staff-storage.test.ts',
  'test/server/staff-monitor.test.ts',
  'test/server/staff-dashboard.test.ts',
  'test/server/staff-free-text.test.ts',
  'test/server/staff-waves.test.ts',
  'test/server/staff-rosters.test.ts',
  'test/server/staff-accounts.test.ts',
  'test/server/staff-audit-log.test.ts',
  'test/server/wave-store.test.ts',
  // Issue 15: definition versions published into the store, and uploaded, previewed and published by admins.
  'test/server/definition-store.test.ts',
  'test/server/staff-definitions.test.ts',
  'test/server/rate-limit.test.ts',
  'test/server/closed-wave-cache.test.ts',
  // Issue 16: open waves' part two in the intake, closed waves' in the archive.
  'test/server/part-two-places.test.ts',
  'test/server/group-commit.test.ts',
  // Issue 17: invitations and reminders by email through a real SMTP server, and the outbox.
  'test/server/council-mail.test.ts',
  'test/server/staff-council-mail.test.ts',
  // Issue 18: the first-run setup link, the accessibility statement, the privacy notice, retention, a CSWO's requests.
  'test/server/first-run-setup.test.ts',
  'test/server/public-pages.test.ts',
  'test/server/retention.test.ts',
  'test/server/subject-access.test.ts',
  // Issue 11: a store holding anything its migrations do not make is refused, on both databases.
  'test/server/schema-check.test.ts',
  'test/reproduction/reproduction.test.ts',
  'test/postgres/*.test.ts',
  // Fuzzing (issue 6): every endpoint, the forms the pages render, and the CSV import.
  'test/fuzz/*.test.ts',
];

export default defineConfig({
  // Pages are Svelte components rendered on the server; tests import them through the app.
  plugins: [svelte({ compilerOptions: { css: 'external' } })],
  test: {
    // Native better-sqlite3 handles and child processes are simplest in forked workers.
    pool: 'forks',
    // Two files at a time even on two cores (Vitest would run one): much of the suite waits on
    // PostgreSQL, Chromium or a child server, so a second file fills the waits (about 12 minutes
    // instead of 16 on the 2-core CI machine).
    maxWorkers: 2,
    testTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: ['test/postgres/**'] } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: conformanceSuite,
          globalSetup: ['test/support/postgres-global-setup.ts'],
          setupFiles: ['test/support/postgres-per-test.ts'],
        },
      },
    ],
  },
});
