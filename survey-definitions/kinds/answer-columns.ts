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

const firstCapacity = 1024;

/** A typed array that doubles as rows stream in, since a loader does not know the count beforehand. */
class Growing<T extends Uint16Array | Float64Array | Uint32Array> {
  array: T;
  constructor(
    private readonly make: (length: number) => T,
    private readonly blank: number,
  ) {
    this.array = make(firstCapacity);
    this.array.fill(blank);
  }
  /** Room for index `i`. */
  reach(i: number): T {
    if (i >= this.array.length) {
      const bigger = this.make(Math.max(this.array.length * 2, i + 1));
      bigger.set(this.array);
      bigger.fill(this.blank, this.array.length);
      this.array = bigger;
    }
    return this.array;
  }
  done(length: number): T {
    return this.reach(Math.max(length - 1, 0)).subarray(0, length) as T;
  }
}

const codeIndex = (codes: readonly string[]) => new Map(codes.map((code, i) => [code, i]));

/** A variable: its column's key among the item's columns, and its name as a CSV column, for errors. */
interface Variable {
  readonly id: string;
  readonly name: string;
}

/**
 * Writes variables that hold one code each: a single choice (one variable, the item) or a grid of choices
 * (a variable per row). `read(answer, v, response)` gives variable v's code, undefined when none.
 */
const codeWriter = (
  variables: readonly Variable[],
  codes: readonly string[],
  read: (answer: unknown, v: number, response: number) => unknown,
): ItemColumnsWriter => {
  const index = codeIndex(codes);
  const columns = variables.map(() => new Growing((n) => new Uint16Array(n), noCode));
  let next = 0;
  return {
    add(answer) {
      const i = next++;
      if (answer === undefined) return;
      for (let v = 0; v < variables.length; v++) {
        const code = read(answer, v, i);
        if (code === undefined) continue;
        const at = index.get(code as string);
        if (at === undefined) throw new AnswerColumnError(variables[v]!.name, i, `one of the codes ${codes.join(', ')}`, code);
        columns[v]!.reach(i)[i] = at;
      }
    },
    finish: (size) => new Map(variables.map(({ id }, v) => [id, { layout: 'code', codes, values: columns[v]!.done(size) }])),
  };
};

/** Writes variables that hold one number each: a number or rating (the item), or a grid of them (a variable per row). */
const numberWriter = (variables: readonly Variable[], read: (answer: unknown, v: number, response: number) => unknown): ItemColumnsWriter => {
  const columns = variables.map(() => new Growing((n) => new Float64Array(n), NaN));
  let next = 0;
  return {
    add(answer) {
      const i = next++;
      if (answer === undefined) return;
      for (let v = 0; v < variables.length; v++) {
        const value = read(answer, v, i);
        if (value === undefined) continue;
        if (typeof value !== 'number' || Number.isNaN(value)) throw new AnswerColumnError(variables[v]!.name, i, 'a number', value);
        columns[v]!.reach(i)[i] = value;
      }
    },
    finish: (size) => new Map(variables.map(({ id }, v) => [id, { layout: 'number', values: columns[v]!.done(size) }])),
  };
};

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

const gridCell = (item: string, rows: readonly { readonly id: string }[]) => (answer: unknown, v: number, response: number) => {
  if (!isRecord(answer)) throw new AnswerColumnError(item, response, 'an answer per row, keyed by row id', answer);
  return answer[rows[v]!.id];
};

/** A single choice: the chosen option's code. */
export const singleCodeColumns = (id: string, codes: readonly string[]): ItemColumnsWriter => codeWriter([{ id, name: id }], codes, (answer) => answer);

/** A number or a rating: the value. */
export const singleNumberColumns = (id: string): ItemColumnsWriter => numberWriter([{ id, name: id }], (answer) => answer);

/** A grid of choices: a code column per row, named by row id. */
export const gridCodeColumns = (item: string, rows: readonly { readonly id: string }[], codes: readonly string[]): ItemColumnsWriter =>
  codeWriter(
    rows.map((r) => ({ id: r.id, name: `${item}.${r.id}` })),
    codes,
    gridCell(item, rows),
  );

/** A grid of numbers or ratings: a number column per row, named by row id. */
export const gridNumberColumns = (item: string, rows: readonly { readonly id: string }[]): ItemColumnsWriter =>
  numberWriter(
    rows.map((r) => ({ id: r.id, name: `${item}.${r.id}` })),
    gridCell(item, rows),
  );

/** Multiple choice: the list of ticked codes as a bitset per option, beside who answered (an empty list included). */
export const flagsColumns = (id: string, codes: readonly string[]): ItemColumnsWriter => {
  const index = codeIndex(codes);
  const answered = new Growing((n) => new Uint32Array(n), 0);
  const ticked = codes.map(() => new Growing((n) => new Uint32Array(n), 0));
  let next = 0;
  return {
    add(answer) {
      const i = next++;
      if (answer === undefined) return;
      if (!Array.isArray(answer)) throw new AnswerColumnError(id, i, 'a list of option codes', answer);
      const word = i >>> 5;
      const bit = 1 << (i & 31);
      answered.reach(word)[word]! |= bit;
      for (const code of answer) {
        const at = index.get(code as string);
        if (at === undefined) throw new AnswerColumnError(id, i, `codes from ${codes.join(', ')}`, code);
        ticked[at]!.reach(word)[word]! |= bit;
      }
    },
    finish: (size) => {
      const words = (size + 31) >>> 5;
      return new Map([[id, { layout: 'flags', codes, answered: answered.done(words), ticked: ticked.map((t) => t.done(words)) }]]);
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

/** How many responses gave a code, and how many gave each. */
export const codeCounts = (column: CodeColumn): { n: number; counts: number[] } => {
  const tally = new Uint32Array(column.codes.length + 1);
  const { values } = column;
  const blank = column.codes.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    tally[v === noCode ? blank : v]!++;
  }
  const counts = Array.from(tally.subarray(0, blank));
  return { n: values.length - tally[blank]!, counts };
};

const bitsSet = (words: Uint32Array): number => {
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    w -= (w >>> 1) & 0x55555555;
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    total += (Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
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
