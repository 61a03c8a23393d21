import { accept, refuse, type Checked } from './question-kind.js';

/** Shared by the scalar kinds and the matrices built from them, so a rule is written once. */

const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** CSV and form cells arrive as text; a cell that does not read as a number is left as text for `check` to name. */
export const readNumber = (cell: string): unknown => {
  const trimmed = cell.trim();
  return decimal.test(trimmed) ? Number(trimmed) : cell;
};

export const numberRange = (min: number | undefined, max: number | undefined, integer: boolean): string => {
  const what = integer ? 'a whole number' : 'a number';
  if (min !== undefined && max !== undefined) return `${what} ${min}-${max}`;
  if (min !== undefined) return `${what} of at least ${min}`;
  if (max !== undefined) return `${what} of at most ${max}`;
  return what;
};

export const checkNumber = (
  path: string,
  value: unknown,
  bounds: { min?: number | undefined; max?: number | undefined; integer: boolean },
  noun = numberRange(bounds.min, bounds.max, bounds.integer),
): Checked<number> => {
  const fail = (rule: string) => refuse({ path, rule, expected: noun, got: value });
  const n = typeof value === 'string' ? readNumber(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return fail('number');
  if (bounds.integer && !Number.isInteger(n)) return fail('integer');
  if ((bounds.min !== undefined && n < bounds.min) || (bounds.max !== undefined && n > bounds.max)) {
    return fail('range');
  }
  return accept(n);
};

export const checkRating = (path: string, value: unknown, min: number, max: number): Checked<number> =>
  checkNumber(path, value, { min, max, integer: true }, `a rating ${min}-${max}`);

export const checkCode = (path: string, value: unknown, codes: readonly string[]): Checked<string> =>
  typeof value === 'string' && codes.includes(value)
    ? accept(value)
    : refuse({ path, rule: 'code', expected: `one of ${codes.join(', ')}`, got: value });

/** A blank or absent cell is "not answered". */
export const isBlank = (cell: string | undefined): cell is undefined | '' => cell === undefined || cell === '';

export const formatNumber = (n: number): string => String(n);
