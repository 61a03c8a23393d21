import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { PassThrough, Readable } from 'node:stream';
import { unzipSync } from 'fflate';
import { runCli } from '../../server/cli/cli-program.js';
import type { CliIo } from '../../server/cli/cli-io.js';

/**
 * One step of the export benchmark in a process of its own (forked by export-bench.ts as `npm run cli`
 * runs: tsx, the CLI's node flags, no Svelte hook), running the command itself: `export --out` or
 * `package`, through the CLI's own code, on the data directory's stores (PostgreSQL when DATABASE_URL and
 * ANONYMOUS_DATABASE_URL are set, as for the CLI). Sends the parent `{ ms, startMiB, peakMiB, bytes }`.
 *
 * "At start" is the resident set once the modules the command runs are loaded, before any store is
 * opened. The peak is the kernel's high-water mark of the resident set (VmHWM) over the whole process, as
 * `/usr/bin/time -v` reports it for `npm run cli -- export ...`; where /proc is missing, the resident set
 * sampled every 20 ms.
 */
export interface StepResult {
  readonly ms: number;
  readonly startMiB: number;
  readonly peakMiB: number;
  /** The CSV's bytes: the exported file, or part-two.csv of the package. */
  readonly bytes: number;
}

const mib = (bytes: number) => bytes / 2 ** 20;

const highWaterMark = (): number | undefined => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
};

const [step, dataDir, out, waveId] = process.argv.slice(2) as [string, string, string, string];
// What the command's action loads when it starts, loaded first, so "at start" holds it.
if (step === 'export') await import('../../server/csv/csv-export.js');
else await Promise.all([import('../../server/research/index.js'), import('../../server/storage/anonymous-snapshot.js')]);
await import('../../server/storage/open-stores.js');
const start = process.memoryUsage().rss;
let sampled = start;
const timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 20);

const stdout = new PassThrough();
const stderr = new PassThrough();
let said = '';
stdout.setEncoding('utf8').on('data', (text: string) => (said += text));
stderr.setEncoding('utf8').on('data', (text: string) => (said += text));
const io: CliIo = { stdout, stderr, stdin: Readable.from([]), cwd: process.cwd() };
const argv =
  step === 'export'
    ? ['export', '--data', dataDir, '--wave', waveId, '--part', 'anonymous', '--out', out]
    : ['package', '--data', dataDir, '--wave', waveId, '--out', out];
const began = performance.now();
const code = await runCli(argv, io);
const ms = performance.now() - began;
clearInterval(timer);
const peak = Math.max(highWaterMark() ?? 0, sampled, process.memoryUsage().rss);
if (code !== 0) throw new Error(`${argv.join(' ')} ended with code ${code}: ${said}`);

// Sizes taken after the peak: from the file system for the export (reading it back would count it, whole,
// in the peak: 237 MB at a million rows); for the package, part-two.csv's size as its zip entry records it.
let bytes = 0;
if (step === 'export') bytes = statSync(out).size;
else
  unzipSync(readFileSync(out), {
    filter: (file) => {
      if (file.name === 'part-two.csv') bytes = file.originalSize;
      return false;
    },
  });
const result: StepResult = { ms, startMiB: mib(start), peakMiB: mib(peak), bytes };
process.send!(result);
