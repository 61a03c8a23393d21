import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { definitionOfWave, findBundledWave } from '../../survey-definitions/index.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { openStores, storeFiles } from '../../server/storage/open-stores.js';
import { met, times } from './bench-goals.js';
import type { StepResult } from './export-step.js';
import { syntheticAnswers } from './synthetic-answers.js';

/**
 * Part two of a wave of `size` responses leaving the platform: the CSV export (streamed from the store)
 * and the researcher package, next to `sqlite3 -csv` reading the same rows straight from the file.
 * The rows are made and stored in batches; each step then runs in a process of its own
 * (export-step.ts), so the memory it reports is its own: what it had once the stores were open
 * ("at start") and its peak.
 */
const WAVE = '2020-06';

const runStep = (step: 'export' | 'package', dataDir: string, out: string): Promise<StepResult> =>
  new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, 'export-step.ts'), [step, dataDir, out, WAVE], { execArgv: process.execArgv });
    let result: StepResult | undefined;
    child.on('message', (message) => (result = message as StepResult));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the ${step} step ended with code ${code}`))));
  });

interface Measured {
  readonly size: number;
  readonly exported: { ms: number; startMB: number; peakMB: number; bytes: number };
  readonly packaged: { ms: number; startMB: number; peakMB: number; bytes: number };
  readonly sqlite: { ms: number; bytes: number };
}

const MB = 1e6;

const measure = async (size: number): Promise<Measured> => {
  const dir = mkdtempSync(join(tmpdir(), 'cswo-export-bench-'));
  const dataDir = join(dir, 'data');
  try {
    const stores = await openStores({ dataDir, databaseUrl: undefined, anonymousDatabaseUrl: undefined });
    const definition = definitionOfWave(findBundledWave(WAVE)!);
    for (let i = 0; i < size; i += 10_000) {
      await insertPartTwoResponses(stores.anonymous, WAVE, syntheticAnswers(definition, 'anonymous', Math.min(10_000, size - i), 7 + i));
    }
    await scrubArrivalOrder(stores.anonymous);
    await stores.close();

    const exported = await runStep('export', dataDir, join(dir, 'part-two.csv'));
    const csvBytes = exported.bytes;
    const packaged = await runStep('package', dataDir, join(dir, 'package.zip'));
    const packageBytes = packaged.bytes;

    const sqliteStart = performance.now();
    const rawBytes = execFileSync('sqlite3', ['-csv', storeFiles(dataDir).anonymous, 'select id, wave_id, answers from part_two_response'], {
      maxBuffer: 2 ** 31,
    }).byteLength;
    const sqliteMs = performance.now() - sqliteStart;
    // The steps report MiB; the goals are in MB (10^6 bytes).
    const mb = (mib: number) => (mib * 2 ** 20) / MB;
    return {
      size,
      exported: { ms: exported.ms, startMB: mb(exported.startMiB), peakMB: mb(exported.peakMiB), bytes: csvBytes },
      packaged: { ms: packaged.ms, startMB: mb(packaged.startMiB), peakMB: mb(packaged.peakMiB), bytes: packageBytes },
      sqlite: { ms: sqliteMs, bytes: rawBytes },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** "Flat" memory, for the goal: the largest wave's peak at most this much over the smallest's. */
const FLAT = 1.25;

/** Each size in its own data directory, smallest first; the goals are judged on every size, flatness across them. */
export const runExportBench = async (sizes: readonly number[] = [100_000, 1_000_000]): Promise<string[]> => {
  const runs: Measured[] = [];
  for (const size of sizes) runs.push(await measure(size));
  const rowsPerS = (size: number, ms: number) => (size / (ms / 1000)).toFixed(0);
  const rows = runs.flatMap((r) => {
    const n = r.size.toLocaleString('en-GB');
    const ofSqlite = r.sqlite.ms / r.exported.ms;
    const ofExport = r.packaged.ms / r.exported.ms;
    return [
      `| ${n} | \`export\` CSV (streamed, import format) | ${(r.exported.ms / 1000).toFixed(1)} | ${rowsPerS(r.size, r.exported.ms)} | ${(r.exported.bytes / MB).toFixed(0)} | ${r.exported.startMB.toFixed(0)} | ${r.exported.peakMB.toFixed(0)} | ${times(ofSqlite)} of \`sqlite3 -csv\` rows/s | ≥ 0.5× \`sqlite3 -csv\` rows/s, ≤ 200 MB | ${met(ofSqlite >= 0.5 && r.exported.peakMB <= 200)} |`,
      `| ${n} | researcher package (disclosure control in two passes, streamed) | ${(r.packaged.ms / 1000).toFixed(1)} | ${rowsPerS(r.size, r.packaged.ms)} | ${(r.packaged.bytes / MB).toFixed(0)} | ${r.packaged.startMB.toFixed(0)} | ${r.packaged.peakMB.toFixed(0)} | ${times(ofExport)} the export's time | ≤ 2× the export's time, ≤ 300 MB | ${met(ofExport <= 2 && r.packaged.peakMB <= 300)} |`,
      `| ${n} | reference: \`sqlite3 -csv\` of the stored rows | ${(r.sqlite.ms / 1000).toFixed(1)} | ${rowsPerS(r.size, r.sqlite.ms)} | ${(r.sqlite.bytes / MB).toFixed(0)} | — | (another process) | 1.00× | — | — |`,
    ];
  });
  const first = runs[0]!;
  const last = runs.at(-1)!;
  const flat =
    runs.length < 2
      ? "Goal: the export's peak memory flat as the wave grows. Not judged: one size measured."
      : `Goal: the export's peak memory flat from ${first.size.toLocaleString('en-GB')} to ${last.size.toLocaleString('en-GB')} rows (grows at most ${FLAT}×). Measured: ${first.exported.peakMB.toFixed(0)} → ${last.exported.peakMB.toFixed(0)} MB, ${times(last.exported.peakMB / first.exported.peakMB)}. Met: ${met(last.exported.peakMB <= FLAT * first.exported.peakMB)}.`;
  return [
    `Part two of one wave of ${sizes.map((s) => s.toLocaleString('en-GB')).join(' and of ')} responses (SQLite). Each step runs in a process of its own; ` +
      "its peak memory is the kernel's high-water mark of that process (VmHWM), which includes what the process held once its modules were loaded and the stores opened (MB = 10⁶ bytes).",
    '',
    '| responses | what | time (s) | rows/s | output (MB) | memory at start (MB) | peak memory (MB) | ratio | goal | met |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---|---|',
    ...rows,
    '',
    flat,
  ];
};
