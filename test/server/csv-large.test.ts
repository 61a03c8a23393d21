import { createReadStream, createWriteStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { afterEach, describe, expect, it } from 'vitest';
import { exportCsvToFile } from '../../server/csv/csv-export.js';
import { importCsv } from '../../server/csv/csv-import.js';
import { countPartTwo } from '../../server/storage/anonymous-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

/**
 * 100,000 rows of part two: the file is written and read as streams, so neither the import nor the
 * export holds it in memory. Set CSWO_LARGE_ROWS to try other sizes.
 */
const rows = Number(process.env.CSWO_LARGE_ROWS ?? 100_000);
const sizes = ['always', 'sometimes', 'rarely', 'never'];

const writeLargeCsv = async (path: string) => {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('extra_hours_frequency,groups_involved,pressure.children,pressure.adults,resources.sssk,resources.reading,final_reflections\r\n');
  for (let i = 0; i < rows; i++) {
    await write(`${sizes[i % 4]},${i},${(i % 5) + 1},${i % 7 === 0 ? '' : (i % 3) + 1},${i % 2},1,"row ${i}, with ""quotes"""\r\n`);
  }
  out.end();
  await once(out, 'finish');
};

describe(`a large file (${rows} part-two rows)`, () => {
  it('imports every row and exports the same number of rows', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const input = join(dir, 'large.csv');
    await writeLargeCsv(input);

    let lastProgress = { bytes: 0, rows: 0 };
    const summary = await importCsv(stores, {
      waveId: WAVE_2,
      part: 'anonymous',
      input: createReadStream(input),
      onProgress: (p) => (lastProgress = p),
    });
    expect(summary).toEqual({ waveId: WAVE_2, part: 'anonymous', definition: 'cswo-annual@2', imported: rows, replaced: 0 });
    expect(lastProgress.rows).toBe(rows);
    expect(await countPartTwo(stores.anonymous, WAVE_2)).toBe(rows);

    const output = join(dir, 'export.csv');
    expect(await exportCsvToFile(stores, { waveId: WAVE_2, part: 'anonymous' }, output)).toBe(rows);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);

    // Stream the export back: the right number of records, each as wide as the header, and the
    // multiset of groups_involved values is exactly 0..rows-1.
    const parser = createReadStream(output).pipe(parse({ bom: true }));
    let header: string[] | undefined;
    let count = 0;
    let sum = 0;
    let wrongWidth = 0;
    const seen = new Uint8Array(rows);
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record;
        continue;
      }
      if (record.length !== header.length) wrongWidth++;
      const value = Number(record[header.indexOf('groups_involved')]);
      seen[value]! += 1;
      sum += value;
      count++;
    }
    expect(count).toBe(rows);
    expect(wrongWidth).toBe(0);
    expect(header).toContain('final_reflections');
    expect(sum).toBe((rows * (rows - 1)) / 2);
    expect(seen.every((n) => n === 1)).toBe(true);
  });
});
