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
export const tallyNumbers = (values: readonly (number | undefined)[]): Map<number, number> => {
  const counts = new Map<number, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
};

/** The coding of one numeric variable, decided from its value counts alone: `code` turns an answer into what is released. */
export interface NumberCode {
  /** The released value of an answer: itself, a tail code, or undefined when it is withheld. */
  readonly code: (value: number) => number | undefined;
  readonly coding: NumberCoding;
}

/** The value at which `k` answers have been passed, walking the values in the order given. */
const kth = (values: readonly number[], counts: ReadonlyMap<number, number>, k: number): number => {
  let seen = 0;
  for (const v of values) {
    seen += counts.get(v)!;
    if (seen >= k) return v;
  }
  throw new RangeError(`fewer than ${k} answers`);
};

/**
 * Codes one numeric variable so that every value left in the release is held by at least k
 * respondents, from how many times each value was answered (`counts`), so that the answers themselves
 * need not be held (the researcher package counts them in one pass over the store and codes them in
 * the next):
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
export const codeNumberCounts = (variable: string, counts: ReadonlyMap<number, number>, k: number): NumberCode => {
  let answered = 0;
  for (const c of counts.values()) answered += c;
  if (answered === 0) return { code: (v) => v, coding: { variable, suppressed: 0 } };
  if (answered < k) return { code: () => undefined, coding: { variable, suppressed: answered } };
  const ascending = [...counts.keys()].sort((a, b) => a - b);
  const top = kth([...ascending].reverse(), counts, k);
  const below = ascending.filter((v) => v < top);
  const belowCount = below.reduce((sum, v) => sum + counts.get(v)!, 0);
  const bottom = belowCount >= k ? kth(below, counts, k) : undefined;
  const tail = (v: number) => (v > top ? top : bottom !== undefined && v < bottom ? bottom : v);
  const coded = new Map<number, number>();
  for (const [v, c] of counts) coded.set(tail(v), (coded.get(tail(v)) ?? 0) + c);
  const code = (v: number) => {
    const c = tail(v);
    return (coded.get(c) ?? 0) >= k ? c : undefined;
  };
  let suppressed = 0;
  let topRecoded = 0;
  let bottomRecoded = 0;
  for (const [v, c] of counts) {
    if (code(v) === undefined) suppressed += c;
    if (v > top) topRecoded += c;
    if (bottom !== undefined && v < bottom) bottomRecoded += c;
  }
  return {
    code,
    coding: {
      variable,
      ...(topRecoded > 0 ? { top: { atLeast: top, recoded: topRecoded } } : {}),
      ...(bottomRecoded > 0 ? { bottom: { atMost: bottom!, recoded: bottomRecoded } } : {}),
      suppressed,
    },
  };
};

/** `codeNumberCounts` over the answers themselves (aligned with the input; undefined where there was no answer). */
export const codeNumbers = (variable: string, input: readonly (number | undefined)[], k: number): CodedNumbers => {
  const { code, coding } = codeNumberCounts(variable, tallyNumbers(input), k);
  return { values: input.map((v) => (v === undefined ? undefined : code(v))), coding };
};
