import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Every benchmark run in its quick mode, as `npm run bench -- --quick` runs them (tsx and the Svelte hook,
 * in a child process), so none can rot unnoticed between the rare full runs. Only that each finishes and
 * prints its table with its goals is checked: speed is measured by the benchmarks, never asserted here.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docs = join(root, 'docs', 'benchmarks.md');

const runQuick = () =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './server/pages/register-svelte.mjs', 'test/bench/run.ts', '--quick'], {
      cwd: root,
      env: { ...process.env, BENCH_QUICK: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('close', (code) => done({ code, stdout, stderr }));
  });

/** A section's markdown tables, each as its header's cells and its rows' cells. */
const tablesOf = (section: string) => {
  const tables: { header: string[]; rows: string[][] }[] = [];
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim());
  const lines = section.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || !lines[i + 1]?.startsWith('|---')) continue;
    const table = { header: cells(lines[i]!), rows: [] as string[][] };
    for (i += 2; lines[i]?.startsWith('|'); i++) table.rows.push(cells(lines[i]!));
    tables.push(table);
  }
  return tables;
};

const expected: Record<string, { title: string; columns: string[][] }> = {
  pages: {
    title: 'Survey pages',
    columns: [
      ['response', 'requests/s', 'p50 (ms)', 'p99 (ms)', 'ratio to the constant', 'goal', 'met', 'unexpected responses'],
      ['what', 'first visit (bytes)', 'return visit (bytes)', 'why, on a return visit', 'goal', 'met'],
    ],
  },
  submissions: {
    title: 'Submissions',
    // SQLite, then PostgreSQL (a throwaway cluster, as the postgres project starts).
    columns: [
      ['request', 'requests/s', 'p50 (ms)', 'p99 (ms)', 'ratio to validate-only', 'goal', 'met', 'unexpected responses'],
      ['request (PostgreSQL)', 'requests/s', 'p50 (ms)', 'p99 (ms)', 'ratio to validate-only', 'goal', 'met', 'unexpected responses'],
    ],
  },
  analysis: {
    title: 'Analysis',
    columns: [
      [
        'responses',
        'all tables from columns (CPU ms)',
        'raw scan of the columns (CPU ms)',
        'ratio',
        'goal',
        'met',
        'columns laid out from objects (CPU ms)',
        'raw scan of the objects (CPU ms)',
      ],
    ],
  },
  dashboard: {
    title: 'Dashboard of a closed wave',
    columns: [
      [
        'part-two responses',
        'first view: tables and charts computed (ms)',
        'cached view (ms, mean of 10)',
        'staff home page (ms, mean of 10)',
        'first / cached',
      ],
    ],
  },
  export: {
    title: 'Export',
    // SQLite, then PostgreSQL (a throwaway cluster, as the postgres project starts): each with the time and
    // memory of export and package, the bytes stored, and a real wave's package beside the large one.
    columns: [
      ['responses', 'what', 'time (s)', 'rows/s', 'output (MB)', 'memory at start (MB)', 'peak memory (MB)', 'ratio', 'goal', 'met'],
      ['responses', 'stored (bytes a response)', 'CSV (bytes a response)', 'ratio', 'goal', 'met'],
      ['responses beside it', 'package alone (s)', 'package beside them (s)', 'ratio', 'goal', 'met'],
      ['responses (PostgreSQL)', 'what', 'time (s)', 'rows/s', 'output (MB)', 'memory at start (MB)', 'peak memory (MB)', 'ratio', 'goal', 'met'],
      ['responses (PostgreSQL)', 'stored (bytes a response)', 'CSV (bytes a response)', 'ratio', 'goal', 'met'],
      ['responses beside it (PostgreSQL)', 'package alone (s)', 'package beside them (s)', 'ratio', 'goal', 'met'],
    ],
  },
};

describe('benchmarks in quick mode', () => {
  let run: Awaited<ReturnType<typeof runQuick>>;
  let docsBefore: string;
  const sections = new Map<string, string>();

  beforeAll(async () => {
    docsBefore = readFileSync(docs, 'utf8');
    run = await runQuick();
    for (const part of run.stdout.split(/\n(?=## )/).slice(1)) {
      const name = /^## .* \(`npm run bench -- (\w+)`\)/.exec(part)?.[1];
      if (name) sections.set(name, part);
    }
  }, 240_000);

  it('all finish, and leave docs/benchmarks.md as it was', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('quick run: ');
    expect(readFileSync(docs, 'utf8')).toBe(docsBefore);
  });

  it.each(Object.keys(expected))('%s prints its tables, its goals judged yes or no', (name) => {
    const section = sections.get(name);
    expect(section, `no section for ${name} in:\n${run.stdout}\n${run.stderr}`).toBeDefined();
    expect(section!.startsWith(`## ${expected[name]!.title} (`)).toBe(true);
    const tables = tablesOf(section!);
    expect(tables.map((t) => t.header)).toEqual(expected[name]!.columns);
    for (const table of tables) {
      expect(table.rows.length).toBeGreaterThan(0);
      for (const row of table.rows) expect(row).toHaveLength(table.header.length);
      const metAt = table.header.indexOf('met');
      if (metAt >= 0) {
        for (const row of table.rows) expect(['yes', 'no', '—']).toContain(row[metAt]);
        // Each table with goals judges at least one.
        expect(table.rows.some((row) => row[metAt] !== '—')).toBe(true);
      }
    }
  });

  it('export judges its memory flat across its two sizes', () => {
    expect(sections.get('export')).toMatch(/Goal: the export's peak memory flat from 50 to 5,000 rows .* Met: (yes|no)\./);
  });
});
