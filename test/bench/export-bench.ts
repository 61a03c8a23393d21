import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { definitionOfWave, findBundledWave } from '../../survey-definitions/index.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { openStores, storeFiles } from '../../server/storage/open-stores.js';
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

export const runExportBench = async (size = 1_000_000): Promise<string[]> => {
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

    const mbps = (bytes: number, ms: number) => (bytes / 2 ** 20 / (ms / 1000)).toFixed(1);
    return [
      `${size.toLocaleString('en-GB')} part-two responses in one wave (SQLite).`,
      '',
      '| what | time (s) | output (MiB) | MiB/s | memory at start (MiB) | peak memory (MiB) |',
      '|---|---:|---:|---:|---:|---:|',
      `| \`export\` CSV (streamed, import format) | ${(exported.ms / 1000).toFixed(1)} | ${(csvBytes / 2 ** 20).toFixed(0)} | ${mbps(csvBytes, exported.ms)} | ${exported.startMiB.toFixed(0)} | ${exported.peakMiB.toFixed(0)} |`,
      `| researcher package, zip written (disclosure control in memory) | ${(packaged.ms / 1000).toFixed(1)} | ${(packageBytes / 2 ** 20).toFixed(0)} | ${mbps(packageBytes, packaged.ms)} | ${packaged.startMiB.toFixed(0)} | ${packaged.peakMiB.toFixed(0)} |`,
      `| reference: \`sqlite3 -csv\` of the stored rows | ${(sqliteMs / 1000).toFixed(1)} | ${(rawBytes / 2 ** 20).toFixed(0)} | ${mbps(rawBytes, sqliteMs)} | | (another process) |`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
