import type { SuppressionReason } from './disclosure-types.js';

/**
 * A count is sensitive when fewer than k respondents are in it, or fewer than k are outside it (then
 * almost everyone is, and the few who are not are as exposed). Zero counts are sensitive too: "none of
 * the n" says something about every one of them. With n = 0 there is nobody to protect.
 */
export const isSensitive = (count: number, n: number, k: number): boolean => n > 0 && (count < k || n - count < k);

/**
 * Counts that an attacker can add up to a published total n: the options of a single-choice item, the
 * columns of one matrix row, the bands of one rating row.
 */
export interface LinkedCounts {
  readonly counts: readonly number[];
  /** The published total: every answer in the group falls in exactly one of the counts (or the remainder). */
  readonly n: number;
  /**
   * Whether the counts leave out a category whose count, n minus the counts, is never shown: the middle
   * point of a rating folded into low and high bands. It can still be worked out, so it is protected
   * like a cell; it is never published, so it never needs suppressing itself.
   */
  readonly remainder: boolean;
}

/**
 * Primary and secondary suppression of one group of linked counts.
 *
 * Primary: every sensitive count. Secondary: while the values kept from the reader are all equal
 * (including the case of a single one), the smallest values still shown are suppressed as well, every
 * one of that value at once. A remainder takes part as one more cell: it is hidden when sensitive or
 * when it is among the smallest, at no cost, since it is never shown anyway.
 *
 * Why this is enough: the reader knows the published counts and n, so the hidden values sum to a known
 * figure. One hidden value is that figure; several equal ones (0 and 0, say) are pinned by it too. Once
 * at least two hidden values differ, none is determined, even for a reader who knows this procedure: it
 * looks only at values, never at which cell holds them, and takes every tied value at once, so swapping
 * two hidden values between their cells gives the same suppressed cells and the same published numbers.
 * (Treating the remainder as a cell keeps that symmetry; hiding it when the procedure would have
 * published it only leaves the reader knowing less.) The tests check this by brute force.
 */
export const suppressGroup = ({ counts, n, remainder }: LinkedCounts, k: number): (SuppressionReason | undefined)[] => {
  const rest = n - counts.reduce((sum, c) => sum + c, 0);
  if (rest < 0 || (!remainder && rest !== 0)) {
    throw new Error(`linked counts ${counts.join(', ')} do not add up to n = ${n}${remainder ? ' or less' : ''}`);
  }
  const values = remainder ? [...counts, rest] : [...counts];
  const marks: (SuppressionReason | undefined)[] = values.map((c) => (isSensitive(c, n, k) ? 'primary' : undefined));
  for (;;) {
    const hidden = values.filter((_, i) => marks[i] !== undefined);
    const open = values.filter((_, i) => marks[i] === undefined);
    if (hidden.length === 0 || open.length === 0 || hidden.some((v) => v !== hidden[0])) break;
    const smallest = Math.min(...open);
    values.forEach((v, i) => {
      if (marks[i] === undefined && v === smallest) marks[i] = 'secondary';
    });
  }
  return marks.slice(0, counts.length);
};
