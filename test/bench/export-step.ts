import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { exportCsvToFile } from '../../server/csv/csv-export.js';
import { writeResearchPackage } from '../../server/research/research-package.js';
import { openStores } from '../../server/storage/open-stores.js';

/**
 * One step of the export benchmark in a process of its own (forked by export-bench.ts), so its peak
 * memory is its own and not what storing the rows left in the benchmark's heap. Sends the parent
 * `{ ms, startMiB, peakMiB, bytes }`.
 *
 * Peak memory is the kernel's high-water mark of the resident set (VmHWM), reset after the stores are
 * open, so a peak inside synchronous work (the disclosure control) is seen too; where /proc is missing,
 * the resident set sampled every 20 ms.
 */
export interface StepResult {
  readonly ms: number;
  readonly startMiB: number;
  readonly peakMiB: number;
  /** The CSV's bytes: the exported file, or part-two.csv of the package. */
  readonly bytes: number;
}

const mib = (bytes: number) => bytes / 2 ** 20;

const resetHighWaterMark = (): boolean => {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
};

const highWaterMark = (): number | undefined => {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
};

const [step, dataDir, out, waveId] = process.argv.slice(2) as [string, string, string, string];
const stores = await openStores({ dataDir, databaseUrl: undefined, anonymousDatabaseUrl: undefined });
const start = process.memoryUsage().rss;
const kernel = resetHighWaterMark();
let sampled = start;
const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 20);
const began = performance.now();
let bytes: () => number;
if (step === 'export') {
  await exportCsvToFile(stores, { waveId, part: 'anonymous' }, out);
  // Its size from the file system: reading the file back would count it, whole, in the export's time
  // and peak memory (237 MB at a million rows).
  bytes = () => statSync(out).size;
} else {
  const pkg = await writeResearchPackage({ anonymous: stores.anonymous }, { waveIds: [waveId] }, out);
  bytes = () => pkg.csvBytes;
}
const ms = performance.now() - began;
clearInterval(timer);
const peak = Math.max((kernel ? highWaterMark() : undefined) ?? 0, sampled, process.memoryUsage().rss);
await stores.close();
const result: StepResult = { ms, startMiB: mib(start), peakMiB: mib(peak), bytes: bytes() };
process.send!(result);
