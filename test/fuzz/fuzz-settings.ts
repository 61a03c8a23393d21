import { randomBytes } from 'node:crypto';
import fc from 'fast-check';

/**
 * What every fuzz file shares: one seed per run, printed, so a failure reproduces with
 * `FUZZ_SEED=<seed> npx vitest run <file>` (fast-check also prints the seed and the shrunk input);
 * FUZZ_RUNS multiplies the number of cases for a longer hunt.
 */

export const fuzzSeed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomBytes(4).readUInt32LE(0) >>> 1;
const scale = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;

/** fast-check parameters for a property of `runs` cases (times FUZZ_RUNS), with this run's seed. */
export const fuzzParameters = (runs: number): fc.Parameters<unknown> => ({
  seed: fuzzSeed,
  numRuns: Math.max(1, Math.round(runs * scale)),
  endOnFailure: false,
});

/** A test's time limit, stretched with FUZZ_RUNS. */
export const fuzzTimeout = (ms: number) => Math.max(ms, Math.round(ms * scale));

export const announceSeed = (file: string) => console.log(`${file}: fuzz seed ${fuzzSeed} (FUZZ_SEED=${fuzzSeed} repeats it)`);

/** Values a person, a spreadsheet or an attacker might put where an answer goes. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  fc.string({ unit: 'grapheme' }),
  // Any code point, lone surrogates included.
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '-0',
    '1e309',
    '1e-400',
    'NaN',
    'Infinity',
    '1.5',
    '3,5',
    '99999999999999999999999',
    '0x10',
    '007',
    'true',
    'null',
    'undefined',
    '[]',
    '{}',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    "' OR 1=1 --",
    '"; DROP TABLE part_one_response; --',
    '<script>alert(1)</script>',
    '=HYPERLINK("http://x")',
    '+1',
    '@SUM(A1)',
    '\u0000',
    '\r\n',
    '"',
    '%00',
    '%',
    '../../etc/passwd',
    '\uFEFF',
    '\uD800',
    '\u202Efdp.exe',
    '𝕏'.repeat(300),
  ),
  fc.integer().map(String),
  fc.double().map(String),
  // Oversized: past every maxLength, some past the 256 KiB body limit.
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
);
