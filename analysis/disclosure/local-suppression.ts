/**
 * One row's quasi-identifier values as text (`undefined` = suppressed). The caller gives "not answered"
 * a value of its own when the release shows it apart from a suppressed cell (as the researcher
 * microdata does), and leaves it `undefined` when both would read alike.
 */
export type Combination = readonly (string | undefined)[];

export interface LocalSuppression {
  /** The combinations after suppression, aligned with the input rows. */
  readonly rows: readonly Combination[];
  /** `[row, quasi-identifier index]` of every cell blanked. */
  readonly blanked: readonly (readonly [number, number])[];
}

const keyOf = (c: Combination) => JSON.stringify(c.map((v) => v ?? null));
const specificity = (c: Combination) => c.filter((v) => v !== undefined).length;
/** Whether `row` can be turned into `target` by blanking cells: it agrees wherever the target has a value. */
const generalises = (target: Combination, row: Combination) => target.every((v, j) => v === undefined || v === row[j]);
/** The cells to blank to turn `row` into `target`. */
const extraBlanks = (target: Combination, row: Combination) => target.flatMap((v, j) => (v === undefined && row[j] !== undefined ? [j] : []));

/** Every combination obtained by blanking some (or none) of the values of `c`. */
const generalisations = (c: Combination): Combination[] =>
  c.reduce<Combination[]>((acc, v, j) => (v === undefined ? acc : acc.flatMap((g) => [g, g.map((x, i) => (i === j ? undefined : x))])), [c]);

interface Plan {
  readonly target: Combination;
  readonly rows: readonly number[];
  readonly cost: number;
  /** Tie-breaks, lower first. */
  readonly rank: readonly number[];
}

const compareRanks = (a: readonly number[], b: readonly number[]) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

type Rows = (string | undefined)[][];

/** How many of the cheapest repairs the look-ahead tries at each step (it bounds the time with many quasi-identifiers). */
const lookahead = 16;

/** The unsafe class to repair next: the most specific (fewest blanks), then the smallest, then a fixed order. */
const nextUnsafe = (rows: Rows, k: number) => {
  const classes = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = keyOf(r);
    const members = classes.get(key);
    // Appended in place: copying the class for every row would be quadratic in its size.
    if (members) members.push(i);
    else classes.set(key, [i]);
  });
  const unsafe = [...classes.entries()]
    .filter(([, members]) => members.length < k)
    .sort(([ka, a], [kb, b]) => specificity(rows[b[0]!]!) - specificity(rows[a[0]!]!) || a.length - b.length || (ka < kb ? -1 : 1));
  return unsafe.length === 0 ? undefined : { key: unsafe[0]![0], members: unsafe[0]![1], classes };
};

/**
 * The ways to repair one unsafe class, cheapest first: for each target (the class's combination with
 * some values blanked, or none), its rows move there and rows of other classes are pulled in until the
 * target holds k. Pulled rows come as units: a class's spare rows (beyond its k) one at a time, whole
 * classes (short ones, or the k left after the spares). Besides the cheapest filling, each candidate
 * class is also tried first, so that the look-ahead can choose which class to pull.
 */
const repairs = (rows: Rows, k: number, distinct: (j: number) => number, variants = true): Plan[] => {
  const next = nextUnsafe(rows, k);
  if (!next) return [];
  const { key: ownKey, members, classes } = next;
  const own = rows[members[0]!]!;
  const plans: Plan[] = [];
  for (const target of generalisations(own)) {
    const moved = extraBlanks(target, own);
    const units = [...classes.entries()]
      .filter(([key, rs]) => key !== ownKey && generalises(target, rows[rs[0]!]!))
      .flatMap(([key, rs]) => {
        const each = extraBlanks(target, rows[rs[0]!]!).length;
        // Already the target, or short of k: the whole class comes (part of it would leave the rest short).
        if (each === 0 || rs.length < k) return [{ key, rows: rs, each }];
        return [...rs.slice(k).map((r) => ({ key, rows: [r], each })), { key, rows: rs.slice(0, k), each }];
      })
      .sort((a, b) => a.each - b.each || a.rows.length - b.rows.length);
    const firsts = variants ? [undefined, ...new Set(units.filter((u) => u.each > 0).map((u) => u.key))] : [undefined];
    for (const first of firsts) {
      const ordered =
        first === undefined
          ? units
          : [
              ...units.filter((u) => u.each === 0),
              ...units.filter((u) => u.key === first && u.each > 0),
              ...units.filter((u) => u.key !== first && u.each > 0),
            ];
      const taken = [...members];
      let cost = moved.length * members.length;
      for (const unit of ordered) {
        if (taken.length >= k) break;
        taken.push(...unit.rows);
        cost += unit.each * unit.rows.length;
      }
      if (taken.length < k) continue;
      const blankedDistinct = moved.reduce((sum, j) => sum + distinct(j), 0);
      plans.push({ target, rows: taken, cost, rank: [moved.length, -blankedDistinct, -moved.reduce((sum, j) => sum + j, 0), first === undefined ? 0 : 1] });
    }
  }
  return plans.sort((a, b) => a.cost - b.cost || compareRanks(a.rank, b.rank));
};

const apply = (rows: Rows, plan: Plan, blanked?: [number, number][]) => {
  for (const row of plan.rows) {
    for (const j of extraBlanks(plan.target, rows[row]!)) {
      rows[row]![j] = undefined;
      blanked?.push([row, j]);
    }
  }
};

/** The plain greedy from here: always the cheapest repair. Returns the cells it blanks. */
const greedyCost = (start: Rows, k: number, distinct: (j: number) => number): number => {
  const rows = start.map((r) => [...r]);
  let cost = 0;
  for (let plan = repairs(rows, k, distinct, false)[0]; plan; plan = repairs(rows, k, distinct, false)[0]) {
    cost += plan.cost;
    apply(rows, plan);
  }
  return cost;
};

/**
 * k-anonymity by local suppression: blanks quasi-identifier cells until every combination that occurs
 * (a blank counts as a value of its own, exactly as the release shows it) occurs in at least k rows.
 *
 * Why a blank is a value of its own, not a wildcard: a reader who knows a person's true values looks
 * for the rows that could be theirs, i.e. rows agreeing with them or blank. The person's own row
 * shares its released combination with k - 1 others, and each of those agrees with the person or is
 * blank wherever the person's row is, so at least k rows could be theirs. Counting blanks as wildcards
 * (as some tools do) lets one blank row stand in for several combinations and overstates protection.
 *
 * Greedy with a one-step look-ahead, not optimal (the optimum is NP-hard). Repeatedly, the most
 * specific combination held by fewer than k rows is repaired (`repairs`: move its rows to a
 * generalisation of it, pull rows of other classes in). Of the 16 cheapest repairs, the one chosen is
 * the one with the fewest blanks in all once the plain greedy (always the cheapest repair) has finished
 * from there; ties go to the cheaper repair now, then to the target that keeps more values, then to
 * blanking the quasi-identifiers with more distinct values (the more identifying), then the later ones
 * in the list. Each repair leaves the repaired class with k rows and takes only whole classes or spare
 * rows, so no new short class appears: it ends, and with at least k rows it always succeeds (all blank
 * is one class).
 */
export const suppressLocally = (input: readonly Combination[], k: number): LocalSuppression => {
  if (input.length < k) throw new RangeError(`k-anonymity needs at least k = ${k} rows, not ${input.length}`);
  const rows: Rows = input.map((r) => [...r]);
  const blanked: [number, number][] = [];
  const distinct = (j: number) => new Set(rows.map((r) => r[j]).filter((v) => v !== undefined)).size;
  for (;;) {
    const plans = repairs(rows, k, distinct);
    if (plans.length === 0) return { rows, blanked };
    let best: { plan: Plan; total: number } | undefined;
    for (const plan of plans.slice(0, lookahead)) {
      if (best && plan.cost >= best.total) break; // sorted by cost: nothing after can do better
      const after = rows.map((r) => [...r]);
      apply(after, plan);
      const total = plan.cost + greedyCost(after, k, distinct);
      if (!best || total < best.total) best = { plan, total };
    }
    apply(rows, best!.plan, blanked);
  }
};
