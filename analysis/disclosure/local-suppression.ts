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

/** Distinct combinations and how many rows hold each. */
export interface CombinationCount {
  readonly combination: Combination;
  readonly count: number;
}

export interface ClassSuppression {
  /**
   * Aligned with the input classes: where their rows go, each part a combination (the class's own with
   * some values blanked, or the class's own) and how many of its rows take it. The counts add up to the
   * class's.
   */
  readonly parts: readonly (readonly CombinationCount[])[];
  /** Cells blanked in all. */
  readonly cells: number;
}

/** The classes as the repair sees them: by key, each with its combination and its rows now. */
type Classes = Map<string, { readonly combination: Combination; count: number }>;

interface Plan {
  readonly target: Combination;
  /** The unsafe class being repaired: all its rows move to the target. */
  readonly own: string;
  /** Rows pulled in from other classes: how many of each. */
  readonly pulled: readonly (readonly [string, number])[];
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

/** How many of the cheapest repairs the look-ahead tries at each step (it bounds the time with many quasi-identifiers). */
const lookahead = 16;

/** The unsafe class to repair next: the most specific (fewest blanks), then the smallest, then a fixed order. */
const nextUnsafe = (classes: Classes, k: number): string | undefined => {
  let best: { key: string; specificity: number; count: number } | undefined;
  for (const [key, { combination, count }] of classes) {
    if (count >= k) continue;
    const s = specificity(combination);
    if (!best || s > best.specificity || (s === best.specificity && (count < best.count || (count === best.count && key < best.key))))
      best = { key, specificity: s, count };
  }
  return best?.key;
};

/** Rows another class can give a target: `size` rows at a time, `times` such units, each row costing `each` blanks. */
interface Unit {
  readonly key: string;
  readonly size: number;
  readonly times: number;
  readonly each: number;
}

/**
 * The ways to repair one unsafe class, cheapest first: for each target (the class's combination with
 * some values blanked, or none), its rows move there and rows of other classes are pulled in until the
 * target holds k. Pulled rows come as units: a class's spare rows (beyond its k) one at a time, whole
 * classes (short ones, or the k left after the spares). Besides the cheapest filling, each candidate
 * class is also tried first, so that the look-ahead can choose which class to pull.
 */
const repairs = (classes: Classes, k: number, distinct: (j: number) => number, variants = true): Plan[] => {
  const ownKey = nextUnsafe(classes, k);
  if (ownKey === undefined) return [];
  const own = classes.get(ownKey)!;
  // The classes do not change while their repairs are listed: each column's count of values is worked out once.
  const counted = new Map<number, number>();
  const distinctOf = (j: number) => counted.get(j) ?? counted.set(j, distinct(j)).get(j)!;
  const plans: Plan[] = [];
  for (const target of generalisations(own.combination)) {
    const moved = extraBlanks(target, own.combination);
    const units: Unit[] = [];
    for (const [key, { combination, count }] of classes) {
      if (key === ownKey || !generalises(target, combination)) continue;
      const each = extraBlanks(target, combination).length;
      // Already the target, or short of k: the whole class comes (part of it would leave the rest short).
      if (each === 0 || count < k) units.push({ key, size: count, times: 1, each });
      else {
        if (count > k) units.push({ key, size: 1, times: count - k, each });
        units.push({ key, size: k, times: 1, each });
      }
    }
    // Stable: among equals, the classes' own order.
    units.sort((a, b) => a.each - b.each || a.size - b.size);
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
      let taken = own.count;
      let cost = moved.length * own.count;
      const pulled = new Map<string, number>();
      for (const unit of ordered) {
        if (taken >= k) break;
        // Spare rows one at a time, only as many as the target still needs; a whole unit otherwise.
        const rows = unit.size === 1 ? Math.min(unit.times, k - taken) : unit.size;
        pulled.set(unit.key, (pulled.get(unit.key) ?? 0) + rows);
        taken += rows;
        cost += unit.each * rows;
      }
      if (taken < k) continue;
      const blankedDistinct = moved.reduce((sum, j) => sum + distinctOf(j), 0);
      plans.push({
        target,
        own: ownKey,
        pulled: [...pulled],
        cost,
        rank: [moved.length, -blankedDistinct, -moved.reduce((sum, j) => sum + j, 0), first === undefined ? 0 : 1],
      });
    }
  }
  return plans.sort((a, b) => a.cost - b.cost || compareRanks(a.rank, b.rank));
};

/** Moves `rows` rows of class `from` to the target class (made if new); `moved` hears of each move. */
type Mover = (from: string, to: string, rows: number) => void;

const apply = (classes: Classes, plan: Plan, moved?: Mover) => {
  const to = keyOf(plan.target);
  if (!classes.has(to)) classes.set(to, { combination: plan.target, count: 0 });
  const target = classes.get(to)!;
  for (const [from, rows] of [[plan.own, classes.get(plan.own)!.count] as const, ...plan.pulled]) {
    if (from === to) continue;
    const source = classes.get(from)!;
    source.count -= rows;
    target.count += rows;
    moved?.(from, to, rows);
    if (source.count === 0) classes.delete(from);
  }
};

const copyOf = (classes: Classes): Classes => new Map([...classes].map(([key, c]) => [key, { ...c }]));

/** The plain greedy from here: always the cheapest repair. Returns the cells it blanks. */
const greedyCost = (start: Classes, k: number, distinct: (j: number) => number): number => {
  const classes = copyOf(start);
  let cost = 0;
  for (let plan = repairs(classes, k, distinct, false)[0]; plan; plan = repairs(classes, k, distinct, false)[0]) {
    cost += plan.cost;
    apply(classes, plan);
  }
  return cost;
};

/**
 * k-anonymity by local suppression, over distinct combinations and their counts: decides how many rows
 * of each combination get which cells blanked until every combination that occurs (a blank counts as
 * a value of its own, exactly as the release shows it) occurs in at least k rows. The rows themselves
 * are never needed: a class is its combination and its count, so the work grows with the number of
 * distinct combinations, not of rows. Which of a class's rows take which part is the caller's choice.
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
 * in the list, then to the classes' order in the input. Each repair leaves the repaired class with k
 * rows and takes only whole classes or spare rows, so no new short class appears: it ends, and with at
 * least k rows it always succeeds (all blank is one class).
 */
export const suppressClasses = (input: readonly CombinationCount[], k: number): ClassSuppression => {
  const total = input.reduce((sum, c) => sum + c.count, 0);
  if (total < k) throw new RangeError(`k-anonymity needs at least k = ${k} rows, not ${total}`);
  const classes: Classes = new Map();
  /** Per class now: how many rows of each input class it holds (by input index), in the order they came. */
  const members = new Map<string, Map<number, number>>();
  input.forEach(({ combination, count }, i) => {
    if (count <= 0) return;
    const key = keyOf(combination);
    const known = classes.get(key);
    if (known) known.count += count;
    else classes.set(key, { combination: [...combination], count });
    const held = members.get(key) ?? new Map<number, number>();
    held.set(i, (held.get(i) ?? 0) + count);
    members.set(key, held);
  });
  const distinct = (j: number) => new Set([...classes.values()].map((c) => c.combination[j]).filter((v) => v !== undefined)).size;
  let cells = 0;
  // Rows leave a class latest-come first: those it was given before those that were its own.
  const move: Mover = (from, to, rows) => {
    const source = members.get(from)!;
    const target = members.get(to) ?? new Map<number, number>();
    members.set(to, target);
    let left = rows;
    for (const [i, held] of [...source].reverse()) {
      if (left === 0) break;
      const n = Math.min(held, left);
      if (n === held) source.delete(i);
      else source.set(i, held - n);
      target.set(i, (target.get(i) ?? 0) + n);
      left -= n;
    }
    if (source.size === 0) members.delete(from);
  };
  for (;;) {
    const plans = repairs(classes, k, distinct);
    if (plans.length === 0) break;
    let best: { plan: Plan; total: number } | undefined;
    for (const plan of plans.slice(0, lookahead)) {
      if (best && plan.cost >= best.total) break; // sorted by cost: nothing after can do better
      const after = copyOf(classes);
      apply(after, plan);
      const total = plan.cost + greedyCost(after, k, distinct);
      if (!best || total < best.total) best = { plan, total };
    }
    cells += best!.plan.cost;
    apply(classes, best!.plan, move);
  }
  const parts: CombinationCount[][] = input.map(() => []);
  for (const [key, held] of members) for (const [i, count] of held) parts[i]!.push({ combination: classes.get(key)!.combination, count });
  return { parts, cells };
};

/**
 * `suppressClasses` over rows: the same decisions, with a class's rows taking its parts in the order
 * the rows came.
 */
export const suppressLocally = (input: readonly Combination[], k: number): LocalSuppression => {
  if (input.length < k) throw new RangeError(`k-anonymity needs at least k = ${k} rows, not ${input.length}`);
  const index = new Map<string, number>();
  const classes: { combination: Combination; rows: number[] }[] = [];
  input.forEach((combination, row) => {
    const key = keyOf(combination);
    let i = index.get(key);
    if (i === undefined) {
      i = classes.length;
      index.set(key, i);
      classes.push({ combination, rows: [] });
    }
    classes[i]!.rows.push(row);
  });
  const { parts } = suppressClasses(
    classes.map((c) => ({ combination: c.combination, count: c.rows.length })),
    k,
  );
  const rows: Combination[] = input.map((r) => [...r]);
  const blanked: [number, number][] = [];
  classes.forEach(({ combination, rows: members }, i) => {
    let at = 0;
    for (const part of parts[i]!) {
      for (const row of members.slice(at, at + part.count)) {
        rows[row] = part.combination;
        for (const j of extraBlanks(part.combination, combination)) blanked.push([row, j]);
      }
      at += part.count;
    }
  });
  return { rows, blanked };
};
