import { accept, refuse, type Checked } from './question-kind.js';

/** Shared by the scalar kinds and the matrices built from them, so a rule is written once. */

const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * CSV and form cells arrive as text; a cell that does not read as a number is left as text for `check` to
 * name. People type the unit the question shows (`10%`, `5 groups`): a trailing unit is read past, in any
 * case, from a form and a CSV file alike.
 */
export const readNumber = (cell: string, unit?: string): unknown => {
  let trimmed = cell.trim();
  if (unit && trimmed.toLowerCase().endsWith(unit.toLowerCase())) trimmed = trimmed.slice(0, -unit.length).trim();
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
  typeof value === 'string' && codes.includes(value) ? accept(value) : refuse({ path, rule: 'code', expected: `one of ${codes.join(', ')}`, got: value });

/** An absent, empty or whitespace-only cell is "not answered", whatever the kind. */
export const isBlank = (cell: string | undefined): cell is undefined => cell === undefined || cell.trim() === '';

/**
 * A plain decimal, as the CSV convention asks and `readNumber` reads back. `String(n)` switches to
 * exponent notation (`1e-7`, `1e+21`) for very small and very large numbers, which an import refuses.
 */
export const formatNumber = (n: number): string => {
  const text = String(n);
  // Most numbers have no exponent; looking for its letter first spares them the pattern (every number of an export comes here).
  if (!text.includes('e')) return text;
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, lead, fraction = '', power] = exponent;
  const digits = `${lead}${fraction}`;
  const shift = Number(power);
  // JavaScript uses exponents only from 1e21 up (more places than significant digits) and below 1e-6.
  return shift >= 0 ? `${sign}${digits}${'0'.repeat(shift - fraction.length)}` : `${sign}0.${'0'.repeat(-shift - 1)}${digits}`;
};
