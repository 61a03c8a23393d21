/**
 * Builds the respondent-level rows that `answer-spec.ts` specifies. The answers are dealt out to rows
 * deterministically: a mulberry32 PRNG seeded from the wave, part and item id (so changing one item never
 * reshuffles another) shuffles the answers and picks who answers. Respondents have a fixed "engagement" order,
 * so the same people tend to leave later questions blank, as in a real survey. A few answers are placed on
 * purpose: chaired groups never exceed attended ones, the additional-hours frequency and band are specified
 * jointly, a quoted comment goes to a respondent whose answers agree with it.
 */
import { stringify } from 'csv-stringify/sync';
import { definitionOfWave, findBundledWave, itemsOf, kindOf, partOf, type Item } from '../survey-definitions/index.js';
import { councilCategory, emailOf, fail, rep, type Counts, type PartSpec } from './answer-spec.js';
import type { Part, Wave } from './published-figures.js';

type MutableRow = Record<string, string>;

// =========================================================================================== PRNG

/** FNV-1a, to turn a label such as "2020-06/anonymous/pressure" into a seed. */
const hash32 = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
};

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. Returns floats in [0, 1). */
const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const SEED = 20200624;
/**
 * How loosely "engagement" orders who answers: a respondent's score for an item is their engagement rank
 * plus a uniform jitter of up to JITTER x wave size. Smaller values nest the blanks more strictly (and leave
 * the least engaged respondents with nearly empty rows); 1.2 keeps every row substantial (checked in figure-check.ts).
 */
const JITTER = 1.2;

class Rng {
  private readonly next: () => number;
  constructor(label: string) {
    this.next = mulberry32(hash32(`${SEED}/${label}`));
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Fisher-Yates, on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

// =========================================================================================== building rows
/** The CSV columns of a part, in the export's order, and its items by id. */
export const layoutOf = (wave: Wave, part: Part) => {
  const w = findBundledWave(wave) ?? fail(wave, 'unknown wave');
  const items = itemsOf(partOf(definitionOfWave(w), part));
  const header = items.flatMap((item) => kindOf(item).columns(item));
  return { header, items: new Map(items.map((i) => [i.id, i] as const)) };
};

/** The option codes (or matrix column codes, or rating values) an item accepts. */
const codesOf = (item: Item): string[] => {
  const i = item as unknown as { options?: { code: string }[]; columns?: { code: string }[]; scale?: { min: number; max: number } };
  if (i.options) return i.options.map((o) => o.code);
  if (i.columns) return i.columns.map((c) => c.code);
  if (i.scale) return Array.from({ length: i.scale.max - i.scale.min + 1 }, (_, k) => String(i.scale!.min + k));
  return [];
};

const rowIdsOf = (item: Item): string[] => ((item as unknown as { rows?: { id: string }[] }).rows ?? []).map((r) => r.id);

/** Expands counts into a list of codes ('' for blank), checking codes and the total. */
const expand = (where: string, counts: Counts, codes: readonly string[], total: number): string[] => {
  const out: string[] = [];
  for (const [code, k] of Object.entries(counts)) {
    if (code !== 'blank' && !codes.includes(code)) fail(where, `"${code}" is not one of ${codes.join(', ')}`);
    if (!Number.isInteger(k) || k < 0) fail(where, `count for ${code} must be a whole number`);
    out.push(...rep(0, k).map(() => (code === 'blank' ? '' : code)));
  }
  if (!('blank' in counts)) fail(where, 'say how many left it blank (blank: 0 if none)');
  if (out.length !== total) fail(where, `counts add up to ${out.length}, not ${total}`);
  return out;
};

/**
 * Values for one time_share area: n whole percentages whose mean rounds to `mean`. Their total is the
 * multiple of 5 (1 for small means) nearest to mean x n among the totals that round correctly; values are
 * drawn around the mean and nudged until they reach that total.
 */
const shareValues = (where: string, n: number, target: number, rng: Rng): number[] => {
  const lo = Math.ceil((target - 0.5) * n - 1e-9);
  const hi = Math.ceil((target + 0.5) * n - 1e-9) - 1;
  let step = target >= 10 ? 5 : 1;
  let totals = Array.from({ length: hi - lo + 1 }, (_, k) => lo + k).filter((t) => t % step === 0);
  if (totals.length === 0) {
    step = 1;
    totals = Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
  }
  const total = totals.reduce((best, t) => (Math.abs(t - target * n) < Math.abs(best - target * n) ? t : best));
  const min = target >= 3 ? step : 0;
  const snap = (x: number) => Math.min(100, Math.max(min, Math.round(x / step) * step));
  const values = Array.from({ length: n }, () => snap(target * (0.35 + 1.3 * rng.float())));
  let diff = total - values.reduce((a, b) => a + b, 0);
  for (let guard = 0; diff !== 0; guard++) {
    if (guard > 100_000) fail(where, 'could not reach the total');
    const i = rng.int(n);
    const next = values[i]! + Math.sign(diff) * step;
    if (next < min || next > 100) continue;
    values[i] = next;
    diff -= Math.sign(diff) * step;
  }
  if (Math.round(values.reduce((a, b) => a + b, 0) / n) !== target) fail(where, 'mean does not round to the target');
  return values;
};

export const buildPart = (ps: PartSpec): MutableRow[] => {
  const where = `${ps.wave} ${ps.part}`;
  const { header, items } = layoutOf(ps.wave, ps.part);
  const rows: MutableRow[] = Array.from({ length: ps.size }, () => Object.fromEntries(header.map((c) => [c, ''])));
  const rng = (label: string) => new Rng(`${ps.wave}/${ps.part}/${label}`);
  const itemOf = (id: string) => items.get(id) ?? fail(where, `no item ${id} in this part of the wave's definition`);

  // Part one rows are in council order; each is one council.
  if (ps.people) {
    if (ps.people.length !== ps.size) fail(where, `${ps.people.length} people for ${ps.size} rows`);
    const sorted = [...ps.people].sort(([a], [b]) => a.localeCompare(b));
    sorted.forEach(([council, person], i) => {
      const row = rows[i]!;
      const category = councilCategory[council] ?? fail(where, `no category for ${council}`);
      Object.assign(row, { name: person.name, email: emailOf(person), local_authority: council, urban_rural: category });
    });
  }

  // Engagement: rank 0 is the respondent most likely to answer an optional question.
  const rank = new Map(
    rng('engagement')
      .shuffle(rows.map((_, i) => i))
      .map((r, k) => [r, k] as const),
  );
  /** Picks k respondents from the pool, preferring the engaged, with jitter so blanks are not strictly nested. */
  const answerers = (r: Rng, k: number, pool: readonly number[] = rows.map((_, i) => i)): number[] => {
    if (k > pool.length) fail(where, `wants ${k} answers from ${pool.length} respondents`);
    const jitter = ps.size * JITTER;
    return pool
      .map((i) => ({ i, score: rank.get(i)! + r.float() * jitter }))
      .sort((a, b) => a.score - b.score)
      .slice(0, k)
      .map((x) => x.i);
  };

  for (const s of ps.items) {
    switch (s.kind) {
      case 'single': {
        const item = itemOf(s.item);
        const r = rng(s.item);
        const rest = expand(`${where} ${s.item}`, s.counts, codesOf(item), ps.size).filter((v) => v !== '');
        // Preferred codes first: rows matching the test take the code while it lasts.
        const placed = new Set<number>();
        for (const [code, test] of Object.entries(s.prefer ?? {})) {
          const matching = r.shuffle(rows.map((_, i) => i).filter((i) => !placed.has(i) && test(rows[i]!)));
          for (const i of matching) {
            const at = rest.indexOf(code);
            if (at < 0) break;
            rest.splice(at, 1);
            rows[i]![s.item] = code;
            placed.add(i);
          }
        }
        const who = answerers(
          r,
          rest.length,
          rows.map((_, i) => i).filter((i) => !placed.has(i)),
        );
        r.shuffle(rest).forEach((v, k) => (rows[who[k]!]![s.item] = v));
        break;
      }
      case 'multi': {
        const item = itemOf(s.item);
        const r = rng(s.item);
        const codes = codesOf(item);
        for (const code of Object.keys(s.counts)) if (!codes.includes(code)) fail(`${where} ${s.item}`, `"${code}" is not an option`);
        const answered = answerers(r, s.answered);
        const none = new Set(r.shuffle(answered).slice(0, s.noneChosen));
        const choosers = answered.filter((i) => !none.has(i));
        for (const i of answered) for (const code of codes) rows[i]![`${s.item}.${code}`] = '0';
        // Spread ticks: each option goes to those with the fewest ticks so far (with jitter), so nobody who
        // answered is left with none by chance.
        const ticks = new Map<number, number>(choosers.map((i) => [i, 0]));
        for (const code of codes) {
          const k = s.counts[code] ?? fail(`${where} ${s.item}`, `no count for option ${code}`);
          if (k > choosers.length) fail(`${where} ${s.item}`, `${k} ticks of ${code} among ${choosers.length}`);
          const chosen = choosers
            .map((i) => ({ i, score: ticks.get(i)! + r.float() * 2.5 }))
            .sort((a, b) => a.score - b.score)
            .slice(0, k);
          for (const { i } of chosen) {
            rows[i]![`${s.item}.${code}`] = '1';
            ticks.set(i, ticks.get(i)! + 1);
          }
        }
        break;
      }
      case 'matrix': {
        const item = itemOf(s.item);
        const rowIds = rowIdsOf(item);
        if (Object.keys(s.rows).sort().join() !== [...rowIds].sort().join()) fail(`${where} ${s.item}`, 'give every matrix row');
        for (const rowId of rowIds) {
          const r = rng(`${s.item}.${rowId}`);
          const values = expand(`${where} ${s.item}.${rowId}`, s.rows[rowId]!, codesOf(item), ps.size).filter((v) => v !== '');
          const who = answerers(r, values.length);
          r.shuffle(values).forEach((v, k) => (rows[who[k]!]![`${s.item}.${rowId}`] = v));
        }
        break;
      }
      case 'ratings': {
        const item = itemOf(s.item);
        const rowIds = rowIdsOf(item);
        if (Object.keys(s.rows).sort().join() !== [...rowIds].sort().join()) fail(`${where} ${s.item}`, 'give every matrix row');
        const sizes = rowIds.map((id) => s.rows[id]!.reduce((a, b) => a + b, 0));
        const pool = answerers(rng(`${s.item}/pool`), Math.max(...sizes));
        for (const rowId of rowIds) {
          const r = rng(`${s.item}.${rowId}`);
          const values = s.rows[rowId]!.flatMap((k, rating) => rep(rating + 1, k).map(String));
          const who = answerers(r, values.length, pool);
          r.shuffle(values).forEach((v, k) => (rows[who[k]!]![`${s.item}.${rowId}`] = v));
        }
        break;
      }
      case 'shares': {
        const item = itemOf(s.item);
        const rowIds = rowIdsOf(item);
        if (Object.keys(s.rows).sort().join() !== [...rowIds].sort().join()) fail(`${where} ${s.item}`, 'give every matrix row');
        const pool = answerers(rng(`${s.item}/pool`), Math.max(...rowIds.map((id) => s.rows[id]!.n)));
        for (const rowId of rowIds) {
          const r = rng(`${s.item}.${rowId}`);
          const { n, mean: target } = s.rows[rowId]!;
          const values = shareValues(`${where} ${s.item}.${rowId}`, n, target, r);
          const who = answerers(r, n, pool);
          values.forEach((v, k) => (rows[who[k]!]![`${s.item}.${rowId}`] = String(v)));
        }
        break;
      }
      case 'numbers': {
        itemOf(s.item);
        const r = rng(s.item);
        if (s.notAbove === undefined) {
          const who = answerers(r, s.values.length);
          r.shuffle(s.values).forEach((v, k) => (rows[who[k]!]![s.item] = String(v)));
        } else {
          // Pair sorted values with respondents sorted by their `notAbove` value, so none exceeds it.
          const limit = s.notAbove;
          const pool = rows.map((_, i) => i).filter((i) => rows[i]![limit] !== '');
          const who = answerers(r, s.values.length, pool).sort((a, b) => Number(rows[a]![limit]) - Number(rows[b]![limit]) || a - b);
          const sorted = [...s.values].sort((a, b) => a - b);
          who.forEach((i, k) => {
            if (sorted[k]! > Number(rows[i]![limit])) fail(`${where} ${s.item}`, `value ${sorted[k]} above ${limit} ${rows[i]![limit]}`);
            rows[i]![s.item] = String(sorted[k]);
          });
        }
        break;
      }
      case 'joint': {
        const [a, b] = s.items;
        const codesA = codesOf(itemOf(a));
        const codesB = codesOf(itemOf(b));
        const r = rng(`${a}+${b}`);
        const tuples: [string, string][] = [];
        for (const [ca, cb, k] of s.combos) {
          if (ca !== '' && !codesA.includes(ca)) fail(`${where} ${a}`, `"${ca}" is not an option`);
          if (cb !== '' && !codesB.includes(cb)) fail(`${where} ${b}`, `"${cb}" is not an option`);
          tuples.push(...rep(0, k).map((): [string, string] => [ca, cb]));
        }
        if (tuples.length !== ps.size) fail(`${where} ${a}+${b}`, `combinations add up to ${tuples.length}, not ${ps.size}`);
        // The fuller answers go to the more engaged respondents.
        const filled = (t: [string, string]) => (t[0] !== '' ? 1 : 0) + (t[1] !== '' ? 1 : 0);
        const ordered = r.shuffle(tuples).sort((x, y) => filled(y) - filled(x));
        const who = answerers(r, ps.size);
        ordered.forEach(([va, vb], k) => Object.assign(rows[who[k]!]!, { [a]: va, [b]: vb }));
        break;
      }
      case 'text': {
        itemOf(s.item);
        const r = rng(s.item);
        const order = answerers(r, ps.size);
        for (const answer of s.answers) {
          const i = order.find((k) => rows[k]![s.item] === '' && (answer.where ?? (() => true))(rows[k]!));
          if (i === undefined) fail(`${where} ${s.item}`, `nobody left to give "${answer.text.slice(0, 40)}..."`);
          rows[i!]![s.item] = answer.text;
        }
        break;
      }
    }
  }
  return rows;
};

/** The import format's CSV text of built rows: a header row of item ids, then the rows in that column order. */
export const csvOf = (header: readonly string[], rows: readonly MutableRow[]): string =>
  stringify([header, ...rows.map((r) => header.map((c) => r[c] ?? ''))], { record_delimiter: '\n' });
