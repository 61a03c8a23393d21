import type { z } from 'zod';

/**
 * The schema's problems in an analyst's words: what was expected, never the validator's vocabulary ("Invalid input:
 * expected string, received number"). A message written in the schema itself (an id's form) takes precedence.
 */

const typeWords: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a set of fields',
};

const valueWords = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return value.length > 40 ? 'a longer text' : `the text "${value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a set of fields';
};

const listWords = (values: readonly unknown[]): string => values.map((v) => (typeof v === 'string' ? v : String(v))).join(', ');

/** The entries a list holds, named after its field: `options`, `rows`, `items` (questions). */
const entries = (path: readonly PropertyKey[], n: number): string => {
  const field = path.at(-1);
  const noun = field === 'items' ? 'question' : typeof field === 'string' && field.endsWith('s') ? field.slice(0, -1) : 'entry';
  return `${n} ${n === 1 ? noun : noun === 'entry' ? 'entries' : `${noun}s`}`;
};

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const sizeMessage = (issue: Issue & { code: 'too_small' | 'too_big' }): string => {
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const path = issue.path ?? [];
  if (issue.origin === 'string')
    return issue.code === 'too_small' && bound === 1
      ? 'must not be empty'
      : `expected text of ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} characters`;
  if (issue.origin === 'array') {
    if (issue.exact) return `expected exactly ${entries(path, bound)}`;
    return `expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${entries(path, bound)}`;
  }
  if (issue.inclusive === false) return `expected a number ${issue.code === 'too_small' ? 'above' : 'below'} ${bound}`;
  return `expected a number of ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound}`;
};

const knownFields = (issue: Issue): string[] => {
  const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
};

export const analystMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeWords[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `missing: expected ${expected}`;
      const quote = issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean') ? ' (put it in quotes)' : '';
      return `expected ${expected}, not ${valueWords(issue.input)}${quote}`;
    }
    case 'invalid_value':
      if (issue.values.length === 1) return `expected ${listWords(issue.values)}, not ${valueWords(issue.input)}`;
      return `expected one of ${listWords(issue.values)}, not ${valueWords(issue.input)}`;
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        const got = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
        if (got === undefined) return `missing: expected a ${issue.discriminator}, one of ${listWords(options)}`;
        return `expected a ${issue.discriminator} of ${listWords(options)}, not ${valueWords(got)}`;
      }
      const messages = new Set(issue.errors.flat().map((e) => e.message));
      return messages.size > 0 ? [...messages].join('; or ') : undefined;
    }
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue);
    case 'unrecognized_keys': {
      const known = knownFields(issue);
      const fields = issue.keys.length === 1 ? `field "${issue.keys[0]}"` : `fields ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `unknown ${fields}: check the spelling${known.length > 0 ? `; the fields here are ${known.join(', ')}` : ''}`;
    }
    default:
      return undefined;
  }
};
