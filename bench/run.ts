import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runAnalysisBench } from './analysis-bench.js';
import { runDashboardBench } from './dashboard-bench.js';
import { runExportBench } from './export-bench.js';
import { runSubmissionBench } from './submission-bench.js';

/**
 * `npm run bench [-- NAME ...]`: each benchmark prints its reference measured in the same run, so the
 * ratios hold on a noisy machine. The results, with the machine, go to docs/benchmarks.md (the sections
 * of the benchmarks that ran).
 */
const benches: Record<string, { title: string; about: string; run: () => Promise<string[]> | string[] }> = {
  submissions: {
    title: 'Submissions',
    about: 'Durable saves of a part-two page at 50 connections over loopback, next to the same server refusing the page (validation only) and serving a page with no database.',
    run: () => runSubmissionBench(),
  },
  analysis: {
    title: 'Analysis',
    about: 'Every table of one wave (`buildTables`) next to one raw scan of the columns the tables read, on synthetic answers in memory.',
    run: () => runAnalysisBench(),
  },
  dashboard: {
    title: 'Dashboard of a closed wave',
    about: 'The analyst dashboard (31 tables and their charts drawn as SVG) of a closed wave: computed on the first view, then served from the cache until the data change.',
    run: () => runDashboardBench(),
  },
  export: {
    title: 'Export',
    about: 'Part two of a million responses out of the store: the CSV export and the researcher package, next to `sqlite3 -csv` on the same rows.',
    run: () => runExportBench(),
  },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}: choose from ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const out = [`machine: ${machine}`];
process.stdout.write(`${out[0]}\n`);
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  const bench = benches[name]!;
  const section = [`## ${bench.title} (\`npm run bench -- ${name}\`)`, '', bench.about, '', ...(await bench.run())];
  process.stdout.write(`\n${section.join('\n')}\n`);
  out.push('', ...section);
}
// Every run updates docs/benchmarks.md: the sections of the benchmarks that ran are replaced, the others kept.
const file = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
const sectionsOf = (text: string) => {
  const sections = new Map<string, string>();
  for (const part of text.split(/\n(?=## )/).slice(1)) sections.set(part.split('\n')[0]!, part.trimEnd());
  return sections;
};
const kept = existsSync(file) ? sectionsOf(readFileSync(file, 'utf8')) : new Map<string, string>();
const fresh = sectionsOf(out.join('\n'));
const ordered = Object.values(benches)
  .map((b) => [...fresh.keys(), ...kept.keys()].find((heading) => heading.startsWith(`## ${b.title} (`)))
  .filter((heading): heading is string => heading !== undefined)
  .map((heading) => fresh.get(heading) ?? kept.get(heading)!);
writeFileSync(
  file,
  [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\`; last run on ${new Date().toISOString().slice(0, 10)}, ${machine}. Each section was measured in one run of its benchmark, with its reference, on a shared machine: compare ratios, not absolute numbers.`,
    '',
    ordered.join('\n\n'),
    '',
  ].join('\n'),
);
process.stdout.write(`\nwritten to ${file}\n`);
