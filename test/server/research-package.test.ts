import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataPackageDescriptor } from '../../analysis/index.js';
import { seededRandom } from '../../analysis/statistics/seeded-random.js';
import { csvLayout } from '../../survey-definitions/answer-cells.js';
import {
  buildResearchPackage,
  PackageRefused,
  researchPackageFiles,
  writeResearchPackage,
  zipResearchPackage,
} from '../../server/research/research-package.js';
import { seedBundledData } from '../../server/csv/bundled-data.js';
import { countPartTwo, insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { definitionOfWave, findBundledWave } from '../../survey-definitions/index.js';
import { frictionlessRead, packageProfileErrors } from '../support/frictionless.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, importText, parseCsv, storeOpener, toCsv, WAVE_1, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The zip's entries as text, by name. */
const unzipText = (zip: Uint8Array): Record<string, string> =>
  Object.fromEntries(Object.entries(unzipSync(zip)).map(([name, bytes]) => [name, decoder.decode(bytes)]));

/** Writes the zip's entries into a folder, as a researcher unpacking it would. */
const unpack = (files: Record<string, string>, dir: string) => {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

const seeded = async () => {
  const dir = tempDir();
  const stores = await opener.openIn(dir);
  await seedBundledData(stores);
  return { dir, stores };
};

const packageFiles = ['README.md', 'datapackage.json', 'part-two.csv', 'read_cswo.R', 'read_cswo.py'];

const partials = (dir: string) => readdirSync(dir).filter((f) => f.includes('.partial'));

/** Part one's columns (the identifiable part of the wave's definition). */
const partOneColumns = (wave: string) => csvLayout(definitionOfWave(findBundledWave(wave)!), 'identifiable').header;

describe.each([WAVE_1, WAVE_2])('the research package of wave %s, from the bundled 2020 data', (wave) => {
  it('is a zip of exactly part-two.csv, datapackage.json, README.md and the two reading scripts, owner-readable only', async () => {
    const { dir, stores } = await seeded();
    const out = join(dir, `wave-${wave}.zip`);
    const pkg = await writeResearchPackage(stores, { waveIds: [wave] }, out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(partials(dir)).toEqual([]);
    const files = unzipText(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(packageFiles);
    expect([...researchPackageFiles].sort()).toEqual(Object.keys(files).sort());
    expect(JSON.parse(files['datapackage.json']!)).toEqual(JSON.parse(JSON.stringify(pkg.descriptor)));
    // The zip is written as it is deflated: every small file in it is the package's file, byte for byte;
    // part-two.csv was streamed into it (never held), so only its size is known.
    const unzipped = unzipSync(readFileSync(out));
    for (const name of researchPackageFiles.filter((n) => n !== 'part-two.csv'))
      expect(Buffer.from(unzipped[name]!).equals(Buffer.from(pkg.files[name as Exclude<typeof name, 'part-two.csv'>]))).toBe(true);
    expect(unzipped['part-two.csv']!.byteLength).toBe(pkg.csvBytes);
  });

  it('holds every released row: the CSV parses back with one header column per field, in order, and a row per response', async () => {
    const { dir, stores } = await seeded();
    const pkg = await writeResearchPackage(stores, { waveIds: [wave] }, join(dir, 'p.zip'));
    const files = unzipText(readFileSync(join(dir, 'p.zip')));
    const descriptor = JSON.parse(files['datapackage.json']!) as DataPackageDescriptor;
    const fields = descriptor.resources[0].schema.fields.map((f) => f.name);
    const [header, ...rows] = parseCsv(files['part-two.csv']!);
    expect(header).toEqual(fields);
    expect(new Set(header).size).toBe(header!.length);
    const responses = await countPartTwo(stores.anonymous, wave);
    expect(responses).toBeGreaterThan(15);
    expect(rows).toHaveLength(responses);
    expect(pkg.reports[0]!.rows).toBe(responses);
    expect(pkg.reports[0]!.order).toBe('shuffled (CSPRNG)');
    for (const row of rows) expect(row).toHaveLength(header!.length);
    // RFC 4180 with CRLF, no byte order mark, exactly as the export writes.
    expect(files['part-two.csv']!.startsWith(header!.join(','))).toBe(true);
    expect(files['part-two.csv']!.endsWith('\r\n')).toBe(true);
  });

  it('validates, and the Frictionless library reads every cell under its field type and codes (offline)', async () => {
    const { dir, stores } = await seeded();
    const pkg = await buildResearchPackage(stores, { waveIds: [wave] });
    const files = unzipText(zipResearchPackage(pkg));
    expect(packageProfileErrors(JSON.parse(files['datapackage.json']!))).toEqual([]);
    const rows = await frictionlessRead(unpack(files, join(dir, 'unpacked')), 'part-two');
    expect(rows).toHaveLength(pkg.reports[0]!.rows);
    const fields = pkg.descriptor.resources[0].schema.fields;
    for (const row of rows) {
      for (const field of fields) {
        const value = row[field.name];
        if (value === null) continue;
        if (field.type === 'string') expect(typeof value, field.name).toBe('string');
        else expect(typeof value, field.name).toBe('number');
        if (field.constraints?.enum) expect(field.constraints.enum, field.name).toContain(value);
      }
    }
    // Every column name of the CSV is a field, and blanks read as missing (null), never as "".
    expect(Object.keys(rows[0]!)).toEqual(fields.map((f) => f.name));
    expect(rows.some((r) => Object.values(r).includes(null))).toBe(true);
    expect(rows.every((r) => !Object.values(r).includes(''))).toBe(true);
  });

  it('has no identifiable column and no free text, and no column of part one at all', async () => {
    const { stores } = await seeded();
    const pkg = await buildResearchPackage(stores, { waveIds: [wave] });
    const header = parseCsv(unzipText(zipResearchPackage(pkg))['part-two.csv']!)[0]!;
    for (const column of ['local_authority', 'name', 'email', 'role', 'id']) expect(header).not.toContain(column);
    for (const column of partOneColumns(wave)) expect(header).not.toContain(column);
    const definition = definitionOfWave(findBundledWave(wave)!);
    const freeText = csvLayout(definition, 'anonymous')
      .items.filter((i) => i.item.kind === 'text')
      .flatMap((i) => i.columns);
    expect(freeText.length).toBeGreaterThan(0);
    for (const column of freeText) expect(header).not.toContain(column);
  });
});

describe('the research package', () => {
  it('reads the anonymous store alone: it works with no identifiable store at all', async () => {
    const { stores } = await seeded();
    const anonymousOnly = {
      anonymous: stores.anonymous,
      get identifiable(): never {
        throw new Error('the research package touched the identifiable store');
      },
    } as unknown as Stores;
    const pkg = await buildResearchPackage(anonymousOnly, { waveIds: [WAVE_2] });
    expect(pkg.reports[0]!.rows).toBeGreaterThan(0);
  });

  it('neutralises formula-like cells of released free text, and says so in the codebook', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    // Import takes off one guarding quote: the last text is stored as '=already quoted.
    const texts = ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', "''=already quoted", 'plain words'];
    await importText(stores, { wave: WAVE_2, part: 'anonymous' }, toCsv([['final_reflections', 'induction'], ...texts.map((t) => [t, 'yes'])]));
    const released = await buildResearchPackage(stores, { waveIds: [WAVE_2], releaseText: { [WAVE_2]: ['final_reflections'] }, random: seededRandom(2) });
    const files = unzipText(zipResearchPackage(released));
    const [header, ...rows] = parseCsv(files['part-two.csv']!);
    const column = header!.indexOf('final_reflections');
    expect(column).toBe(header!.length - 1);
    const cells = rows.map((r) => r[column]!).sort();
    // A plain number stays a number (a spreadsheet reads -2 as minus two, never as a formula).
    expect(cells).toEqual(["'+1", '-2', '\'=HYPERLINK("http://x")', "'@SUM(A1)", "''=already quoted", 'plain words'].sort());
    for (const cell of cells.filter((c) => c !== '-2')) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const field = released.descriptor.resources[0].schema.fields.find((f) => f.name === 'final_reflections')!;
    expect(field.description).toMatch(/apostrophe/);
    expect(released.reports[0]!.order).toBe('shuffled (seeded: not for release)');

    // By default the same wave releases no free text at all.
    const byDefault = parseCsv(unzipText(zipResearchPackage(await buildResearchPackage(stores, { waveIds: [WAVE_2] })))['part-two.csv']!)[0]!;
    expect(byDefault).not.toContain('final_reflections');
    expect(byDefault).toContain('induction');
  });

  it('writes a header-only CSV and says so when the wave has fewer than k responses', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await importText(stores, { wave: WAVE_1, part: 'anonymous' }, toCsv([['induction'], ['yes'], ['no']]));
    const pkg = await buildResearchPackage(stores, { waveIds: [WAVE_1] });
    const files = unzipText(zipResearchPackage(pkg));
    expect(parseCsv(files['part-two.csv']!)).toHaveLength(1);
    expect(pkg.reports[0]!.withheld).toMatch(/fewer than k = 3/);
    expect(files['README.md']).toContain('No rows are released');
    expect(packageProfileErrors(JSON.parse(files['datapackage.json']!))).toEqual([]);
  });

  it('uses the k asked for, and refuses an unknown wave or a bad k without writing anything', async () => {
    const { dir, stores } = await seeded();
    const pkg = await buildResearchPackage(stores, { waveIds: [WAVE_2], k: 5 });
    expect(pkg.reports[0]!.k).toBe(5);
    expect(pkg.descriptor.waves[0]!.disclosureControl.k).toBe(5);
    const out = join(dir, 'keep.zip');
    writeFileSync(out, 'previous package');
    await expect(writeResearchPackage(stores, { waveIds: ['1999-01'] }, out)).rejects.toBeInstanceOf(PackageRefused);
    await expect(writeResearchPackage(stores, { waveIds: [WAVE_2], k: 0 }, out)).rejects.toThrow(/k must be a whole number/);
    await expect(writeResearchPackage(stores, { waveIds: [WAVE_2], releaseText: { [WAVE_2]: ['induction'] } }, out)).rejects.toThrow(/not free-text items/);
    expect(readFileSync(out, 'utf8')).toBe('previous package');
    expect(partials(dir)).toEqual([]);
  });

  it('replaces an existing file whole, and leaves nothing behind when the folder is missing', async () => {
    const { dir, stores } = await seeded();
    const out = join(dir, 'out.zip');
    writeFileSync(out, 'old');
    await writeResearchPackage(stores, { waveIds: [WAVE_1] }, out);
    expect(Object.keys(unzipSync(readFileSync(out)))).toHaveLength(5);
    await expect(writeResearchPackage(stores, { waveIds: [WAVE_1] }, join(dir, 'missing', 'x.zip'))).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(partials(dir)).toEqual([]);
  });
});

describe('cli package', () => {
  it('writes the zip for each bundled wave and prints a summary', async () => {
    const cwd = tempDir();
    expect((await cli(cwd, ['seed', '--data', 'data'])).code).toBe(0);
    for (const wave of [WAVE_1, WAVE_2]) {
      const result = await cli(cwd, ['package', '--data', 'data', '--wave', wave, '--out', `${wave}.zip`]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`wrote the research package of wave ${wave} to ${wave}\\.zip: \\d+ rows of part two, \\d+ columns, k = 3`));
      expect(result.stdout).toContain('part one is not included');
      expect(Object.keys(unzipSync(readFileSync(join(cwd, `${wave}.zip`)))).sort()).toEqual(packageFiles);
    }
    const withK = await cli(cwd, ['package', '--data', 'data', '--wave', WAVE_2, '--out', 'k4.zip', '--k', '4']);
    expect(withK.code, withK.stderr).toBe(0);
    expect(JSON.parse(unzipText(readFileSync(join(cwd, 'k4.zip')))['datapackage.json']!).waves[0].disclosureControl.k).toBe(4);
  });

  it('refuses usage mistakes (2) and an unknown wave or unwritable path (1), writing nothing', async () => {
    const cwd = tempDir();
    const run = (...args: string[]) => cli(cwd, ['package', '--data', 'data', ...args]);
    expect((await run('--wave', WAVE_2)).code).toBe(2); // no --out
    expect((await run('--wave', WAVE_2, '--out', 'x.zip', '--k', '1')).code).toBe(2);
    expect((await run('--wave', WAVE_2, '--out', 'x.zip', '--k', 'three')).code).toBe(2);
    // There is no way to ask for part one.
    expect((await run('--wave', WAVE_2, '--out', 'x.zip', '--part', 'identifiable')).code).toBe(2);
    const unknown = await run('--wave', '1999-01', '--out', 'x.zip');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown wave "1999-01"/);
    const missing = await run('--wave', WAVE_2, '--out', join('nowhere', 'x.zip'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot write');
    expect(existsSync(join(cwd, 'x.zip'))).toBe(false);
  });

  it('warns when no row can be released', async () => {
    const cwd = tempDir();
    const result = await cli(cwd, ['package', '--data', 'data', '--wave', WAVE_2, '--out', 'empty.zip']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: no rows released: 0 responses/);
    expect(result.stdout).toContain('0 rows of part two');
  });
});

// ------------------------------------------------------------------------- a package across waves

/** A package's CSV as records keyed by column. */
const recordsOf = (files: Record<string, string>) => {
  const [header, ...rows] = parseCsv(files['part-two.csv']!);
  return { header: header!, rows: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))) };
};

/** The rows of one wave as sorted JSON, restricted to some columns: rows are shuffled, so compared as multisets. */
const multiset = (rows: readonly Record<string, unknown>[], columns: readonly string[]) => rows.map((r) => JSON.stringify(columns.map((c) => r[c]))).sort();

describe('the research package across waves, from the bundled 2020 data', () => {
  // Free text of June released (an analyst's decision): a column January did not ask.
  const releaseText = { [WAVE_2]: ['covid_reflections'] };

  it("is one part-two.csv with the wave first, a row per response of each wave, and each wave's cells exactly as its own package has them, column by column", async () => {
    const { stores } = await seeded();
    const both = unzipText(zipResearchPackage(await buildResearchPackage(stores, { waveIds: [WAVE_2, WAVE_1], releaseText })));
    const combined = recordsOf(both);
    expect(combined.header[0]).toBe('wave');
    // Rows come wave by wave, in the order of the wave ids.
    expect([...new Set(combined.rows.map((r) => r.wave))]).toEqual([WAVE_1, WAVE_2]);
    for (const wave of [WAVE_1, WAVE_2]) {
      const own = recordsOf(
        unzipText(zipResearchPackage(await buildResearchPackage(stores, { waveIds: [wave], ...(wave === WAVE_2 ? { releaseText } : {}) }))),
      );
      const rows = combined.rows.filter((r) => r.wave === wave);
      expect(rows).toHaveLength(await countPartTwo(stores.anonymous, wave));
      expect(rows).toHaveLength(own.rows.length);
      // Every column of the wave's own package is in the combined one, under the same name, with the same cells.
      for (const column of own.header) {
        expect(combined.header, column).toContain(column);
        expect(rows.map((r) => r[column]).sort(), `${wave} ${column}`).toEqual(own.rows.map((r) => r[column]!).sort());
      }
      expect(multiset(rows, own.header)).toEqual(multiset(own.rows, own.header));
      // The columns the wave's own package lacks: a question its version did not ask, or a _coded flag of another wave's coding.
      for (const column of combined.header.filter((c) => !own.header.includes(c))) {
        const cells = new Set(rows.map((r) => r[column]));
        if (column.endsWith('_coded'))
          expect(
            [...cells].every((c) => ['exact', '', '.s', '.n'].includes(c!)),
            `${wave} ${column}`,
          ).toBe(true);
        else expect(cells, `${wave} ${column}`).toEqual(new Set(['.n']));
      }
    }
    // covid_reflections: asked in June only; January's rows say "not asked", never empty and never 0.
    expect(new Set(combined.rows.filter((r) => r.wave === WAVE_1).map((r) => r.covid_reflections))).toEqual(new Set(['.n']));
    expect(combined.rows.filter((r) => r.wave === WAVE_2).some((r) => r.covid_reflections !== '' && r.covid_reflections !== '.n')).toBe(true);
  });

  it('validates, and the Frictionless library reads every cell with not asked and withheld as missing (offline)', async () => {
    const { dir, stores } = await seeded();
    const pkg = await buildResearchPackage(stores, { waveIds: [WAVE_1, WAVE_2], releaseText });
    const files = unzipText(zipResearchPackage(pkg));
    expect(packageProfileErrors(JSON.parse(files['datapackage.json']!))).toEqual([]);
    const rows = await frictionlessRead(unpack(files, join(dir, 'both')), 'part-two');
    expect(rows).toHaveLength(pkg.rows);
    const raw = recordsOf(files).rows;
    rows.forEach((row, i) => {
      for (const [column, cell] of Object.entries(raw[i]!)) {
        if (['', '.n', '.s'].includes(cell)) expect(row[column], column).toBeNull();
        else expect(row[column], column).not.toBeNull();
      }
    });
    expect(raw.some((r) => Object.values(r).includes('.s'))).toBe(true);
    expect(raw.some((r) => Object.values(r).includes('.n'))).toBe(true);
    // Each field says which waves asked it.
    const fields = pkg.descriptor.resources[0].schema.fields;
    expect(fields.find((f) => f.name === 'covid_reflections')!.waves!.map((w) => w.wave)).toEqual([WAVE_2]);
    expect(fields.find((f) => f.name === 'induction')!.waves!.map((w) => w.wave)).toEqual([WAVE_1, WAVE_2]);
    expect(files['README.md']).toContain('## The waves');
    expect(files['README.md']).toMatch(/re-issue the survey in June 2020/);
  });

  it('holds the disclosure control in the combined file, the wave counting as a quasi-identifier: every combination and every number as shown is held by k rows', async () => {
    const { stores } = await seeded();
    for (const k of [3, 4]) {
      const pkg = await buildResearchPackage(stores, { waveIds: [WAVE_1, WAVE_2], k });
      const { rows } = recordsOf(unzipText(zipResearchPackage(pkg)));
      const quasi = pkg.reports[0]!.quasiIdentifiers;
      expect(quasi.length).toBeGreaterThan(0);
      const tally = (keys: string[]) => keys.reduce((m, key) => m.set(key, (m.get(key) ?? 0) + 1), new Map<string, number>());
      // Withheld (.s) and unanswered (empty) are shown apart, so they count apart.
      const combinations = tally(rows.map((r) => JSON.stringify([r.wave, ...quasi.map((q) => r[q])])));
      expect([...combinations].filter(([, n]) => n < k)).toEqual([]);
      const numbers = pkg.descriptor.resources[0].schema.fields
        .filter((f) => (f.type === 'integer' || f.type === 'number') && !f.categories)
        .map((f) => f.name);
      expect(numbers).toContain('groups_involved');
      for (const name of numbers) {
        const values = tally(rows.filter((r) => !['', '.n', '.s'].includes(r[name]!)).map((r) => `${r.wave} ${r[name]}`));
        expect(
          [...values].filter(([, n]) => n < k),
          name,
        ).toEqual([]);
      }
    }
  });

  it('refuses a wave named twice, an unknown wave, and text released for a wave not in the package', async () => {
    const { stores } = await seeded();
    await expect(buildResearchPackage(stores, { waveIds: [WAVE_1, WAVE_1] })).rejects.toThrow(/wave 2020-01 is named more than once/);
    await expect(buildResearchPackage(stores, { waveIds: [] })).rejects.toThrow(/at least one wave/);
    await expect(buildResearchPackage(stores, { waveIds: [WAVE_1, '1999-01'] })).rejects.toBeInstanceOf(PackageRefused);
    await expect(buildResearchPackage(stores, { waveIds: [WAVE_1], releaseText })).rejects.toThrow(/2020-06, which is not a wave of this package/);
  });
});

describe('read_cswo.py in the package, run by python3', () => {
  /** Runs the package's own script on its unpacked folder and returns what it read. */
  const readWithPython = (dir: string, ...flags: string[]) => {
    const out = execFileSync('python3', [join(dir, 'read_cswo.py'), dir, '--json', ...flags], { encoding: 'utf8', maxBuffer: 2 ** 26 });
    return JSON.parse(out) as { rows: Record<string, unknown>[]; missing: Record<string, string>[] };
  };

  it("reads the two-wave package with the codebook's types and missing values, and each wave's rows as in its own package", async () => {
    const { dir, stores } = await seeded();
    const releaseText = { [WAVE_2]: ['covid_reflections', 'final_reflections'] };
    const bothPkg = await buildResearchPackage(stores, { waveIds: [WAVE_1, WAVE_2], releaseText });
    const bothFiles = unzipText(zipResearchPackage(bothPkg));
    const bothDir = unpack(bothFiles, join(dir, 'both'));
    const codes = readWithPython(bothDir, '--codes');
    const raw = recordsOf(bothFiles).rows;
    expect(codes.rows).toHaveLength(raw.length);
    const fields = bothPkg.descriptor.resources[0].schema.fields;
    codes.rows.forEach((row, i) => {
      for (const field of fields) {
        const cell = raw[i]![field.name]!;
        if (['', '.n', '.s'].includes(cell)) {
          expect(row[field.name], field.name).toBeNull();
          expect(codes.missing[i]![field.name], field.name).toBe(cell);
        } else {
          expect(row[field.name], field.name).toEqual(field.type === 'string' ? cell : Number(cell));
          expect(codes.missing[i]!, field.name).not.toHaveProperty(field.name);
        }
      }
    });

    // With labels: codes become their labels, ratings stay numbers (they order and average), the rest as typed.
    const labelled = readWithPython(bothDir);
    const induction = fields.find((f) => f.name === 'induction')!;
    const rating = fields.find((f) => f.categoriesOrdered)!;
    labelled.rows.forEach((row, i) => {
      const code = raw[i]!.induction!;
      if (!['', '.n', '.s'].includes(code)) expect(row.induction).toBe(induction.categories!.find((c) => c.value === code)!.label);
      expect(row[rating.name]).toBe(codes.rows[i]![rating.name]);
      expect(row.wave).toBe(fields[0]!.categories!.find((c) => c.value === raw[i]!.wave)!.label);
    });

    // Against each wave's own package, read by the same script: the same records, column by column.
    for (const wave of [WAVE_1, WAVE_2]) {
      const ownPkg = await buildResearchPackage(stores, { waveIds: [wave], ...(wave === WAVE_2 ? { releaseText } : {}) });
      const own = readWithPython(unpack(unzipText(zipResearchPackage(ownPkg)), join(dir, wave)), '--codes');
      const columns = ownPkg.descriptor.resources[0].schema.fields.map((f) => f.name);
      const mine = codes.rows.flatMap((r, i) =>
        r.wave === wave ? [{ ...r, ...Object.fromEntries(Object.entries(codes.missing[i]!).map(([c, m]) => [`missing:${c}`, m])) }] : [],
      );
      const theirs = own.rows.map((r, i) => ({ ...r, ...Object.fromEntries(Object.entries(own.missing[i]!).map(([c, m]) => [`missing:${c}`, m])) }));
      expect(mine).toHaveLength(ownPkg.rows);
      const withMissing = [...columns, ...columns.map((c) => `missing:${c}`)];
      expect(multiset(mine, withMissing)).toEqual(multiset(theirs, withMissing));
    }
  });

  it('refuses a file that does not match its codebook, naming the row and column', async () => {
    const { dir, stores } = await seeded();
    const files = unzipText(zipResearchPackage(await buildResearchPackage(stores, { waveIds: [WAVE_2] })));
    const lines = files['part-two.csv']!.split('\r\n');
    const header = lines[0]!.split(',');
    const column = header.indexOf('induction');
    const cells = parseCsv(lines[1]!)[0]!;
    cells[column] = 'maybe';
    lines[1] = toCsv([cells]).trimEnd();
    const broken = unpack({ ...files, 'part-two.csv': lines.join('\r\n') }, join(dir, 'broken'));
    let stderr = '';
    try {
      execFileSync('python3', [join(broken, 'read_cswo.py'), broken], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      stderr = String((error as { stderr: string }).stderr);
    }
    expect(stderr).toContain("part-two.csv row 2, column induction: 'maybe' is not one of the codes");
  });
});

describe('read_cswo.R in the package', () => {
  it('spells out every field of the codebook, with codes, labels and ordered ratings, in ASCII string literals', async () => {
    const { stores } = await seeded();
    const pkg = await buildResearchPackage(stores, { waveIds: [WAVE_1, WAVE_2] });
    const script = unzipText(zipResearchPackage(pkg))['read_cswo.R']!;
    expect(script).toMatch(/^read_cswo <- function\(folder = ".", labels = TRUE\) \{$/m);
    for (const field of pkg.descriptor.resources[0].schema.fields) expect(script).toContain(`out[["${field.name}"]] <- `);
    const rating = pkg.descriptor.resources[0].schema.fields.find((f) => f.categoriesOrdered)!;
    expect(script).toMatch(new RegExp(`out\\[\\["${rating.name.replace('.', '\\.')}"\\]\\] <- as_codes\\(.*ordered = TRUE, type = "integer"\\)`));
    expect(script).toContain('missing_codes <- c("", ".n", ".s")');
    // Non-ASCII labels are escaped, so the script reads the same in any locale.
    expect(/^[\x09\x0a\x0d\x20-\x7e]*$/.test(script)).toBe(true);
    // Brackets and quotes balance: a cheap check of a script R is not here to parse.
    const code = script.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/#.*$/gm, '');
    for (const [open, close] of [
      ['(', ')'],
      ['{', '}'],
      ['[', ']'],
    ] as const)
      expect(code.split(open).length, open).toBe(code.split(close).length);
  });
});

describe('cli package across waves', () => {
  it('takes --wave more than once and says what each wave gave', async () => {
    const cwd = tempDir();
    expect((await cli(cwd, ['seed', '--data', 'data'])).code).toBe(0);
    const result = await cli(cwd, ['package', '--data', 'data', '--wave', WAVE_2, '--wave', WAVE_1, '--out', 'both.zip']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `wrote the research package of waves ${WAVE_1}, ${WAVE_2} to both\\.zip: 48 rows of part two \\(${WAVE_1} 27, ${WAVE_2} 21\\), \\d+ columns, k = 3`,
      ),
    );
    const files = unzipText(readFileSync(join(cwd, 'both.zip')));
    expect(Object.keys(files).sort()).toEqual(packageFiles);
    expect(parseCsv(files['part-two.csv']!)).toHaveLength(49);
    const twice = await cli(cwd, ['package', '--data', 'data', '--wave', WAVE_2, '--wave', WAVE_2, '--out', 'x.zip']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('--wave 2020-06 is given more than once');
    const unknown = await cli(cwd, ['package', '--data', 'data', '--wave', WAVE_2, '--wave', '1999-01', '--out', 'x.zip']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown wave "1999-01"/);
    expect(existsSync(join(cwd, 'x.zip'))).toBe(false);
  });
});

// ------------------------------------------------------------------ answers written while a package is made

/**
 * The anonymous store with `before` run ahead of every streamed read (each pass over a wave's rows), so
 * answers can be written between the passes as a respondent would. Everything else goes to the store.
 */
const writingBetweenPasses = (anonymous: Stores['anonymous'], before: () => Promise<void>): Stores['anonymous'] => {
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, property) {
        const value = Reflect.get(t, property, t) as unknown;
        if (typeof value !== 'function') return value;
        if (property === 'stream') {
          return (...args: unknown[]) =>
            (async function* () {
              await before();
              yield* (value as (...a: unknown[]) => AsyncIterable<unknown>).apply(t, args);
            })();
        }
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(t, args);
          return result !== null && typeof result === 'object' && 'stream' in result ? wrap(result) : result;
        };
      },
    });
  return wrap(anonymous);
};

describe('the research package when answers are written while it is made', () => {
  const oneMore = (stores: Stores) => insertPartTwoResponses(stores.anonymous, WAVE_2, [{ induction: 'yes' }]);

  it('reads the same rows in both passes: made again when the answers changed once, with the new answer in', async () => {
    const { dir, stores } = await seeded();
    const before = await countPartTwo(stores.anonymous, WAVE_2);
    let writes = 0;
    const anonymous = writingBetweenPasses(stores.anonymous, async () => {
      if (writes++ === 1) await oneMore(stores); // after the first pass of the first attempt
    });
    const pkg = await writeResearchPackage({ anonymous }, { waveIds: [WAVE_2] }, join(dir, 'p.zip'));
    expect(pkg.rows).toBe(before + 1);
    expect(parseCsv(unzipText(readFileSync(join(dir, 'p.zip')))['part-two.csv']!)).toHaveLength(before + 2);
    // The first attempt's passes, then the second's: more than one attempt's worth of reads.
    expect(writes).toBeGreaterThanOrEqual(4);
    expect(partials(dir)).toEqual([]);
  });

  it('refuses when the answers change in every attempt, and writes nothing; the control, with no writes, is made at once', async () => {
    const { dir, stores } = await seeded();
    const out = join(dir, 'p.zip');
    const always = writingBetweenPasses(stores.anonymous, () => oneMore(stores));
    await expect(writeResearchPackage({ anonymous: always }, { waveIds: [WAVE_2] }, out)).rejects.toThrow(/answers changed while the package was being made/);
    await expect(buildResearchPackage({ anonymous: always }, { waveIds: [WAVE_2] })).rejects.toBeInstanceOf(PackageRefused);
    expect(existsSync(out)).toBe(false);
    expect(partials(dir)).toEqual([]);
    let reads = 0;
    const quiet = writingBetweenPasses(stores.anonymous, async () => void reads++);
    const pkg = await writeResearchPackage({ anonymous: quiet }, { waveIds: [WAVE_2] }, out);
    expect(pkg.rows).toBe(await countPartTwo(stores.anonymous, WAVE_2));
    expect(reads).toBeLessThanOrEqual(3);
  });
});
