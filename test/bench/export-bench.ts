import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { definitionOfWave, findBundledWave } from '../../survey-definitions/index.js';
import { exportCsvToFile } from '../../server/csv/csv-export.js';
import { buildResearchPackage } from '../../server/research/research-package.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { openStores, storeFiles } from '../../server/storage/open-stores.js';
import { syntheticAnswers } from './synthetic-answers.js';

/**
 * Part two of a wave of `size` responses leaving the platform: the CSV export (streamed from the store)
 * and the researcher package (disclosure control needs every row at once), next to `sqlite3 -csv`
 * reading the same rows straight from the file. Peak memory is the process's resident set, sampled.
 */
const WAVE = '2020-06';

const peakRss = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peakMiB: number }> => {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - start, peakMiB: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 };
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
    const answers = syntheticAnswers(definition, 'anonymous', size, 7);
    for (let i = 0; i < answers.length; i += 10_000) await insertPartTwoResponses(stores.anonymous, WAVE, answers.slice(i, i + 10_000));
    await scrubArrivalOrder(stores.anonymous);
    answers.length = 0;
    global.gc?.();

    const csvFile = join(dir, 'part-two.csv');
    const exported = await peakRss(() => exportCsvToFile(stores, { waveId: WAVE, part: 'anonymous' }, csvFile));
    const csvBytes = statSync(csvFile).size;
    const packaged = await peakRss(() => buildResearchPackage({ anonymous: stores.anonymous }, { waveIds: [WAVE] }));
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
      '| what | time (s) | output (MiB) | MiB/s | peak memory (MiB) |',
      '|---|---:|---:|---:|---:|',
      `| \`export\` CSV (streamed, import format) | ${(exported.ms / 1000).toFixed(1)} | ${(csvBytes / 2 ** 20).toFixed(0)} | ${mbps(csvBytes, exported.ms)} | ${exported.peakMiB.toFixed(0)} |`,
      `| researcher package (disclosure control, in memory) | ${(packaged.ms / 1000).toFixed(1)} | ${(packageBytes / 2 ** 20).toFixed(0)} | ${mbps(packageBytes, packaged.ms)} | ${packaged.peakMiB.toFixed(0)} |`,
      `| reference: \`sqlite3 -csv\` of the stored rows | ${(sqliteMs / 1000).toFixed(1)} | ${(rawBytes / 2 ** 20).toFixed(0)} | ${mbps(rawBytes, sqliteMs)} | (another process) |`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
