/**
 * A wave's answers as columns: one typed array per variable (a question, or a row of a grid), in response
 * order, so that its tables read each variable from memory laid out for it instead of an object per
 * response, and a loader can stream rows into them without holding the rows. A kind lays its items out
 * from the three layouts below (QuestionKind.answerColumns); the analysis reads them.
 */

/** In a code column: no code given (not answered, or not asked). */
export const noCode = 0xffff;

/** Option codes as indexes into `codes`, `noCode` where none was given. */
export interface CodeColumn {
  readonly layout: 'code';
  readonly codes: readonly string[];
  readonly values: Uint16Array;
}

/** Numbers, NaN where none was given. */
export interface NumberColumn {
  readonly layout: 'number';
  readonly values: Float64Array;
}

/**
 * Ticked boxes as bitsets (response i is bit i % 32 of word i >> 5): who answered the question, and for
 * each option who ticked it. One bit per response, so counting an option is a count of set bits.
 */
export interface FlagsColumn {
  readonly layout: 'flags';
  readonly codes: readonly string[];
  readonly answered: Uint32Array;
  readonly ticked: readonly Uint32Array[];
}

export type AnswerColumn = CodeColumn | NumberColumn | FlagsColumn;

/** One item's columns, by variable: a grid's by row id, any other item's by its own id. */
export type ItemColumns = ReadonlyMap<string, AnswerColumn>;

/** Takes an item's answers one response at a time, in order, and gives its columns. */
export interface ItemColumnsWriter {
  /** The next response's answer to the item: undefined when it was not answered or not asked. */
  add(answer: unknown): void;
  /** The columns of the `size` responses added. */
  finish(size: number): ItemColumns;
}

/** A stored answer the layout cannot hold: answers are laid out after validateAnswers accepted them. */
export class AnswerColumnError extends Error {
  override name = 'AnswerColumnError';
  constructor(variable: string, response: number, expected: string, got: unknown) {
    super(`answer ${variable} of response ${response + 1} is ${JSON.stringify(got) ?? String(got)}: expected ${expected}`);
  }
}

/** Room for this many responses when the count is not known. */
const firstCapacity = 1024;

/**
 * Typed arrays of one type that grow together as responses stream in, since a loader does not know the
 * count beforehand; `make` gives an array of a length filled with the blank. Given the count, they are
 * made that long at once: each growth of a large array can cost a full collection of the heap.
 */
class Growing<T extends Uint16Array | Float64Array | Uint32Array> {
  arrays: T[];
  private capacity: number;
  constructor(
    count: number,
    capacity: number,
    private readonly make: (length: number) => T,
  ) {
    this.capacity = Math.max(capacity, 1);
    this.arrays = Array.from({ length: count }, () => make(this.capacity));
  }
  /** Room for index `i` in every array. */
  reach(i: number): T[] {
    if (i >= this.capacity) {
      this.capacity = Math.max(this.capacity * 2, i + 1);
      this.arrays = this.arrays.map((old) => {
        const bigger = this.make(this.capacity);
        bigger.set(old);
        return bigger;
      });
    }
    return this.arrays;
  }
  done(length: number): T[] {
    return this.reach(Math.max(length - 1, 0)).map((array) => array.subarray(0, length) as T);
  }
}

const codeArrays = (count: number, capacity: number) => new Growing(count, capacity, (n) => new Uint16Array(n).fill(noCode));
const numberArrays = (count: number, capacity: number) => new Growing(count, capacity, (n) => new Float64Array(n).fill(NaN));
const bitArrays = (count: number, capacity: number) => new Growing(count, capacity, (n) => new Uint32Array(n));

const codeIndex = (codes: readonly string[]) => {
  if (codes.length >= noCode) throw new Error(`a code column holds at most ${noCode - 1} codes, not ${codes.length}`);
  return new Map(codes.map((code, i) => [code, i]));
};

const codeAt = (index: ReadonlyMap<string, number>, codes: readonly string[], name: string, response: number, code: unknown): number => {
  const at = index.get(code as string);
  if (at === undefined) throw new AnswerColumnError(name, response, `one of the codes ${codes.join(', ')}`, code);
  return at;
};

const numberOf = (name: string, response: number, value: unknown): number => {
  if (typeof value !== 'number' || value !== value) throw new AnswerColumnError(name, response, 'a number', value);
  return value;
};

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

const gridAnswer = (item: string, response: number, answer: unknown): Readonly<Record<string, unknown>> => {
  if (!isRecord(answer)) throw new AnswerColumnError(item, response, 'an answer per row, keyed by row id', answer);
  return answer;
};

// One writer per shape of answer, each writing one type of array, so that every loop stays monomorphic.

/** A single choice: the chosen option's code. */
export const singleCodeColumns = (id: string, codes: readonly string[], expected = firstCapacity): ItemColumnsWriter => {
  const index = codeIndex(codes);
  const arrays = codeArrays(1, expected);
  let next = 0;
  return {
    add(answer) {
      const i = next++;
      if (answer !== undefined) arrays.reach(i)[0]![i] = codeAt(index, codes, id, i, answer);
    },
    finish: (size) => new Map([[id, { layout: 'code', codes, values: arrays.done(size)[0]! }]]),
  };
};

/** A number or a rating: the value. */
export const singleNumberColumns = (id: string, expected = firstCapacity): ItemColumnsWriter => {
  const arrays = numberArrays(1, expected);
  let next = 0;
  return {
    add(answer) {
      const i = next++;
      if (answer !== undefined) arrays.reach(i)[0]![i] = numberOf(id, i, answer);
    },
    finish: (size) => new Map([[id, { layout: 'number', values: arrays.done(size)[0]! }]]),
  };
};

/** A grid of choices: a code column per row, named by row id. */
export const gridCodeColumns = (
  item: string,
  rows: readonly { readonly id: string }[],
  codes: readonly string[],
  expected = firstCapacity,
): ItemColumnsWriter => {
  const index = codeIndex(codes);
  const arrays = codeArrays(rows.length, expected);
  let next = 0;
  return {
    add(answer) {
      const i = next++;
      if (answer === undefined) return;
      const cells = gridAnswer(item, i, answer);
      const columns = arrays.reach(i);
      for (let r = 0; r < rows.length; r++) {
        const code = cells[rows[r]!.id];
        if (code !== undefined) columns[r]![i] = codeAt(index, codes, `${item}.${rows[r]!.id}`, i, code);
      }
    },
    finish: (size) => {
      const columns = arrays.done(size);
      return new Map(rows.map((row, r) => [row.id, { layout: 'code', codes, values: columns[r]! }]));
    },
  };
};

/** A grid of numbers or ratings: a number column per row, named by row id. */
export const gridNumberColumns = (item: string, rows: readonly { readonly id: string }[], expected = firstCapacity): ItemColumnsWriter => {
  const arrays = numberArrays(rows.length, expected);
  let next = 0;
  return {
    add(answer) {
      const i = next++;
      if (answer === undefined) return;
      const cells = gridAnswer(item, i, answer);
      const columns = arrays.reach(i);
      for (let r = 0; r < rows.length; r++) {
        const value = cells[rows[r]!.id];
        if (value !== undefined) columns[r]![i] = numberOf(`${item}.${rows[r]!.id}`, i, value);
      }
    },
    finish: (size) => {
      const columns = arrays.done(size);
      return new Map(rows.map((row, r) => [row.id, { layout: 'number', values: columns[r]! }]));
    },
  };
};

/** Multiple choice: the list of ticked codes as a bitset per option, beside who answered (an empty list included). */
export const flagsColumns = (id: string, codes: readonly string[], expected = firstCapacity): ItemColumnsWriter => {
  const index = codeIndex(codes);
  // Word arrays: the first says who answered, one more per option.
  const arrays = bitArrays(codes.length + 1, (expected + 31) >>> 5);
  let next = 0;
  return {
    add(answer) {
      const i = next++;
      if (answer === undefined) return;
      if (!Array.isArray(answer)) throw new AnswerColumnError(id, i, 'a list of option codes', answer);
      const word = i >>> 5;
      const bit = 1 << (i & 31);
      const words = arrays.reach(word);
      words[0]![word]! |= bit;
      for (const code of answer as unknown[]) {
        const at = index.get(code as string);
        if (at === undefined) throw new AnswerColumnError(id, i, `codes from ${codes.join(', ')}`, code);
        words[at + 1]![word]! |= bit;
      }
    },
    finish: (size) => {
      const [answered, ...ticked] = arrays.done((size + 31) >>> 5);
      return new Map([[id, { layout: 'flags', codes, answered: answered!, ticked }]]);
    },
  };
};

/** A column of a layout, or a clear error naming the variable and the layout expected. */
export const columnOf = <L extends AnswerColumn['layout']>(columns: ItemColumns, variable: string, layout: L): Extract<AnswerColumn, { layout: L }> => {
  const column = columns.get(variable);
  if (column === undefined) throw new Error(`no column ${variable}: the columns are ${[...columns.keys()].join(', ') || 'none'}`);
  if (column.layout !== layout) throw new Error(`column ${variable} holds ${column.layout}s, not ${layout}s`);
  return column as Extract<AnswerColumn, { layout: L }>;
};

/**
 * How many responses gave a code, and how many gave each. Counted in four tallies, a row in each in turn,
 * then added up: with one tally, rows that give the same code wait on each other's count, and counting
 * a column took 1.35 times as long as reading it (four: 1.0, measured on a million rows of five codes).
 */
export const codeCounts = (column: CodeColumn): { n: number; counts: number[] } => {
  const blank = column.codes.length;
  // Tally k of code c at 4c + k; a blank counts as the code after the last.
  const tally = new Uint32Array(4 * (blank + 1));
  const { values } = column;
  const whole = values.length - (values.length % 4);
  let i = 0;
  for (; i < whole; i += 4) {
    const a = values[i]!;
    const b = values[i + 1]!;
    const c = values[i + 2]!;
    const d = values[i + 3]!;
    tally[4 * (a === noCode ? blank : a)]!++;
    tally[4 * (b === noCode ? blank : b) + 1]!++;
    tally[4 * (c === noCode ? blank : c) + 2]!++;
    tally[4 * (d === noCode ? blank : d) + 3]!++;
  }
  for (; i < values.length; i++) {
    const v = values[i]!;
    tally[4 * (v === noCode ? blank : v)]!++;
  }
  const total = (code: number) => tally[4 * code]! + tally[4 * code + 1]! + tally[4 * code + 2]! + tally[4 * code + 3]!;
  return { n: values.length - total(blank), counts: Array.from({ length: blank }, (_, code) => total(code)) };
};

const bitsSet = (words: Uint32Array): number => {
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    w -= (w >>> 1) & 0x55555555;
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    total += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return total;
};

/** How many answered a multiple choice (ticking nothing included), and how many ticked each option. */
export const flagCounts = (column: FlagsColumn): { n: number; counts: number[] } => ({ n: bitsSet(column.answered), counts: column.ticked.map(bitsSet) });

/** How many gave a number, and how many gave each of `points` (a rating scale's). */
export const pointCounts = (column: NumberColumn, points: readonly number[]): { n: number; counts: number[] } => {
  const first = points[0] ?? 0;
  const tally = new Uint32Array(points.length);
  const { values } = column;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    n++;
    const at = v - first;
    if (at >= 0 && at < points.length && points[at] === v) tally[at]!++;
  }
  return { n, counts: Array.from(tally) };
};
