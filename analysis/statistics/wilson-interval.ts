export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * qnorm(0.975). Not simple-statistics' probit(0.975), which approximates the inverse error function
 * and returns 1.9572, so its intervals came out narrower than the 95 % ones of R or any textbook.
 */
const z95 = 1.959963984540054;

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
  // At 0 of n and n of n the bound is exactly 0 or 100; the formula leaves rounding noise (5.6e-15, 99.99999999999999).
  return {
    low: count <= 0 ? 0 : Math.max(0, centre - half) * 100,
    high: count >= n ? 100 : Math.min(1, centre + half) * 100,
  };
};
