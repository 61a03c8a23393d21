import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { definitionOfWave, findBundledWave } from '../../survey-definitions/index.js';
import { exportCsvToFile } from '../../server/csv/csv-export.js';
import { writeResearchPackage } from '../../server/research/research-package.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { openStores, storeFiles } from '../../server/storage/open-stores.js';
import { syntheticAnswers } from './synthetic-answers.js';

/**
 * Part two of a wave of `size` responses leaving the platform: the CSV export (streamed from the store)
 * and the researcher package, next to `sqlite3 -csv` reading the same rows straight from the file.
 *
 * Peak memory is the kernel's high-water mark of the process's resident set (VmHWM), reset before each
 * step (`/proc/self/clear_refs`), so a peak inside synchronous work (the disclosure control) is seen;
 * where /proc is missing, the resident set sampled every 20 ms. The resident set at the start of each
 * step is shown too: what the step itself added is the difference. The rows are made and stored in
 * batches, so the setup does not leave the heap holding them all.
 */
const WAVE = '2020-06';

const mib = (bytes: number) => bytes / 2 ** 20;

/** The kernel's high-water mark of the resident set, reset to now; undefined where /proc cannot do it. */
const highWaterMark = {
  reset(): boolean {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
      return true;
    } catch {
      return false;
    }
  },
  read(): number | undefined {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  },
};

const peakRss = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number; startMiB: number; peakMiB: number }> => {
  global.gc?.();
  const start = process.memoryUsage().rss;
  const kernel = highWaterMark.reset();
  let sampled = start;
  const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 20);
  const began = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - began;
    const mark = kernel ? highWaterMark.read() : undefined;
    return { value, ms, startMiB: mib(start), peakMiB: mib(Math.max(mark ?? 0, sampled, process.memoryUsage().rss)) };
  } finally {
    clearInterval(timer);
  }
};

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

    const csvFile = join(dir, 'part-two.csv');
    const exported = await peakRss(() => exportCsvToFile(stores, { waveId: WAVE, part: 'anonymous' }, csvFile));
    const csvBytes = statSync(csvFile).size;
    const zipFile = join(dir, 'package.zip');
    const packaged = await peakRss(() => writeResearchPackage({ anonymous: stores.anonymous }, { waveIds: [WAVE] }, zipFile));
    const packageBytes = packaged.value.files['part-two.csv'].byteLength;
    await stores.close();

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
