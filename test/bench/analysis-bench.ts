import { performance } from 'node:perf_hooks';
import { buildTables, tableCatalogue } from '../../analysis/index.js';
import { findBundledWave, definitionOfWave, type Answers } from '../../survey-definitions/index.js';
import { met } from './bench-goals.js';
import { syntheticAnswers } from './synthetic-answers.js';

/**
 * All tables of one wave next to one raw scan of the same columns: the ratio says how much the
 * table logic costs over merely reading the answers.
 */
const bestOf = (runs: number, work: () => unknown): number => {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
};

const rawScan = (responses: readonly Answers[], items: readonly string[]): number => {
  let touched = 0;
  for (const answers of responses) {
    for (const id of items) {
      const value = answers[id];
      if (value === undefined) continue;
      if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) touched += v === undefined ? 0 : 1;
      else touched++;
    }
  }
  return touched;
};

export const runAnalysisBench = (sizes = [10_000, 100_000, 1_000_000]): string[] => {
  const definition = definitionOfWave(findBundledWave('2020-06')!);
  // Issue 16's goal is stated at a million responses; it is shown on every row to see the trend.
  const lines = ['| responses | all tables (ms) | raw scan (ms) | ratio | goal | met |', '|---:|---:|---:|---:|---|---|'];
  for (const size of sizes) {
    const responses = {
      identifiable: syntheticAnswers(definition, 'identifiable', size, 1),
      anonymous: syntheticAnswers(definition, 'anonymous', size, 2),
    };
    const wave = { wave: '2020-06', definition, responses };
    // Best of three, but once at a million: each run takes tens of seconds.
    const runs = size >= 1_000_000 ? 1 : 3;
    const tables = bestOf(runs, () => buildTables(wave));
    const scan = bestOf(runs, () =>
      (['identifiable', 'anonymous'] as const).reduce(
        (n, part) =>
          n +
          rawScan(
            responses[part],
            tableCatalogue.filter((t) => t.part === part).flatMap((t) => t.items),
          ),
        0,
      ),
    );
    lines.push(
      `| ${size.toLocaleString('en-GB')} | ${tables.toFixed(1)} | ${scan.toFixed(1)} | ${(tables / scan).toFixed(1)} | ≤ 1.5× one raw scan | ${met(tables / scan <= 1.5)} |`,
    );
  }
  return lines;
};
