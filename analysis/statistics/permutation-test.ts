import { mean } from 'simple-statistics';
import { seededRandom } from './seeded-random.js';

export interface PermutationResult {
  readonly difference: number;
  readonly p: number;
  readonly resamples: number;
}

/**
 * Two-sided permutation test of a difference in means. simple-statistics has one, but it draws from
 * Math.random; this one is seeded so a report gives the same p-value every time it is built.
 * p = (resamples at least as extreme + 1) / (resamples + 1), which is never 0.
 */
export const permutationTest = (x: readonly number[], y: readonly number[], resamples = 10_000, seed = 2020): PermutationResult | null => {
  if (x.length === 0 || y.length === 0) return null;
  const observed = mean([...x]) - mean([...y]);
  const pooled = [...x, ...y];
  const random = seededRandom(seed);
  const tolerance = 1e-9 * Math.max(1, Math.abs(observed));
  const total = pooled.reduce((s, v) => s + v, 0);
  let extreme = 0;
  for (let r = 0; r < resamples; r++) {
    // Partial Fisher-Yates: the first x.length elements become a random sample for group x.
    let sumX = 0;
    for (let i = 0; i < x.length; i++) {
      const j = i + Math.floor(random() * (pooled.length - i));
      [pooled[i], pooled[j]] = [pooled[j]!, pooled[i]!];
      sumX += pooled[i]!;
    }
    const diff = sumX / x.length - (total - sumX) / y.length;
    if (Math.abs(diff) >= Math.abs(observed) - tolerance) extreme++;
  }
  return { difference: observed, p: (extreme + 1) / (resamples + 1), resamples };
};
