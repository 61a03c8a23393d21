import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTables, protectTables, tableRecordHeader, tableRecords, tablesAsTidy, tidyHeader } from '../../analysis/index.js';
import { loadWaveResponses } from '../../server/dashboards/wave-loader.js';
import { exportCsvToFile } from '../../server/csv/csv-export.js';
import { csvLayout } from '../../survey-definitions/answer-cells.js';
import { buildResearchPackage, zipResearchPackage } from '../../server/research/research-package.js';
import { seedBundledData } from '../../server/csv/bundled-data.js';
import { insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import { insertPartOneResponses } from '../../server/storage/part-one-store.js';
import { replaceRoster } from '../../server/storage/roster-store.js';
import { definitionOfWave, findBundledWave } from '../../survey-definitions/index.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, storeOpener, WAVE_2 } from './helpers.js';
import { csrfOf } from './respondent-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * Every CSV the platform hands out, read back by readers we did not write and did not configure to
 * match the writer: Python's `csv` module as anyone would call it, and csv-parse with its defaults. On
 * cells holding line feeds, carriage returns, quotes, commas, edge spaces, non-ASCII and formula-like
 * text, each must give as many records as rows went in and every cell exactly.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

/** Python 3's csv module, as its documentation says to open a CSV file (utf-8-sig takes off a BOM). */
const python = (file: string): string[][] =>
  JSON.parse(
    execFileSync('python3', ['-c', 'import csv, json, sys\nprint(json.dumps(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))))', file], {
      encoding: 'utf8',
    }),
  ) as string[][];

/** csv-parse with its defaults (only the BOM taken off, as every reader of a BOM file does). */
const csvParse = (file: string): string[][] => parse(readFileSync(file), { bom: true }) as string[][];

/** Both readers give exactly `expected` (records in order unless `sortBy` names a column to sort the rows by). */
const expectReadAs = (file: string, expected: readonly (readonly string[])[], sortBy?: number) => {
  const sorted = (records: readonly (readonly string[])[]) =>
    sortBy === undefined ? records : [records[0]!, ...[...records.slice(1)].sort((a, b) => a[sortBy]!.localeCompare(b[sortBy]!))];
  for (const [reader, read] of [
    ['Python csv', python],
    ['csv-parse', csvParse],
  ] as const) {
    const records = read(file);
    expect(records.length, `${reader}: records in ${file}`).toBe(expected.length);
    expect(sorted(records), reader).toEqual(sorted(expected));
  }
};

/**
 * Answers that break a careless writer, each with the cell it must read as: formula-like text gets the
 * guard's leading apostrophe (a plain number does not), everything else stays exactly as typed.
 */
const hostile: readonly (readonly [typed: string, cell: string])[] = [
  ['first line\nsecond line', 'first line\nsecond line'],
  ['a carriage\rreturn', 'a carriage\rreturn'],
  ['windows\r\nline end', 'windows\r\nline end'],
  ['ends with a line feed\n', 'ends with a line feed\n'],
  ['she said "no", twice', 'she said "no", twice'],
  ['"', '"'],
  ['comma, inside', 'comma, inside'],
  [' leading space', ' leading space'],
  ['trailing space ', 'trailing space '],
  ['Gàidhlig, Ł, ß, 中文, 🙂', 'Gàidhlig, Ł, ß, 中文, 🙂'],
  ['=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'],
  ['+1+2', "'+1+2"],
  ['-3+cmd', "'-3+cmd"],
  ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
  ["'=already quoted", "''=already quoted"],
  ['\t=tab first', "'\t=tab first"],
  ['-0.5', '-0.5'],
  ['plain', 'plain'],
];

const definition = definitionOfWave(findBundledWave(WAVE_2)!);

describe('every CSV the platform writes reads right in tools we did not configure', () => {
  it('export of part two, with and without a byte order mark', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await insertPartTwoResponses(
      stores.anonymous,
      WAVE_2,
      hostile.map(([typed], i) => ({ groups_involved: i, final_reflections: typed })),
    );
    const header = csvLayout(definition, 'anonymous').header;
    const row = (i: number, cell: string) => header.map((column) => (column === 'groups_involved' ? String(i) : column === 'final_reflections' ? cell : ''));
    const expected = [[...header], ...hostile.map(([, cell], i) => row(i, cell))];
    for (const bom of [false, true]) {
      const file = join(dir, `part-two-${bom}.csv`);
      expect(await exportCsvToFile(stores, { waveId: WAVE_2, part: 'anonymous', bom }, file)).toBe(hostile.length);
      expect(
        readFileSync(file)
          .subarray(0, 3)
          .equals(Buffer.from([0xef, 0xbb, 0xbf])),
      ).toBe(bom);
      expectReadAs(file, expected, header.indexOf('groups_involved'));
    }
  });

  it('export of part one', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const councils = ['fife', 'angus', 'moray', 'highland', 'falkirk', 'stirling', 'dundee_city', 'orkney_islands', 'perth_and_kinross', 'glasgow_city'];
    const used = hostile.slice(0, councils.length);
    await insertPartOneResponses(
      stores.identifiable,
      WAVE_2,
      used.map(([typed], i) => ({
        localAuthority: councils[i]!,
        answers: { name: `Officer ${i}`, email: `cswo${i}@example.gov.uk`, local_authority: councils[i]!, oversight_roles: typed },
      })),
    );
    const header = csvLayout(definition, 'identifiable').header;
    const cellsOf: Record<string, (i: number) => string> = {
      name: (i) => `Officer ${i}`,
      email: (i) => `cswo${i}@example.gov.uk`,
      local_authority: (i) => councils[i]!,
      oversight_roles: (i) => used[i]![1],
    };
    const file = join(dir, 'part-one.csv');
    await exportCsvToFile(stores, { waveId: WAVE_2, part: 'identifiable' }, file);
    expectReadAs(file, [[...header], ...used.map((_, i) => header.map((column) => cellsOf[column]?.(i) ?? ''))], header.indexOf('local_authority'));
  });

  it('tables --format csv and the dashboard table downloads, whose labels hold commas and quotes', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await seedBundledData(stores);
    const result = buildTables(await loadWaveResponses(stores, WAVE_2));
    const printed = await cli(dir, ['tables', '--data', join(dir, 'data'), '--wave', WAVE_2, '--format', 'csv']);
    expect(printed.code).toBe(0);
    const tidyFile = join(dir, 'tables.csv');
    writeFileSync(tidyFile, printed.stdout);
    const tidy = tablesAsTidy(result).map((r) => tidyHeader.map((h) => String(r[h] ?? '')));
    // Ids and numbers only, some of them negative (differences): they must stay numbers.
    expect(tidy.some((r) => r[5]!.startsWith('-'))).toBe(false);
    expectReadAs(tidyFile, [[...tidyHeader], ...tidy]);

    // The downloads compared with the other wave: labels with commas and quotes, negative changes, verdicts.
    const compared = protectTables(buildTables(await loadWaveResponses(stores, WAVE_2), await loadWaveResponses(stores, '2020-01')), { mode: 'analyst' });
    const t = staffApp(stores);
    const analyst = await t.signedIn('analyst');
    const seen = { quoted: 0, negative: 0 };
    for (const table of compared.tables) {
      const path = `/staff/dashboards/${WAVE_2}/tables/${table.id}/csv?compare=2020-01&view=analyst`;
      const response = await t.app.request(path, { headers: { cookie: analyst.jar.header(path)! } });
      expect(response.status, path).toBe(200);
      const file = join(dir, `${table.id}.csv`);
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      const records = tableRecords(table, WAVE_2, 'analyst').map((r) => tableRecordHeader.map((h) => r[h]));
      seen.quoted += records.filter((r) => r.some((cell) => /[,"]/.test(cell))).length;
      seen.negative += records.filter((r) => r[tableRecordHeader.indexOf('change')]!.startsWith('-')).length;
      expectReadAs(file, [[...tableRecordHeader], ...records]);
    }
    expect(seen.quoted).toBeGreaterThan(0);
    // A negative change reads as a number, not as defused text.
    expect(seen.negative).toBeGreaterThan(0);
  });

  it('the research package, with released free text', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await insertPartTwoResponses(
      stores.anonymous,
      WAVE_2,
      hostile.map(([typed], i) => ({ groups_involved: i % 4, final_reflections: typed })),
    );
    const pkg = await buildResearchPackage(stores, { waveIds: [WAVE_2], releaseText: { [WAVE_2]: ['final_reflections'] } });
    const file = join(dir, 'part-two.csv');
    writeFileSync(file, unzipSync(zipResearchPackage(pkg))['part-two.csv']!);
    for (const read of [python, csvParse]) {
      const [header, ...rows] = read(file);
      expect(rows).toHaveLength(hostile.length);
      for (const row of rows) expect(row).toHaveLength(header!.length);
      const column = header!.indexOf('final_reflections');
      expect(rows.map((r) => r[column]).sort()).toEqual(hostile.map(([, cell]) => cell).sort());
    }
  });

  it('the invitation links download, from a roster whose names hold anything', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const names = hostile.slice(0, 6);
    const councils = ['fife', 'angus', 'moray', 'highland', 'falkirk', 'stirling'];
    await replaceRoster(
      stores.identifiable,
      WAVE_2,
      names.map(([typed], i) => ({ localAuthority: councils[i]!, name: typed, email: `cswo${i}@example.gov.uk` })),
    );
    const t = staffApp(stores);
    const admin = await t.signedIn('admin');
    const path = `/staff/waves/${WAVE_2}/invitations`;
    const page = await t.send(admin.jar, 'GET', path);
    const version = /name="version" value="([^"]*)"/.exec(page.html)![1]!;
    const response = await t.app.request(path, {
      method: 'POST',
      headers: { cookie: admin.jar.header(path)!, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['_csrf', csrfOf(page.html)], ['version', version], ...councils.map((c) => ['council', c]), ['delivery', 'csv']]).toString(),
    });
    expect(response.status).toBe(200);
    const file = join(dir, 'links.csv');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    for (const read of [python, csvParse]) {
      const [header, ...rows] = read(file);
      expect(header).toEqual(['local_authority', 'name', 'email', 'link']);
      expect(rows.map((r) => r.slice(0, 3)).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual(
        names.map(([, cell], i) => [councils[i]!, cell, `cswo${i}@example.gov.uk`]).sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
      for (const row of rows) expect(row[3]).toMatch(/^http:\/\/localhost\/i\/[A-Za-z0-9_-]{43}$/);
    }
  });

  it('the control: what the writer replaced, csv-stringify configured as the five call sites had it, splits a row at a bare line feed', async () => {
    const dir = tempDir();
    const { stringify } = await import('csv-stringify/sync');
    const file = join(dir, 'old.csv');
    writeFileSync(
      file,
      stringify(
        [
          ['id', 'text'],
          ['1', 'first line\nsecond line'],
        ],
        { record_delimiter: 'windows' },
      ),
    );
    expect(python(file)).toHaveLength(3);
  });
});
