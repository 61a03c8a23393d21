/** What was done to one numeric variable (a number item, or one row of a matrix of numbers). */
export interface NumberCoding {
  /** `groups_involved`, or `time_share.children` for a matrix row (its CSV column). */
  readonly variable: string;
  /** Values above `atLeast` were replaced by it: in the release, `atLeast` means "atLeast or more". */
  readonly top?: { readonly atLeast: number; readonly recoded: number };
  /** Values below `atMost` were replaced by it: in the release, `atMost` means "atMost or less". */
  readonly bottom?: { readonly atMost: number; readonly recoded: number };
  /** Answers blanked because no coding could give them k companions (rare values between the tails, or too few answers). */
  readonly suppressed: number;
}

export interface CodedNumbers {
  /** Aligned with the input; undefined where there was no answer or the answer was suppressed. */
  readonly values: readonly (number | undefined)[];
  readonly coding: NumberCoding;
}

/** How many times each value occurs: counted once, so coding stays linear in the number of answers. */
const tally = (values: readonly number[]): Map<number, number> => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
};

/**
 * Codes one numeric variable so that every value left in the release is held by at least k
 * respondents:
 *
 * 1. top-code: T is the k-th largest answer; answers above T become T ("T or more"), so T is held by at
 *    least k. When the largest value is already shared by k, T is that value and nothing changes;
 * 2. bottom-code the same way at B, the k-th smallest, when at least k answers lie below T (otherwise
 *    the few below T are too rare to stand alone and fall to step 3);
 * 3. any answer still held by fewer than k (between B and T, or below T when bottom-coding was not
 *    possible) is blanked: coding it into a neighbour would claim a value the respondent did not give.
 *
 * Fewer than k answers in all: every one is blanked.
 */
export const codeNumbers = (variable: string, input: readonly (number | undefined)[], k: number): CodedNumbers => {
  const answered = input.filter((v): v is number => v !== undefined);
  if (answered.length === 0) return { values: [...input], coding: { variable, suppressed: 0 } };
  if (answered.length < k) return { values: input.map(() => undefined), coding: { variable, suppressed: answered.length } };
  const descending = [...answered].sort((a, b) => b - a);
  const top = descending[k - 1]!;
  const below = descending.filter((v) => v < top).reverse();
  const bottom = below.length >= k ? below[k - 1]! : undefined;
  const coded = input.map((v) => (v === undefined ? undefined : v > top ? top : bottom !== undefined && v < bottom ? bottom : v));
  const counts = tally(coded.filter((v): v is number => v !== undefined));
  let suppressed = 0;
  const values = coded.map((v) => {
    if (v === undefined || counts.get(v)! >= k) return v;
    suppressed++;
    return undefined;
  });
  const topRecoded = answered.filter((v) => v > top).length;
  const bottomRecoded = bottom === undefined ? 0 : answered.filter((v) => v < bottom).length;
  return {
    values,
    coding: {
      variable,
      ...(topRecoded > 0 ? { top: { atLeast: top, recoded: topRecoded } } : {}),
      ...(bottomRecoded > 0 ? { bottom: { atMost: bottom!, recoded: bottomRecoded } } : {}),
      suppressed,
    },
  };
};
