const logFactorials: number[] = [0];
const logFactorial = (n: number): number => {
  for (let i = logFactorials.length; i <= n; i++) logFactorials[i] = logFactorials[i - 1]! + Math.log(i);
  return logFactorials[n]!;
};

/** Probability of the 2x2 table with top-left `a` given its margins (hypergeometric). */
const tableProbability = (a: number, row1: number, col1: number, total: number): number =>
  Math.exp(
    logFactorial(row1) +
      logFactorial(total - row1) +
      logFactorial(col1) +
      logFactorial(total - col1) -
      logFactorial(total) -
      logFactorial(a) -
      logFactorial(row1 - a) -
      logFactorial(col1 - a) -
      logFactorial(total - row1 - col1 + a),
  );

/**
 * Two-sided Fisher's exact test on [[a, b], [c, d]]: the sum of the probabilities of every table
 * with the same margins that is no more likely than the one observed. Exact, so valid at any n.
 */
export const fisherExact = (a: number, b: number, c: number, d: number): number => {
  const row1 = a + b;
  const col1 = a + c;
  const total = a + b + c + d;
  const observed = tableProbability(a, row1, col1, total);
  let p = 0;
  let excluded = false;
  for (let x = Math.max(0, row1 + col1 - total); x <= Math.min(row1, col1); x++) {
    const px = tableProbability(x, row1, col1, total);
    // Relative tolerance: tables as likely as the observed one count, despite rounding.
    if (px <= observed * (1 + 1e-7)) p += px;
    else excluded = true;
  }
  // Every table counted (always so when a margin is 0 and only one table is possible): exactly 1,
  // not the 0.9999999999999996 that summing the rounded probabilities gives.
  return excluded ? Math.min(1, p) : 1;
};
