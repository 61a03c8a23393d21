import { probit } from 'simple-statistics';

export interface Interval {
  readonly low: number;
  readonly high: number;
}

const z95 = probit(0.975);

/**
 * Wilson score interval for a proportion, in percent. Unlike the textbook normal interval it stays
 * inside 0-100 and behaves at the tiny n (11-27) of this survey, including 0 and n of n.
 */
export const wilsonInterval = (count: number, n: number, z = z95): Interval | null => {
  if (n <= 0) return null;
  const p = count / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half) * 100, high: Math.min(1, centre + half) * 100 };
};
