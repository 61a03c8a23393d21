import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runAnalysisBench } from './analysis-bench.js';
import { runDashboardBench } from './dashboard-bench.js';
import { quickNote } from './bench-goals.js';
import { runExportBench } from './export-bench.js';
import { runPagesBench } from './pages-bench.js';
import { runSubmissionBench } from './submission-bench.js';

/**
 * `npm run bench [-- NAME ...]`: each benchmark prints its reference measured in the same run, so the
 * ratios hold on a noisy machine, and issue 16's goals beside them. The results, with the machine, go to
 * docs/benchmarks.md.
 * `npm run bench -- --quick [NAME ...]` (or BENCH_QUICK=1): tiny sizes and a second of load each, to show
 * every benchmark still runs (test/bench/benchmarks-quick.test.ts); its figures mean nothing, so
 * docs/benchmarks.md is left as it is.
 */
const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';

const benches: Record<string, { title: string; about: string; run: () => Promise<string[]> | string[] }> = {
  pages: {
    title: 'Survey pages',
    about:
      "A respondent's part-two page with the 17-row pressure rating grid (session, saved draft) from the real server at 50 connections over loopback, next to the same bytes served as a constant; and the page's weight on the wire with its assets.",
    run: () => (quick ? runPagesBench({ seconds: 1, councils: 2 }) : runPagesBench()),
  },
  submissions: {
    title: 'Submissions',
    about:
      'Durable saves of a part-two page at 50 connections over loopback, next to the same server refusing the page (validation only) and serving a page with no database; and the same saves again once 100,000 part-two answers of an earlier, closed wave are stored.',
    run: () => (quick ? runSubmissionBench({ seconds: 1, councils: 2, storedBefore: 500 }) : runSubmissionBench()),
  },
  analysis: {
    title: 'Analysis',
    about:
      "Every table of one wave (`buildTables`) from the wave's answer columns (a typed array per variable, a bitset per option of a multiple choice: `WaveColumns`, as the loader streams rows into them), next to one raw scan of the same columns, on synthetic answers in memory.",
    run: () => (quick ? runAnalysisBench([1_000]) : runAnalysisBench()),
  },
  dashboard: {
    title: 'Dashboard of a closed wave',
    about:
      "The analyst dashboard of a closed wave, at its largest section page (31 tables computed, that section's 9 charts drawn as SVG): computed on the first view, then served from the cache until the data change.",
    run: () => (quick ? runDashboardBench([200]) : runDashboardBench()),
  },
  export: {
    title: 'Export',
    about:
      'Part two of one wave out of the store: the CSV export and the researcher package, next to `sqlite3 -csv` on the same rows; and the same on PostgreSQL, next to `psql`.',
    // EXPORT_ROWS=100000 for a shorter run of one size (a million rows take several minutes to load), or
    // EXPORT_ROWS=100000,200000 for several.
    // Quick: 50 and 5,000 rows, because the package's disclosure control takes tens of seconds on a few
    // hundred to two thousand rows (measured 2026-12-07: 34 s at 1,000, 0.7 s at 5,000); on PostgreSQL the
    // 50 rows alone, which is enough to show that path runs.
    run: () =>
      quick
        ? runExportBench([50, 5_000], [50], { smallRuns: 1 })
        : runExportBench(process.env.EXPORT_ROWS ? process.env.EXPORT_ROWS.split(',').map(Number) : undefined),
  },
};

const wanted = args.filter((arg) => arg !== '--quick');
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}: choose from ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
process.stdout.write(`machine: ${machine}\n`);

// docs/benchmarks.md keeps a section per benchmark: each one that finishes replaces its own section at
// once (a long run cut short keeps what it measured), the others stay as they were.
const file = join(import.meta.dirname, '..', '..', 'docs', 'benchmarks.md');
const sectionsOf = (text: string) => {
  const sections = new Map<string, string>();
  for (const part of text.split(/\n(?=## )/).slice(1)) sections.set(part.split('\n')[0]!, part.trimEnd());
  return sections;
};
const record = (section: string) => {
  const sections = existsSync(file) ? sectionsOf(readFileSync(file, 'utf8')) : new Map<string, string>();
  sections.set(section.split('\n')[0]!, section);
  const ordered = Object.values(benches)
    .map((b) => [...sections.keys()].find((heading) => heading.startsWith(`## ${b.title} (`)))
    .filter((heading): heading is string => heading !== undefined)
    .map((heading) => sections.get(heading)!);
  writeFileSync(
    file,
    [
      '# Benchmarks',
      '',
      "Written by `npm run bench`. Each section was measured in one run of its benchmark, with its reference in the same run, on a shared machine: compare ratios, not absolute numbers. The goals are issue 16's; whether each is met was judged by the run that measured it.",
      '',
      ordered.join('\n\n'),
      '',
    ].join('\n'),
  );
};

for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  const bench = benches[name]!;
  const lines = await bench.run();
  const section = [
    `## ${bench.title} (\`npm run bench -- ${name}\`)`,
    '',
    `${bench.about} Measured on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
    ...(quick ? ['', quickNote] : []),
    '',
    ...lines,
  ].join('\n');
  process.stdout.write(`\n${section}\n`);
  if (!quick) record(section);
}
process.stdout.write(quick ? `\nquick run: ${file} not written\n` : `\nwritten to ${file}\n`);
