import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Pages are Svelte components rendered on the server; tests import them through the app.
  plugins: [svelte({ compilerOptions: { css: 'external' } })],
  test: {
    include: ['test/**/*.test.ts'],
    // Native better-sqlite3 handles and child processes are simplest in forked workers.
    pool: 'forks',
    testTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
