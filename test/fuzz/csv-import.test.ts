import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { csvLayout } from '../../survey-definitions/answer-cells.js';
import { ImportRejected } from '../../server/csv/csv-import.js';
import type { Stores } from '../../server/storage/open-stores.js';
import type { PartId } from '../../survey-definitions/index.js';
import { useTempDirs } from '../support/temp-dir.js';
import { importText, storeOpener, toCsv, totalCounts, WAVE_2 } from '../server/helpers.js';
import { definitionOfWave2 } from '../server/respondent-helpers.js';
import { announceSeed, fuzzParameters, fuzzTimeout, hostileText } from './fuzz-settings.js';
import { validRecords } from './valid-records.js';

/**
 * The CSV import under fuzzing (issue 6): a valid file of a few rows, then one mutation (a hostile cell,
 * a broken header, hostile bytes, a cut) and an import with --replace over data already stored. Whatever
 * the file, the import either stores every row or refuses with a message naming what was wrong (the row
 * and column for a cell), throws nothing else, and a refusal leaves both stores exactly as they were.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);
announceSeed('csv-import fuzz');

type Mutation =
  | { kind: 'cell'; row: number; column: number; value: string }
  | { kind: 'rename'; column: number; name: string }
  | { kind: 'drop'; column: number }
  | { kind: 'duplicate'; column: number }
  | { kind: 'ragged'; row: number; extra: string }
  | { kind: 'bytes'; at: number; bytes: Uint8Array }
  | { kind: 'cut'; at: number };

const mutation = (rows: number, columns: number): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('cell' as const), row: fc.nat(rows - 1), column: fc.nat(columns - 1), value: hostileText }) },
    fc.record({ kind: fc.constant('rename' as const), column: fc.nat(columns - 1), name: hostileText }),
    fc.record({ kind: fc.constant('drop' as const), column: fc.nat(columns - 1) }),
    fc.record({ kind: fc.constant('duplicate' as const), column: fc.nat(columns - 1) }),
    fc.record({ kind: fc.constant('ragged' as const), row: fc.nat(rows - 1), extra: hostileText }),
    fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  );

/** The file after the mutation. */
const mutate = (records: string[][], m: Mutation): Buffer => {
  const copy = records.map((r) => [...r]);
  switch (m.kind) {
    case 'cell':
      copy[m.row + 1]![m.column] = m.value;
      break;
    case 'rename':
      copy[0]![m.column] = m.name;
      break;
    case 'drop':
      for (const r of copy) r.splice(m.column, 1);
      break;
    case 'duplicate':
      for (const r of copy) r.push(r[m.column]!);
      break;
    case 'ragged':
      copy[m.row + 1]!.push(m.extra);
      break;
    default: {
      const bytes = Buffer.from(toCsv(copy), 'utf8');
      const at = m.at % (bytes.length + 1);
      return m.kind === 'cut' ? bytes.subarray(0, at) : Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    }
  }
  return Buffer.from(toCsv(copy), 'utf8');
};

/** What a refusal must say about this mutation; problems are the ImportRejected's lines. */
const namesTheProblem = (m: Mutation, header: readonly string[], problems: readonly string[]): boolean => {
  // Whatever it was: a refusal says something, and each line says where (a row, the header, a line of
  // the file) or what about the file as a whole.
  const located = problems.every((p) => /^(row \d+(, column \S+)?: |header: |line \d+|the file |this is |.* not a UTF-8 CSV file)/.test(p));
  if (problems.length === 0 || !located) return false;
  // A hostile value can make the whole file unreadable (a NUL byte, a stray quote): then the line is named.
  if (problems.length === 1 && /^line \d+/.test(problems[0]!)) return true;
  switch (m.kind) {
    case 'cell':
      // The row (as a spreadsheet numbers it, the header being row 1) and some column of it.
      return problems.some((p) => p.startsWith(`row ${m.row + 2}, column `));
    case 'rename':
    case 'drop':
    case 'duplicate':
      return problems.some((p) => p.startsWith('header: '));
    case 'ragged':
      return problems.some((p) => p.startsWith(`row ${m.row + 2}: has ${header.length + 1} cells`));
    default:
      return true;
  }
};

const importProperty = (part: PartId, stores: () => Stores, rows: number) => {
  const header = csvLayout(definitionOfWave2, part).header;
  return fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), mutation(rows, header.length), async (seed, m) => {
    const records = validRecords(part, rows, seed);
    const before = await totalCounts(stores());
    let refusal: ImportRejected | undefined;
    let imported = 0;
    try {
      imported = (await importText(stores(), { wave: WAVE_2, part, replace: true }, mutate(records, m))).imported;
      // Accepted: every row of the file. Cut at the end of a row, or with bytes that make a valid
      // file, it may hold fewer rows; no other mutation changes how many.
      if (m.kind === 'cut' || m.kind === 'bytes') expect(imported).toBeLessThanOrEqual(rows + 1);
      else expect(imported).toBe(rows);
    } catch (error) {
      if (!(error instanceof ImportRejected)) throw error;
      refusal = error;
    }
    const after = await totalCounts(stores());
    if (refusal) {
      expect(after, 'a refused import changed the stores').toEqual(before);
      expect(refusal.message).not.toMatch(/\n\s+at |TypeError|SqliteError|node_modules/);
      expect(namesTheProblem(m, header, refusal.problems), `the refusal does not say what was wrong:\n${refusal.message}`).toBe(true);
    } else {
      // Stored whole, replacing the wave's part.
      expect(part === 'identifiable' ? after.identifiable : after.anonymous).toBe(imported);
    }
  });
};

describe('CSV import fuzzing', () => {
  for (const part of ['identifiable', 'anonymous'] as const) {
    it(
      `${part} part: any mutation of a valid file is stored whole or refused with its row and column, never half`,
      { timeout: fuzzTimeout(60_000) },
      async () => {
        const stores = await opener.openIn(tempDir());
        // Something to lose: a refused --replace must keep it.
        await importText(stores, { wave: WAVE_2, part }, toCsv(validRecords(part, 3, 1)));
        expect((await totalCounts(stores))[part]).toBe(3);
        await fc.assert(
          importProperty(part, () => stores, 4),
          fuzzParameters(300),
        );
      },
    );
  }

  it('control: the unmutated files import, and the checker rejects a refusal that names no row', async () => {
    const stores = await opener.openIn(tempDir());
    for (const part of ['identifiable', 'anonymous'] as const) {
      expect((await importText(stores, { wave: WAVE_2, part, replace: true }, toCsv(validRecords(part, 4, 7)))).imported).toBe(4);
    }
    const header = csvLayout(definitionOfWave2, 'anonymous').header;
    const cell = { kind: 'cell', row: 1, column: 0, value: 'x' } as const;
    expect(namesTheProblem(cell, header, ['row 3, column extra_hours_frequency: expected a code, got "x"'])).toBe(true);
    expect(namesTheProblem(cell, header, ['something went wrong'])).toBe(false);
    expect(namesTheProblem(cell, header, ['row 2, column extra_hours_frequency: expected a code, got "x"'])).toBe(false);
    expect(namesTheProblem(cell, header, [])).toBe(false);
  });
});
