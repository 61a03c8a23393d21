import { describe, expect, it } from 'vitest';
import { isSensitive, suppressGroup } from '../../analysis/index.js';
import { seededRandom } from '../../analysis/statistics/seeded-random.js';
import { audit, compositions, feasible } from './disclosure-attacker.js';

const suppress = (counts: readonly number[], n: number, remainder: boolean, k = 3) => suppressGroup({ counts, n, remainder }, k);
const auditOf = (counts: readonly number[], n: number, remainder: boolean, k = 3) =>
  audit(
    counts,
    n,
    remainder,
    suppress(counts, n, remainder, k).map((m) => m !== undefined),
    k,
    (c, nn, r) => suppress(c, nn, r, k),
  );

describe('a sensitive count', () => {
  it('is below k, or within k of n; zero and n of n included; nothing is sensitive when n is 0', () => {
    expect([0, 1, 2, 3, 18, 19, 20, 21].map((c) => isSensitive(c, 21, 3))).toEqual([true, true, true, false, false, true, true, true]);
    expect(isSensitive(0, 0, 3)).toBe(false);
    // Below 2k every count is sensitive: with n = 5 and k = 3, 2 is small and 3 leaves only 2 outside.
    expect([0, 1, 2, 3, 4, 5].every((c) => isSensitive(c, 5, 3))).toBe(true);
  });
});

describe('secondary suppression of counts that add up to n', () => {
  it("the brief's case, 10, 9 and 2 of 21: suppressing only the 2 leaves it as 21 - 10 - 9, so the 9 goes too", () => {
    const naive = [false, false, true];
    expect(audit([10, 9, 2], 21, false, naive, 3)).toEqual([
      'counts [10, 9, 2] of n=21, suppressed [..S]: exactly one suppressed cell, so it is n minus the others',
      'counts [10, 9, 2] of n=21, suppressed [..S]: the linear attacker pins suppressed cell 2 to 2',
    ]);
    expect(suppress([10, 9, 2], 21, false)).toEqual([undefined, 'secondary', 'primary']);
    expect(auditOf([10, 9, 2], 21, false)).toEqual([]);
    // What the attacker is left with: 2 and 9 in some order (the procedure looks at values, not options).
    const informed = feasible({ published: [10, null, null], n: 21, remainder: false }, (c, n, r) => suppress(c, n, r));
    expect([...informed.cells.get(2)!].sort((a, b) => a - b)).toEqual([2, 9]);
  });

  it('two suppressed zeros are pinned by the total (0 + 0 = 21 - 11 - 10): a third cell is suppressed', () => {
    expect(audit([11, 10, 0, 0], 21, false, [false, false, true, true], 3)).toContain(
      'counts [11, 10, 0, 0] of n=21, suppressed [..SS]: the linear attacker pins suppressed cell 2 to 0',
    );
    expect(suppress([11, 10, 0, 0], 21, false)).toEqual([undefined, 'secondary', 'primary', 'primary']);
  });

  it('two different primary counts protect each other: no secondary needed', () => {
    expect(suppress([10, 9, 2, 0], 21, false)).toEqual([undefined, undefined, 'primary', 'primary']);
    expect(auditOf([10, 9, 2, 0], 21, false)).toEqual([]);
  });

  it('equal primary counts (2 and 2) are pinned by their sum once the reader knows they are both below 3', () => {
    expect(suppress([10, 7, 2, 2], 21, false)).toEqual([undefined, 'secondary', 'primary', 'primary']);
  });

  it('takes every tied smallest count at once: choosing one by position would tell which one was smaller', () => {
    // n = 12, the 2 is primary; the two 3s tie. Suppressing only the first 3 would tell a reader who knows
    // the rule that the hidden one is not bigger than the 3 left showing, and pin both hidden cells.
    expect(suppress([4, 3, 3, 2], 12, false)).toEqual([undefined, 'secondary', 'secondary', 'primary']);
    const positional = (counts: readonly number[], n: number) => {
      const marks: (string | undefined)[] = counts.map((c) => (isSensitive(c, n, 3) ? 'primary' : undefined));
      if (marks.filter(Boolean).length === 1) {
        const open = counts.map((c, i) => [c, i] as const).filter(([, i]) => !marks[i]);
        marks[open.sort((a, b) => a[0] - b[0] || a[1] - b[1])[0]![1]] = 'secondary';
      }
      return marks;
    };
    const published = positional([4, 3, 3, 2], 12).map((m) => m !== undefined);
    expect(audit([4, 3, 3, 2], 12, false, published, 3, positional)).toContain(
      'counts [4, 3, 3, 2] of n=12, suppressed [.S.S]: the informed attacker pins suppressed cell 3 to 2',
    );
  });

  it('suppresses the whole group when it must, and nothing when n is 0', () => {
    expect(suppress([2, 2], 4, false)).toEqual(['primary', 'primary']);
    expect(suppress([0, 0, 0], 0, false)).toEqual([undefined, undefined, undefined]);
    expect(suppress([12, 9], 21, false)).toEqual([undefined, undefined]);
  });

  it('refuses counts that do not add up to n', () => {
    expect(() => suppress([10, 9, 1], 21, false)).toThrow(/do not add up to n = 21/);
    expect(() => suppress([15, 9], 21, true)).toThrow(/do not add up to n = 21 or less/);
  });
});

describe('rating bands: low and high do not add up to n, but the middle band is n - low - high', () => {
  it('publishes both bands when the middle band is not small', () => {
    expect(suppress([12, 6], 21, true)).toEqual([undefined, undefined]);
  });

  it('suppresses a band when the middle band would be small: 12 low and 8 high of 21 says one rated 3', () => {
    expect(audit([12, 8], 21, true, [false, false], 3)).toContain(
      'counts [12, 8] + remainder 1 of n=21, suppressed [..]: the linear attacker pins the sensitive remainder to 1',
    );
    expect(suppress([12, 8], 21, true)).toEqual([undefined, 'secondary']);
    expect(auditOf([12, 8], 21, true)).toEqual([]);
  });

  it('a small band is protected by the unknown middle band: no secondary', () => {
    expect(suppress([1, 15], 21, true)).toEqual(['primary', undefined]);
    expect(auditOf([1, 15], 21, true)).toEqual([]);
  });

  it('equal bands around a small middle are both suppressed (a tie)', () => {
    expect(suppress([10, 10], 21, true)).toEqual(['secondary', 'secondary']);
  });
});

describe('property: no suppressed value can be worked out, even by a reader who knows the procedure', () => {
  it('for every table of 2 to 4 options with n up to 14, and k = 2 and 3 (exhaustive)', () => {
    const problems: string[] = [];
    let tables = 0;
    for (const k of [2, 3]) {
      for (let m = 2; m <= 4; m++) {
        for (let n = 1; n <= 14; n++) {
          for (const counts of compositions(n, m)) {
            tables++;
            problems.push(...auditOf(counts, n, false, k));
          }
        }
      }
    }
    expect(tables).toBeGreaterThan(4000);
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('for every table of 5 and 6 options with n up to 9 (exhaustive)', () => {
    const problems: string[] = [];
    for (let m = 5; m <= 6; m++) for (let n = 1; n <= 9; n++) for (const counts of compositions(n, m)) problems.push(...auditOf(counts, n, false));
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('for every rating row (low, middle, high) with n from 1 to 27, k = 2, 3 and 4 (exhaustive)', () => {
    const problems: string[] = [];
    for (const k of [2, 3, 4]) {
      for (let n = 1; n <= 27; n++) {
        for (const [low, , high] of compositions(n, 3)) problems.push(...auditOf([low!, high!], n, true, k));
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('for every group of 2 or 3 shown counts plus a never-shown remainder, n up to 12 (exhaustive)', () => {
    const problems: string[] = [];
    for (let m = 2; m <= 3; m++) {
      for (let n = 1; n <= 12; n++) for (const values of compositions(n, m + 1)) problems.push(...auditOf(values.slice(0, m), n, true));
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('for 400 random tables the size of this survey (n 11-27, 2-7 options, k 2-5), skewed to have small cells', () => {
    const random = seededRandom(20260314);
    const problems: string[] = [];
    let withSecondary = 0;
    for (let t = 0; t < 400; t++) {
      const n = 11 + Math.floor(random() * 17);
      const m = 2 + Math.floor(random() * 6);
      const k = 2 + Math.floor(random() * 4);
      const weights = Array.from({ length: m }, () => random() ** 3);
      const counts = Array.from({ length: m }, () => 0);
      const total = weights.reduce((a, b) => a + b, 0);
      for (let i = 0; i < n; i++) {
        let r = random() * total;
        let j = 0;
        while (j < m - 1 && r >= weights[j]!) r -= weights[j++]!;
        counts[j]!++;
      }
      const marks = suppressGroup({ counts, n, remainder: false }, k);
      if (marks.includes('secondary')) withSecondary++;
      // The informed attacker enumerates every split of the hidden total: keep it affordable.
      const hidden = marks.filter(Boolean).length;
      const informed = hidden <= 4 ? (c: readonly number[], nn: number, r: boolean) => suppressGroup({ counts: c, n: nn, remainder: r }, k) : undefined;
      problems.push(
        ...audit(
          counts,
          n,
          false,
          marks.map((x) => x !== undefined),
          k,
          informed,
        ),
      );
    }
    expect(withSecondary).toBeGreaterThan(40);
    expect(problems.slice(0, 5)).toEqual([]);
  });
});
