import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataPackageDescriptor } from '../../analysis/index.js';
import { seededRandom } from '../../analysis/statistics/seeded-random.js';
import { csvLayout } from '../../server/csv/csv-layout.js';
import { buildResearchPackage, PackageRefused, researchPackageFiles, writeResearchPackage, zipResearchPackage } from '../../server/downloads/research-package.js';
import { seedBundledData } from '../../server/seed/bundled-data.js';
import { countPartTwo } from '../../server/storage/anonymous-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { definitionOfWave, findWave } from '../../survey-definitions/index.js';
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

const partials = (dir: string) => readdirSync(dir).filter((f) => f.includes('.partial'));

/** Part one's columns (the identifiable part of the wave's definition). */
const partOneColumns = (wave: string) => csvLayout(definitionOfWave(findWave(wave)!), 'identifiable').header;

describe.each([WAVE_1, WAVE_2])('the research package of wave %s, from the bundled 2020 data', (wave) => {
  it('is a zip of exactly part-two.csv, datapackage.json and README.md, owner-readable only', async () => {
    const { dir, stores } = await seeded();
    const out = join(dir, `wave-${wave}.zip`);
    const pkg = await writeResearchPackage(stores, { waveId: wave }, out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(partials(dir)).toEqual([]);
    const files = unzipText(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'datapackage.json', 'part-two.csv']);
    expect([...researchPackageFiles].sort()).toEqual(Object.keys(files).sort());
    expect(JSON.parse(files['datapackage.json']!)).toEqual(JSON.parse(JSON.stringify(pkg.descriptor)));
  });

  it('holds every released row: the CSV parses back with one header column per field, in order, and a row per response', async () => {
    const { dir, stores } = await seeded();
    const pkg = await writeResearchPackage(stores, { waveId: wave }, join(dir, 'p.zip'));
    const files = unzipText(readFileSync(join(dir, 'p.zip')));
    const descriptor = JSON.parse(files['datapackage.json']!) as DataPackageDescriptor;
    const fields = descriptor.resources[0].schema.fields.map((f) => f.name);
    const [header, ...rows] = parseCsv(files['part-two.csv']!);
    expect(header).toEqual(fields);
    expect(new Set(header).size).toBe(header!.length);
    const responses = await countPartTwo(stores.anonymous, wave);
    expect(responses).toBeGreaterThan(15);
    expect(rows).toHaveLength(responses);
    expect(pkg.report.rows).toBe(responses);
    expect(pkg.report.order).toBe('shuffled (CSPRNG)');
    for (const row of rows) expect(row).toHaveLength(header!.length);
    // RFC 4180 with CRLF, no byte order mark, exactly as the export writes.
    expect(files['part-two.csv']!.startsWith(header!.join(','))).toBe(true);
    expect(files['part-two.csv']!.endsWith('\r\n')).toBe(true);
  });

  it('validates, and the Frictionless library reads every cell under its field type and codes (offline)', async () => {
    const { dir, stores } = await seeded();
    const pkg = await buildResearchPackage(stores, { waveId: wave });
    const files = unzipText(zipResearchPackage(pkg));
    expect(packageProfileErrors(JSON.parse(files['datapackage.json']!))).toEqual([]);
    const rows = await frictionlessRead(unpack(files, join(dir, 'unpacked')), 'part-two');
    expect(rows).toHaveLength(pkg.report.rows);
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
    const pkg = await buildResearchPackage(stores, { waveId: wave });
    const header = parseCsv(unzipText(zipResearchPackage(pkg))['part-two.csv']!)[0]!;
    for (const column of ['local_authority', 'name', 'email', 'role', 'id']) expect(header).not.toContain(column);
    for (const column of partOneColumns(wave)) expect(header).not.toContain(column);
    const definition = definitionOfWave(findWave(wave)!);
    const freeText = csvLayout(definition, 'anonymous').items.filter((i) => i.item.kind === 'text').flatMap((i) => i.columns);
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
    const pkg = await buildResearchPackage(anonymousOnly, { waveId: WAVE_2 });
    expect(pkg.report.rows).toBeGreaterThan(0);
  });

  it('neutralises formula-like cells of released free text, and says so in the codebook', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    // Import takes off one guarding quote: the last text is stored as '=already quoted.
    const texts = ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', "''=already quoted", 'plain words'];
    await importText(stores, { wave: WAVE_2, part: 'anonymous' }, toCsv([['final_reflections', 'induction'], ...texts.map((t) => [t, 'yes'])]));
    const released = await buildResearchPackage(stores, { waveId: WAVE_2, releaseText: ['final_reflections'], random: seededRandom(2) });
    const files = unzipText(zipResearchPackage(released));
    const [header, ...rows] = parseCsv(files['part-two.csv']!);
    const column = header!.indexOf('final_reflections');
    expect(column).toBe(header!.length - 1);
    const cells = rows.map((r) => r[column]!).sort();
    // A plain number stays a number (a spreadsheet reads -2 as minus two, never as a formula).
    expect(cells).toEqual(["'+1", '-2', "'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "''=already quoted", 'plain words'].sort());
    for (const cell of cells.filter((c) => c !== '-2')) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const field = released.descriptor.resources[0].schema.fields.find((f) => f.name === 'final_reflections')!;
    expect(field.description).toMatch(/apostrophe/);
    expect(released.report.order).toBe('shuffled (seeded: not for release)');

    // By default the same wave releases no free text at all.
    const byDefault = parseCsv(unzipText(zipResearchPackage(await buildResearchPackage(stores, { waveId: WAVE_2 })))['part-two.csv']!)[0]!;
    expect(byDefault).not.toContain('final_reflections');
    expect(byDefault).toContain('induction');
  });

  it('writes a header-only CSV and says so when the wave has fewer than k responses', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await importText(stores, { wave: WAVE_1, part: 'anonymous' }, toCsv([['induction'], ['yes'], ['no']]));
    const pkg = await buildResearchPackage(stores, { waveId: WAVE_1 });
    const files = unzipText(zipResearchPackage(pkg));
    expect(parseCsv(files['part-two.csv']!)).toHaveLength(1);
    expect(pkg.report.withheld).toMatch(/fewer than k = 3/);
    expect(files['README.md']).toContain('No rows are released');
    expect(packageProfileErrors(JSON.parse(files['datapackage.json']!))).toEqual([]);
  });

  it('uses the k asked for, and refuses an unknown wave or a bad k without writing anything', async () => {
    const { dir, stores } = await seeded();
    const pkg = await buildResearchPackage(stores, { waveId: WAVE_2, k: 5 });
    expect(pkg.report.k).toBe(5);
    expect(pkg.descriptor.disclosureControl.k).toBe(5);
    const out = join(dir, 'keep.zip');
    writeFileSync(out, 'previous package');
    await expect(writeResearchPackage(stores, { waveId: '1999-01' }, out)).rejects.toBeInstanceOf(PackageRefused);
    await expect(writeResearchPackage(stores, { waveId: WAVE_2, k: 0 }, out)).rejects.toThrow(/k must be a whole number/);
    await expect(writeResearchPackage(stores, { waveId: WAVE_2, releaseText: ['induction'] }, out)).rejects.toThrow(/not free-text items/);
    expect(readFileSync(out, 'utf8')).toBe('previous package');
    expect(partials(dir)).toEqual([]);
  });

  it('replaces an existing file whole, and leaves nothing behind when the folder is missing', async () => {
    const { dir, stores } = await seeded();
    const out = join(dir, 'out.zip');
    writeFileSync(out, 'old');
    await writeResearchPackage(stores, { waveId: WAVE_1 }, out);
    expect(Object.keys(unzipSync(readFileSync(out)))).toHaveLength(3);
    await expect(writeResearchPackage(stores, { waveId: WAVE_1 }, join(dir, 'missing', 'x.zip'))).rejects.toThrow(/ENOENT/);
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
      expect(Object.keys(unzipSync(readFileSync(join(cwd, `${wave}.zip`)))).sort()).toEqual(['README.md', 'datapackage.json', 'part-two.csv']);
    }
    const withK = await cli(cwd, ['package', '--data', 'data', '--wave', WAVE_2, '--out', 'k4.zip', '--k', '4']);
    expect(withK.code, withK.stderr).toBe(0);
    expect(JSON.parse(unzipText(readFileSync(join(cwd, 'k4.zip')))['datapackage.json']!).disclosureControl.k).toBe(4);
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
