import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportCsvToFile, ExportRefused } from '../../server/csv/csv-export.js';
import { useTempDirs } from '../support/temp-dir.js';
import { importText, parseCsv, storeOpener, toCsv, WAVE_1, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const openDescriptors = (): number | undefined => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : undefined);

/** Lets file-system work already started (an open on the thread pool) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('exportCsvToFile', () => {
  it('writes the whole file and nothing else into the directory', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await importText(
      stores,
      { wave: WAVE_1, part: 'identifiable' },
      toCsv([
        ['local_authority', 'role'],
        ['fife', 'cswo'],
        ['angus', 'deputy'],
      ]),
    );
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'part-one.csv'), 'old contents that must disappear');
    expect(await exportCsvToFile(stores, { waveId: WAVE_1, part: 'identifiable' }, join(out, 'part-one.csv'))).toBe(2);
    expect(readdirSync(out)).toEqual(['part-one.csv']);
    const records = parseCsv(readFileSync(join(out, 'part-one.csv'), 'utf8'));
    expect(records.slice(1).map((r) => r[records[0]!.indexOf('local_authority')])).toEqual(['angus', 'fife']);
  });

  it('refuses an unknown wave, leaving no file, no partial file and no open file behind', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'previous export');
    await settle();
    const before = openDescriptors();
    for (let i = 0; i < 40; i++) {
      await expect(exportCsvToFile(stores, { waveId: '1999-01', part: 'anonymous' }, out)).rejects.toBeInstanceOf(ExportRefused);
    }
    await settle();
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
    // The previous file is untouched.
    expect(readFileSync(out, 'utf8')).toBe('previous export');
    const after = openDescriptors();
    if (before !== undefined && after !== undefined) {
      // A refused export must close the temporary file it opened; 40 refusals leaking one each would show.
      expect(after - before).toBeLessThan(10);
    }
  });

  it('refuses a path in a missing directory without creating it', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await expect(exportCsvToFile(stores, { waveId: WAVE_2, part: 'anonymous' }, join(dir, 'missing', 'x.csv'))).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
