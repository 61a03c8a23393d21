import { cpus, totalmem } from 'node:os';
import { runAnalysisBench } from './analysis-bench.js';

/** `npm run bench [-- NAME]`: benchmarks print their reference measured in the same run. */
const benches: Record<string, () => string[]> = {
  analysis: () => runAnalysisBench(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}: choose from ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
process.stdout.write(`machine: ${machine}\n`);
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  process.stdout.write(`\n## ${name}\n\n${benches[name]!().join('\n')}\n`);
}
