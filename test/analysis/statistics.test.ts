import { describe, expect, it } from 'vitest';
import { fisherExact, permutationTest, wilsonInterval } from '../../analysis/index.js';

describe("Fisher's exact test, two-sided, on [[a, b], [c, d]]", () => {
  it('matches R: fisher.test(matrix(c(3,1,1,3),2))$p.value = 0.4857143', () => {
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.4857143, 7);
  });

  it('matches R: fisher.test(matrix(c(1,11,9,3),2)), i.e. [[1,9],[11,3]], p = 0.002759456', () => {
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(0.002759456, 9);
  });

  it('is symmetric under swapping rows, columns, and transposing', () => {
    const p = fisherExact(1, 9, 11, 3);
    expect(fisherExact(11, 3, 1, 9)).toBeCloseTo(p, 12);
    expect(fisherExact(9, 1, 3, 11)).toBeCloseTo(p, 12);
    expect(fisherExact(1, 11, 9, 3)).toBeCloseTo(p, 12);
  });

  it('gives the exact p = 1.450889e-11 (2 / C(40,20)) for 0 of 20 against 20 of 20', () => {
    const p = fisherExact(0, 20, 20, 0);
    expect(p).toBeGreaterThan(0);
    expect(p / 1.450889e-11).toBeCloseTo(1, 5);
  });

  it('matches the exact sum on [[2,7],[8,2]] (p = 0.02301414, exact by rational arithmetic) and on the identical halves [[5,5],[5,5]] (p = 1)', () => {
    expect(fisherExact(2, 7, 8, 2)).toBeCloseTo(0.0230141376, 9);
    // Every table is at most as likely as the most likely one: p is exactly 1.
    expect(fisherExact(5, 5, 5, 5)).toBe(1);
  });

  it('gives 1 when a margin is zero: all-zero table, an empty row, or an empty column', () => {
    expect(fisherExact(0, 0, 0, 0)).toBe(1);
    expect(fisherExact(0, 0, 3, 4)).toBe(1);
    expect(fisherExact(5, 0, 3, 0)).toBe(1);
    expect(fisherExact(0, 6, 0, 2)).toBe(1);
  });

  it('never exceeds 1 nor goes below 0', () => {
    for (let a = 0; a <= 4; a++)
      for (let c = 0; c <= 4; c++) {
        const p = fisherExact(a, 4 - a, c, 4 - c);
        expect(p).toBeGreaterThan(0);
        expect(p).toBeLessThanOrEqual(1);
      }
  });
});

describe('Wilson 95 % interval, in percent', () => {
  it('0 of 10: 0 to 27.75', () => {
    expect(wilsonInterval(0, 10)).toEqual({ low: 0, high: expect.closeTo(27.7533, 3) });
  });

  it('5 of 10: 23.66 to 76.34 (R: prop.test(5, 10, correct = FALSE)$conf.int)', () => {
    const ci = wilsonInterval(5, 10)!;
    expect(ci.low).toBeCloseTo(23.6593, 3);
    expect(ci.high).toBeCloseTo(76.3407, 3);
  });

  it('1 of 4: 4.56 to 69.94', () => {
    const ci = wilsonInterval(1, 4)!;
    expect(ci.low).toBeCloseTo(4.5587, 3);
    expect(ci.high).toBeCloseTo(69.9358, 3);
  });

  it('n of n ends exactly at 100, 0 of n starts exactly at 0', () => {
    expect(wilsonInterval(10, 10)).toEqual({ low: expect.closeTo(72.2467, 3), high: 100 });
    for (const n of [1, 3, 7, 11, 27]) {
      expect(wilsonInterval(0, n)!.low).toBe(0);
      expect(wilsonInterval(n, n)!.high).toBe(100);
    }
  });

  it('contains the observed percentage and stays within 0-100', () => {
    for (let n = 1; n <= 30; n++)
      for (let c = 0; c <= n; c++) {
        const ci = wilsonInterval(c, n)!;
        expect(ci.low).toBeGreaterThanOrEqual(0);
        expect(ci.high).toBeLessThanOrEqual(100);
        expect(ci.low).toBeLessThanOrEqual((c / n) * 100 + 1e-9);
        expect(ci.high).toBeGreaterThanOrEqual((c / n) * 100 - 1e-9);
      }
  });

  it('is null when n is 0', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('permutation test of a difference in means', () => {
  const x = [12, 15, 9, 20, 14, 11];
  const y = [8, 10, 7, 12, 9];

  it('is deterministic: the same p twice, with the same default seed', () => {
    const first = permutationTest(x, y);
    const second = permutationTest(x, y);
    expect(second).toEqual(first);
    expect(first!.resamples).toBe(10_000);
  });

  it('reports the observed difference of means, x minus y', () => {
    expect(permutationTest(x, y)!.difference).toBeCloseTo(13.5 - 9.2, 12);
    expect(permutationTest(y, x)!.difference).toBeCloseTo(9.2 - 13.5, 12);
  });

  it('gives p near 1 for identical samples', () => {
    const same = [3, 5, 7, 9, 11];
    const result = permutationTest(same, [...same])!;
    expect(result.difference).toBe(0);
    // Every resample is at least as extreme as a difference of 0.
    expect(result.p).toBe(1);
  });

  it('gives p < 0.01 for clearly separated samples (ten 1s against ten 9s)', () => {
    const result = permutationTest(Array(10).fill(1), Array(10).fill(9))!;
    expect(result.difference).toBe(-8);
    expect(result.p).toBeLessThan(0.01);
    // Only 2 of the C(20,10) = 184756 splits are as extreme, so p is about (1 + 10000 * 2/184756) / 10001.
    expect(result.p).toBeGreaterThanOrEqual(1 / 10_001);
  });

  it('is close to the exact permutation p on a small case', () => {
    // [1,2,3] vs [4,5,6]: of the 20 splits, 2 are as extreme as |difference| = 3, exact p = 0.1.
    const result = permutationTest([1, 2, 3], [4, 5, 6])!;
    expect(result.p).toBeGreaterThan(0.08);
    expect(result.p).toBeLessThan(0.12);
  });

  it('never returns p = 0 and never above 1', () => {
    const result = permutationTest([0, 0, 0, 0, 0, 0, 0, 0], [100, 100, 100, 100, 100, 100, 100, 100], 500)!;
    expect(result.p).toBeGreaterThan(0);
    expect(result.resamples).toBe(500);
    expect(permutationTest([1], [1])!.p).toBeLessThanOrEqual(1);
  });

  it('is deterministic for an explicit seed and resample count too', () => {
    const a = permutationTest(x, y, 2000, 1)!;
    const b = permutationTest(x, y, 2000, 1)!;
    expect(b.p).toBe(a.p);
  });

  it('is null when either sample is empty', () => {
    expect(permutationTest([], [1, 2])).toBeNull();
    expect(permutationTest([1, 2], [])).toBeNull();
    expect(permutationTest([], [])).toBeNull();
  });
});
