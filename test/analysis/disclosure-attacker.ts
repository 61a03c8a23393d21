/**
 * An independent brute-force attacker for the disclosure tests. It knows what a public table shows of a
 * group of linked counts (the published counts, which cells are suppressed, and n) and enumerates every
 * full table consistent with that. Two attackers:
 * - `linear`: knows only the arithmetic (non-negative whole counts that add up to n);
 * - `informed`: also knows the suppression procedure and k, so it keeps only the tables for which the
 *   procedure (called as a black box) suppresses exactly the same cells.
 * A suppressed value is protected when the consistent tables give it at least two values.
 */

export interface PublishedGroup {
  /** null where suppressed. */
  readonly published: readonly (number | null)[];
  readonly n: number;
  /** A never-shown category completes the group (the middle rating band): the counts sum to n or less. */
  readonly remainder: boolean;
}

/** Every way to give `slots` non-negative whole numbers summing to exactly `total`. */
export function* compositions(total: number, slots: number): Generator<number[]> {
  if (slots === 0) {
    if (total === 0) yield [];
    return;
  }
  if (slots === 1) {
    yield [total];
    return;
  }
  for (let first = 0; first <= total; first++) for (const rest of compositions(total - first, slots - 1)) yield [first, ...rest];
}

/** Every full table (the counts, plus the remainder when there is one) consistent with what is published. */
export function* candidates(group: PublishedGroup): Generator<{ counts: number[]; remainder: number }> {
  const known = group.published.reduce<number>((sum, v) => sum + (v ?? 0), 0);
  const free = group.n - known;
  if (free < 0) return;
  const hidden = group.published.flatMap((v, i) => (v === null ? [i] : []));
  const slots = hidden.length + (group.remainder ? 1 : 0);
  for (const values of compositions(free, slots)) {
    const counts = group.published.map((v) => v ?? 0);
    hidden.forEach((i, j) => (counts[i] = values[j]!));
    yield { counts, remainder: group.remainder ? values[hidden.length]! : 0 };
  }
}

export interface Feasible {
  /** Per suppressed cell (by index in the group), every value it can take. */
  readonly cells: ReadonlyMap<number, ReadonlySet<number>>;
  /** Every value the remainder can take (empty when there is none). */
  readonly remainder: ReadonlySet<number>;
  readonly tables: number;
}

type Suppress = (counts: readonly number[], n: number, remainder: boolean) => readonly (unknown | undefined)[];

export const feasible = (group: PublishedGroup, suppress?: Suppress): Feasible => {
  const hidden = group.published.flatMap((v, i) => (v === null ? [i] : []));
  const cells = new Map(hidden.map((i) => [i, new Set<number>()]));
  const remainder = new Set<number>();
  let tables = 0;
  for (const candidate of candidates(group)) {
    if (suppress) {
      const marks = suppress(candidate.counts, group.n, group.remainder);
      // The attacker sees which cells are suppressed, not why.
      if (!marks.every((m, i) => (m !== undefined) === (group.published[i] === null))) continue;
    }
    tables++;
    hidden.forEach((i) => cells.get(i)!.add(candidate.counts[i]!));
    if (group.remainder) remainder.add(candidate.remainder);
  }
  return { cells, remainder, tables };
};

const sensitive = (v: number, n: number, k: number) => n > 0 && (v < k || n - v < k);

/**
 * Problems with one protected group: a sensitive count (a cell, or the never-shown remainder) left
 * readable, or a suppressed value the attacker can pin down. Empty when the group is safe.
 */
export const audit = (counts: readonly number[], n: number, remainder: boolean, suppressed: readonly boolean[], k: number, suppress?: Suppress): string[] => {
  const problems: string[] = [];
  const rest = n - counts.reduce((a, b) => a + b, 0);
  const label = `counts [${counts.join(', ')}]${remainder ? ` + remainder ${rest}` : ''} of n=${n}, suppressed [${suppressed.map((s) => (s ? 'S' : '.')).join('')}]`;
  counts.forEach((c, i) => {
    if (sensitive(c, n, k) && !suppressed[i]) problems.push(`${label}: sensitive count ${c} (cell ${i}) is published`);
  });
  const hiddenCount = suppressed.filter(Boolean).length;
  if (!remainder && hiddenCount === 1) problems.push(`${label}: exactly one suppressed cell, so it is n minus the others`);
  const group: PublishedGroup = { published: counts.map((c, i) => (suppressed[i] ? null : c)), n, remainder };
  for (const [who, attacker] of [
    ['linear', undefined],
    ['informed', suppress],
  ] as const) {
    if (who === 'informed' && !attacker) continue;
    const result = feasible(group, attacker);
    if (result.tables === 0) problems.push(`${label}: the ${who} attacker finds no table at all (the true one must be among them)`);
    for (const [i, values] of result.cells) {
      if (values.size < 2) problems.push(`${label}: the ${who} attacker pins suppressed cell ${i} to ${[...values].join()}`);
    }
    if (remainder && sensitive(rest, n, k) && result.remainder.size < 2) {
      problems.push(`${label}: the ${who} attacker pins the sensitive remainder to ${[...result.remainder].join()}`);
    }
  }
  return problems;
};
