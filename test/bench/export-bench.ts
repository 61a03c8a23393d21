import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { definitionOfWave, findBundledWave, storedAnswers } from '../../survey-definitions/index.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { openStores, storeFiles } from '../../server/storage/open-stores.js';
import { startCluster } from '../support/postgres-cluster.js';
import { met, times } from './bench-goals.js';
import type { StepResult } from './export-step.js';
import { syntheticAnswers } from './synthetic-answers.js';

/**
 * Part two of a wave of `size` responses leaving the platform: the CSV export (streamed from the store)
 * and the researcher package, next to `sqlite3 -csv` reading the same rows straight from the file; and
 * the same on PostgreSQL, next to `psql`'s `\copy`. The rows are made and stored in batches; each step
 * then runs in a process of its own (export-step.ts), as `npm run cli` runs the command, so the memory it
 * reports is the command's own: what the process held once the command's modules were loaded ("at start")
 * and its peak.
 */
const WAVE = '2020-06';

/** A wave of the size a real one has (32 councils), packaged alone and again beside the large wave. */
const SMALL_WAVE = '2020-01';
const SMALL_SIZE = 32;

const root = join(import.meta.dirname, '..', '..');

/**
 * The node flags of package.json's "cli" script (`tsx --max-semi-space-size=2 server/cli/main.ts`): the
 * steps run with them, and without the benchmark's own (its 16 GiB heap, the Svelte hook), as the CLI runs.
 */
const cliNodeFlags = (): string[] => {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { cli: string } }).scripts.cli;
  return script.split(/\s+/).filter((word) => word.startsWith('--'));
};

interface Databases {
  readonly databaseUrl: string;
  readonly anonymousDatabaseUrl: string;
}

const runStep = (step: 'export' | 'package', dataDir: string, out: string, databases?: Databases, waveId = WAVE): Promise<StepResult> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    delete env.DATABASE_URL;
    delete env.ANONYMOUS_DATABASE_URL;
    if (databases) Object.assign(env, { DATABASE_URL: databases.databaseUrl, ANONYMOUS_DATABASE_URL: databases.anonymousDatabaseUrl });
    const child = fork(join(import.meta.dirname, 'export-step.ts'), [step, dataDir, out, waveId], {
      cwd: root,
      env,
      execArgv: ['--import', 'tsx', ...cliNodeFlags()],
    });
    let result: StepResult | undefined;
    child.on('message', (message) => (result = message as StepResult));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`the ${step} step ended with code ${code}`))));
  });

/**
 * The small wave's package, the best of `runs` (three in a full run): it takes under a second, so one run would measure
 * the machine's moment (and, beside the large wave, caches the large wave's steps have just filled).
 */
const smallPackage = async (dataDir: string, out: string, databases: Databases | undefined, runs: number): Promise<StepResult> => {
  let best: StepResult | undefined;
  for (let run = 0; run < runs; run++) {
    const step = await runStep('package', dataDir, out, databases, SMALL_WAVE);
    if (!best || step.ms < best.ms) best = step;
  }
  return best!;
};

interface Measured {
  readonly size: number;
  readonly exported: { ms: number; startMB: number; peakMB: number; bytes: number };
  readonly packaged: { ms: number; startMB: number; peakMB: number; bytes: number };
  /** The reference: the store's own command-line client writing the stored rows as CSV. */
  readonly reference: { ms: number; bytes: number };
  /** What the stored part two takes in the store: its table and indexes, in bytes. */
  readonly storedBytes: number;
  /** The package of a wave of SMALL_SIZE responses, alone in the store and then beside the large wave. */
  readonly small: { aloneMs: number; besideMs: number };
}

const MB = 1e6;

/** Where a run keeps the wave: SQLite files in the data directory, or two databases of a PostgreSQL cluster. */
interface Place {
  readonly name: string;
  /** The reference's name, as the table shows it. */
  readonly reference: string;
  /** Databases for one size; `drop` removes them. */
  databases(size: number): Promise<(Databases & { drop(): Promise<void> }) | undefined>;
  /** The reference read of the stored rows: bytes written. */
  read(dataDir: string, databases: Databases | undefined): number;
  /** The bytes the stored part two takes: its table with its indexes (and, on PostgreSQL, its TOAST). */
  stored(dataDir: string, databases: Databases | undefined): number;
}

const sqlite: Place = {
  name: 'SQLite',
  reference: '`sqlite3 -csv`',
  databases: () => Promise.resolve(undefined),
  read: (dataDir) =>
    execFileSync('sqlite3', ['-csv', storeFiles(dataDir).anonymous, 'select id, wave_id, answers from part_two_response'], { maxBuffer: 2 ** 31 }).byteLength,
  // SQLite's own account of the pages each table and index uses (the dbstat table).
  stored: (dataDir) =>
    Number(
      execFileSync('sqlite3', [storeFiles(dataDir).anonymous, "select sum(pgsize) from dbstat where name in ('part_two_response', 'part_two_response_wave')"], {
        encoding: 'utf8',
      }).trim(),
    ),
};

/** PostgreSQL in a throwaway cluster (initdb, fsync on), as the conformance suite and the submissions benchmark start one. */
const postgres = (clusterUrl: string): Place => {
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: clusterUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const urlOf = (name: string) => Object.assign(new URL(clusterUrl), { pathname: `/${name}` }).toString();
  return {
    name: 'PostgreSQL',
    reference: '`psql \\copy`',
    databases: async (size) => {
      const names = [`export_${size}_identifiable`, `export_${size}_anonymous`] as const;
      for (const name of names) await admin(`create database ${name}`);
      return {
        databaseUrl: urlOf(names[0]),
        anonymousDatabaseUrl: urlOf(names[1]),
        drop: async () => {
          for (const name of names) await admin(`drop database if exists ${name}`);
        },
      };
    },
    read: (_dataDir, databases) =>
      execFileSync(
        'psql',
        ['-X', '-q', '-d', databases!.anonymousDatabaseUrl, '-c', '\\copy (select id, wave_id, answers from part_two_response) to stdout with csv'],
        {
          maxBuffer: 2 ** 31,
        },
      ).byteLength,
    stored: (_dataDir, databases) =>
      Number(
        execFileSync('psql', ['-X', '-q', '-A', '-t', '-d', databases!.anonymousDatabaseUrl, '-c', "select pg_total_relation_size('part_two_response')"], {
          encoding: 'utf8',
        }).trim(),
      ),
  };
};

const measure = async (size: number, place: Place, smallRuns: number): Promise<Measured> => {
  const dir = mkdtempSync(join(tmpdir(), 'cswo-export-bench-'));
  const dataDir = join(dir, 'data');
  const databases = await place.databases(size);
  try {
    const storeOptions = { dataDir, databaseUrl: databases?.databaseUrl, anonymousDatabaseUrl: databases?.anonymousDatabaseUrl };
    // The small wave's package alone in the store first; the same package again once the large wave is stored.
    let stores = await openStores(storeOptions);
    // Kept as the platform keeps them (by position: survey-definitions/stored-answers.ts).
    const small = definitionOfWave(findBundledWave(SMALL_WAVE)!);
    await insertPartTwoResponses(
      stores.anonymous,
      SMALL_WAVE,
      syntheticAnswers(small, 'anonymous', SMALL_SIZE, 3),
      'archive',
      storedAnswers(small, 'anonymous'),
    );
    await scrubArrivalOrder(stores.anonymous);
    await stores.close();
    const smallAlone = await smallPackage(dataDir, join(dir, 'small-alone.zip'), databases, smallRuns);

    stores = await openStores(storeOptions);
    const definition = definitionOfWave(findBundledWave(WAVE)!);
    for (let i = 0; i < size; i += 10_000) {
      await insertPartTwoResponses(
        stores.anonymous,
        WAVE,
        syntheticAnswers(definition, 'anonymous', Math.min(10_000, size - i), 7 + i),
        'archive',
        storedAnswers(definition, 'anonymous'),
      );
    }
    await scrubArrivalOrder(stores.anonymous);
    await stores.close();

    const exported = await runStep('export', dataDir, join(dir, 'part-two.csv'), databases);
    const packaged = await runStep('package', dataDir, join(dir, 'package.zip'), databases);
    const smallBeside = await smallPackage(dataDir, join(dir, 'small-beside.zip'), databases, smallRuns);
    // The large wave's rows and the small wave's 32, as the store holds them.
    const storedBytes = place.stored(dataDir, databases);

    const referenceStart = performance.now();
    const referenceBytes = place.read(dataDir, databases);
    const referenceMs = performance.now() - referenceStart;
    // The steps report MiB; the goals are in MB (10^6 bytes).
    const mb = (mib: number) => (mib * 2 ** 20) / MB;
    return {
      size,
      exported: { ms: exported.ms, startMB: mb(exported.startMiB), peakMB: mb(exported.peakMiB), bytes: exported.bytes },
      packaged: { ms: packaged.ms, startMB: mb(packaged.startMiB), peakMB: mb(packaged.peakMiB), bytes: packaged.bytes },
      reference: { ms: referenceMs, bytes: referenceBytes },
      storedBytes,
      small: { aloneMs: smallAlone.ms, besideMs: smallBeside.ms },
    };
  } finally {
    await databases?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
};

/** "Flat" memory, for the goal: the largest wave's peak at most this much over the smallest's. */
const FLAT = 1.25;

/** One place's table, its goals judged on every size, and flatness across the sizes. */
const tableOf = (runs: readonly Measured[], place: Place, smallRuns: number): string[] => {
  const rowsPerS = (size: number, ms: number) => (size / (ms / 1000)).toFixed(0);
  const reference = place.reference;
  const rows = runs.flatMap((r) => {
    const n = r.size.toLocaleString('en-GB');
    const ofReference = r.reference.ms / r.exported.ms;
    const ofExport = r.packaged.ms / r.exported.ms;
    return [
      `| ${n} | \`export\` CSV (streamed, import format) | ${(r.exported.ms / 1000).toFixed(1)} | ${rowsPerS(r.size, r.exported.ms)} | ${(r.exported.bytes / MB).toFixed(0)} | ${r.exported.startMB.toFixed(0)} | ${r.exported.peakMB.toFixed(0)} | ${times(ofReference)} of ${reference} rows/s | ≥ 0.5× ${reference} rows/s, ≤ 200 MB | ${met(ofReference >= 0.5 && r.exported.peakMB <= 200)} |`,
      `| ${n} | researcher package (disclosure control in two passes, streamed) | ${(r.packaged.ms / 1000).toFixed(1)} | ${rowsPerS(r.size, r.packaged.ms)} | ${(r.packaged.bytes / MB).toFixed(0)} | ${r.packaged.startMB.toFixed(0)} | ${r.packaged.peakMB.toFixed(0)} | ${times(ofExport)} the export's time | ≤ 2× the export's time, ≤ 300 MB | ${met(ofExport <= 2 && r.packaged.peakMB <= 300)} |`,
      `| ${n} | reference: ${reference} of the stored rows | ${(r.reference.ms / 1000).toFixed(1)} | ${rowsPerS(r.size, r.reference.ms)} | ${(r.reference.bytes / MB).toFixed(0)} | — | (another process) | 1.00× | — | — |`,
    ];
  });
  const first = runs[0]!;
  const last = runs.at(-1)!;
  const flat =
    runs.length < 2
      ? `Goal (${place.name}): the export's peak memory flat as the wave grows. Not judged: one size measured.`
      : `Goal${place === sqlite ? '' : ` (${place.name})`}: the export's peak memory flat from ${first.size.toLocaleString('en-GB')} to ${last.size.toLocaleString('en-GB')} rows (grows at most ${FLAT}×). Measured: ${first.exported.peakMB.toFixed(0)} → ${last.exported.peakMB.toFixed(0)} MB, ${times(last.exported.peakMB / first.exported.peakMB)}. Met: ${met(last.exported.peakMB <= FLAT * first.exported.peakMB)}.`;
  const on = place === sqlite ? '' : ` (${place.name})`;
  return [
    `| responses${on} | what | time (s) | rows/s | output (MB) | memory at start (MB) | peak memory (MB) | ratio | goal | met |`,
    '|---:|---|---:|---:|---:|---:|---:|---:|---|---|',
    ...rows,
    '',
    flat,
    '',
    `Part two as ${place.name} stores it (the table and its indexes${place === sqlite ? ', as `dbstat` counts their pages' : ', TOAST included, as `pg_total_relation_size` counts them'}), against the same rows as the export's CSV:`,
    '',
    `| responses${on} | stored (bytes a response) | CSV (bytes a response) | ratio | goal | met |`,
    '|---:|---:|---:|---:|---|---|',
    ...runs.map((r) => {
      const rows = r.size + SMALL_SIZE;
      const stored = r.storedBytes / rows;
      const csv = r.exported.bytes / r.size;
      return `| ${r.size.toLocaleString('en-GB')} | ${stored.toFixed(0)} | ${csv.toFixed(0)} | ${times(stored / csv)} | ≤ 2× the CSV | ${met(stored <= 2 * csv)} |`;
    }),
    '',
    `The package of a wave of ${SMALL_SIZE} responses (a real wave's size) on ${place.name}, alone in the store and again once the large wave is stored beside it, ${smallRuns === 1 ? 'each from one run' : `each the best of ${['two', 'three', 'four', 'five'][smallRuns - 2] ?? smallRuns} runs`}: what it costs should follow its own wave, not the store.`,
    '',
    `| responses beside it${on} | package alone (s) | package beside them (s) | ratio | goal | met |`,
    '|---:|---:|---:|---:|---|---|',
    ...runs.map((r) => {
      const ratio = r.small.besideMs / r.small.aloneMs;
      return `| ${r.size.toLocaleString('en-GB')} | ${(r.small.aloneMs / 1000).toFixed(2)} | ${(r.small.besideMs / 1000).toFixed(2)} | ${times(ratio)} | ≤ 1.25× alone | ${met(ratio <= FLAT)} |`;
    }),
  ];
};

/**
 * The PostgreSQL runs: the same waves in a throwaway cluster, read by the same commands (their PostgreSQL
 * path streams through a cursor) and by `psql`; skipped, saying so, where PostgreSQL is not installed.
 */
const postgresFigures = async (sizes: readonly number[], smallRuns: number): Promise<string[]> => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  try {
    cluster = await startCluster();
  } catch (error) {
    return [`PostgreSQL: not measured (${(error as Error).message.split('\n')[0]}).`];
  }
  try {
    const place = postgres(cluster.url);
    const runs: Measured[] = [];
    for (const size of sizes) runs.push(await measure(size, place, smallRuns));
    return [
      `The same on PostgreSQL (a local cluster started for the run, fsync on, both stores in it as two databases), next to \`psql\`'s \`\\copy\` of the stored rows; the goals are the same as SQLite's.`,
      '',
      ...tableOf(runs, place, smallRuns),
    ];
  } finally {
    cluster.stop();
  }
};

/**
 * Each size in its own data directory (and databases), smallest first; the goals are judged on every
 * size, flatness across them. `postgresSizes`: the sizes measured on PostgreSQL too (by default all).
 */
export const runExportBench = async (
  sizes: readonly number[] = [100_000, 1_000_000],
  postgresSizes: readonly number[] = sizes,
  // A quick run, which only shows that the benchmark runs, packages the small wave once each way.
  { smallRuns = 3 }: { smallRuns?: number } = {},
): Promise<string[]> => {
  const runs: Measured[] = [];
  for (const size of sizes) runs.push(await measure(size, sqlite, smallRuns));
  return [
    `Part two of one wave of ${sizes.map((s) => s.toLocaleString('en-GB')).join(' and of ')} responses (SQLite). Each step runs the command (\`export --out\`, \`package\`) ` +
      "in a process of its own, started as `npm run cli` starts it (tsx and the CLI's node flags); its peak memory is the kernel's high-water mark of that process (VmHWM), as `/usr/bin/time -v` reports it, " +
      'and its memory at start what the process held once the modules the command runs were loaded (MB = 10⁶ bytes).',
    '',
    ...tableOf(runs, sqlite, smallRuns),
    '',
    ...(postgresSizes.length > 0 ? await postgresFigures(postgresSizes, smallRuns) : []),
  ];
};
