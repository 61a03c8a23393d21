import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { insertWave } from '../../server/storage/wave-store.js';
import { publishDefinition } from '../../server/storage/definition-store.js';
import { cswoAnnualV3 } from '../support/definitions.js';
import { exportText, importRefused, importText, parseCsv, storeOpener, toCsv, totalCounts, WAVE_1, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const partOne = { wave: WAVE_2, part: 'identifiable' } as const;
const partTwo = { wave: WAVE_2, part: 'anonymous' } as const;

const empty = { identifiable: 0, anonymous: 0, allIdentifiable: 0, allAnonymous: 0 };

/** Expects one refusal with exactly these problems and nothing stored in either store. */
const expectRefused = async (
  stores: Stores,
  options: { wave: string; part: 'identifiable' | 'anonymous'; replace?: boolean },
  content: string | Buffer,
  problems: (string | RegExp)[],
) => {
  const error = await importRefused(stores, options, content);
  expect(error.problems).toHaveLength(problems.length);
  problems.forEach((p, i) => (typeof p === 'string' ? expect(error.problems[i]).toBe(p) : expect(error.problems[i]).toMatch(p)));
  expect(error.message.split('\n')[0]).toBe(`nothing was imported: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  // No stack frames, only the messages.
  expect(error.message).not.toMatch(/\n\s+at /);
  expect(await totalCounts(stores)).toEqual(empty);
  return error;
};

describe('CSV import refusals', () => {
  it('refuses an unknown column, naming it and the definition', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'favourite_colour'],
        ['fife', 'blue'],
      ]),
      ['header: unknown column "favourite_colour": expected item ids of the identifiable part of cswo-annual@2'],
    );
  });

  it('suggests the column meant when only case or spacing differ', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(stores, partOne, toCsv([['Local Authority'], ['fife']]), [
      'header: unknown column "Local Authority"; did you mean "local_authority"?',
      'header: missing column "local_authority", which every row must fill in',
    ]);
  });

  it('refuses a column of the other part, saying which part it belongs to', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'groups_involved'],
        ['fife', '3'],
      ]),
      ['header: column "groups_involved" belongs to the anonymous part, not the identifiable part (check --part)'],
    );
  });

  it('refuses a column of a later definition version in an earlier wave', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(stores, { wave: WAVE_1, part: 'anonymous' }, toCsv([['covid_reflections'], ['hard']]), [
      'header: column "covid_reflections" is not in cswo-annual@1, the definition of this wave (it is in cswo-annual@2)',
    ]);
  });

  it('refuses answers that break a rule between answers of the definition, naming the row and the cell', async () => {
    const stores = await opener.openIn(tempDir());
    const wave = { id: '2021-01', name: 'Survey 3', fielded: 'January 2021', definition: { id: 'cswo-annual', version: 3 } };
    await publishDefinition(stores.identifiable, cswoAnnualV3, { actor: null, now: Date.now() });
    await insertWave(stores.identifiable, { wave, createdBy: null, now: Date.now() });
    await expectRefused(
      stores,
      { wave: wave.id, part: 'identifiable' },
      toCsv([
        ['local_authority', 'pq_awards.pq1', 'pq_awards.other', 'pq_awards.none', 'pq_awards_other'],
        ['fife', '1', '0', '1', ''],
        ['angus', '1', '0', '0', 'A diploma'],
        ['moray', '0', '1', '0', 'A diploma'],
      ]),
      [
        'row 2, column pq_awards.none: expected 1 only when no other box of pq_awards is ticked (“None of these” stands alone), got "1"',
        'row 3, column pq_awards_other: expected no answer unless other is chosen in pq_awards, got "A diploma"',
      ],
    );
    await expectRefused(
      stores,
      { wave: wave.id, part: 'anonymous' },
      toCsv([
        ['groups_involved', 'groups_chaired'],
        ['5', '8'],
        ['5', '5'],
      ]),
      ['row 2, column groups_chaired: expected at most 5, the answer to groups_involved, got "8"'],
    );
  });

  it('refuses part one without the required local_authority column', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(stores, partOne, toCsv([['role'], ['cswo']]), ['header: missing column "local_authority", which every row must fill in']);
  });

  it('refuses a part-one row with an empty local_authority', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'role'],
        ['fife', 'cswo'],
        ['', 'deputy'],
      ]),
      ['row 3, column local_authority: expected an answer (this question is required), but it is empty'],
    );
  });

  it('refuses a duplicated header column', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'role', 'role'],
        ['fife', 'cswo', 'cswo'],
      ]),
      ['header: column "role" appears twice (columns 2 and 3)'],
    );
  });

  it('refuses a bad option code, with row, column, the codes and the value', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'role'],
        ['fife', 'cswo'],
        ['angus', 'boss'],
      ]),
      ['row 3, column role: expected one of cswo, deputy, got "boss"'],
    );
  });

  it('refuses an unknown council code', async () => {
    const stores = await opener.openIn(tempDir());
    const error = await expectRefused(stores, partOne, toCsv([['local_authority'], ['atlantis']]), [
      /^row 2, column local_authority: expected one of aberdeen_city, .*, got "atlantis"$/,
    ]);
    expect(error.problems[0]).toContain('glasgow_city');
  });

  it('refuses a number out of range and a number that is not a number', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'contracted_hours'],
        ['fife', '61'],
        ['angus', 'lots'],
        ['highland', '-1'],
      ]),
      [
        'row 2, column contracted_hours: expected a number 0-60, got "61"',
        'row 3, column contracted_hours: expected a number 0-60, got "lots"',
        'row 4, column contracted_hours: expected a number 0-60, got "-1"',
      ],
    );
  });

  it('refuses a fractional count where a whole number is expected', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(stores, partTwo, toCsv([['groups_involved'], ['2.5']]), [
      'row 2, column groups_involved: expected a whole number of at least 0, got "2.5"',
    ]);
  });

  it('refuses a matrix rating out of range, naming the matrix row column', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(
      stores,
      partTwo,
      toCsv([
        ['pressure.children', 'pressure.adults'],
        ['7', '3'],
      ]),
      ['row 2, column pressure.children: expected a rating 1-5, got "7"'],
    );
  });

  it('refuses a multi-choice flag other than 0 or 1', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(
      stores,
      partTwo,
      toCsv([
        ['resources.sssk', 'resources.reading'],
        ['yes', '0'],
      ]),
      ['row 2, column resources.sssk: expected 1 (chosen) or 0 (not chosen), got "yes"'],
    );
  });

  it('refuses an invalid email and an over-long name, quoting long cells briefly', async () => {
    const stores = await opener.openIn(tempDir());
    const long = 'x'.repeat(201);
    await expectRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'email', 'name'],
        ['fife', 'not an email', long],
      ]),
      [
        `row 2, column name: expected text of at most 200 characters, got "${'x'.repeat(57)}..." (201 characters)`,
        'row 2, column email: expected an email address like name@council.gov.uk, got "not an email"',
      ],
    );
  });

  it('refuses the same council twice in one file, naming both rows', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'role'],
        ['fife', 'cswo'],
        ['angus', 'cswo'],
        ['fife', 'deputy'],
      ]),
      ['row 4, column local_authority: "fife" already answered in row 2; a council answers part one once per wave'],
    );
  });

  it('refuses a council that the wave already holds, and keeps what was there', async () => {
    const stores = await opener.openIn(tempDir());
    await importText(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'role'],
        ['fife', 'cswo'],
      ]),
    );
    const error = await importRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'role'],
        ['angus', 'cswo'],
        ['fife', 'deputy'],
      ]),
    );
    expect(error.problems).toEqual([
      `row 3, column local_authority: wave ${WAVE_2} already holds part one for "fife" (use --replace to replace the wave's part one)`,
    ]);
    expect(await totalCounts(stores)).toEqual({ ...empty, identifiable: 1, allIdentifiable: 1 });
    expect(parseCsv(await exportText(stores, WAVE_2, 'identifiable')).map((r) => r[2])).toEqual(['local_authority', 'fife']);
    // The same council in another wave is a different response.
    await importText(stores, { wave: WAVE_1, part: 'identifiable' }, toCsv([['local_authority'], ['fife']]));
    expect((await totalCounts(stores)).identifiable).toBe(2);
  });

  it('refuses an empty file', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(stores, partOne, '', ['the file is empty: expected a header row of item ids, such as local_authority']);
    // Only blank lines (and a byte order mark) is still an empty file.
    await expectRefused(stores, partTwo, '\ufeff\r\n\r\n,,\r\n', ['the file is empty: expected a header row of item ids, such as local_authority']);
  });

  it('refuses a file with a header but no rows', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(stores, partOne, 'local_authority,role\r\n', ['the file has a header but no responses: nothing to import']);
    await expectRefused(stores, partTwo, 'groups_involved\n\n \n', ['the file has a header but no responses: nothing to import']);
  });

  it('refuses a row with the wrong number of cells', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(stores, partOne, 'local_authority,role\r\nfife,cswo\r\nangus\r\nhighland,cswo,extra\r\n', [
      'row 3: has 1 cells but the header has 2 columns',
      'row 4: has 3 cells but the header has 2 columns',
    ]);
  });

  it('refuses bytes that are not UTF-8 (a Latin-1 é), naming the line', async () => {
    const stores = await opener.openIn(tempDir());
    const latin1 = Buffer.concat([Buffer.from('groups_involved,final_reflections\r\n1,fine\r\n2,caf'), Buffer.from([0xe9]), Buffer.from('\r\n')]);
    await expectRefused(stores, partTwo, latin1, [
      'line 3 is not valid UTF-8 (perhaps Windows-1252 or Latin-1): save it from your spreadsheet as "CSV UTF-8 (comma delimited)"',
    ]);
  });

  it('refuses a file ending inside a UTF-8 character', async () => {
    const stores = await opener.openIn(tempDir());
    const cut = Buffer.concat([Buffer.from('groups_involved,final_reflections\n1,caf'), Buffer.from([0xc3])]);
    await expectRefused(stores, partTwo, cut, [/^the file ends in the middle of a UTF-8 character \(line 2\)/]);
  });

  it('refuses an Excel workbook (zip), saying what it is', async () => {
    const stores = await opener.openIn(tempDir());
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.from('[Content_Types].xml')]);
    await expectRefused(stores, partOne, xlsx, [
      'this is an Excel workbook or other zip file (.xlsx), not a UTF-8 CSV file: save it from your spreadsheet as "CSV UTF-8 (comma delimited)"',
    ]);
  });

  it('refuses UTF-16 text', async () => {
    const stores = await opener.openIn(tempDir());
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('local_authority\r\nfife\r\n', 'utf16le')]);
    await expectRefused(stores, partOne, utf16, [/^this is UTF-16 text, not a UTF-8 CSV file/]);
  });

  it('refuses a NUL byte, naming the line', async () => {
    const stores = await opener.openIn(tempDir());
    const withNul = Buffer.concat([Buffer.from('local_authority,role\nfife,cswo\nangus,cs'), Buffer.from([0]), Buffer.from('wo\n')]);
    await expectRefused(stores, partOne, withNul, ['line 3 holds a NUL byte: this is a binary file, not a UTF-8 CSV file']);
  });

  it('refuses an unclosed quote as invalid CSV', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(stores, partTwo, 'groups_involved,final_reflections\r\n1,"fine\r\n2,never closed\r\n', [
      /^line \d+: the file is not valid CSV: Quote Not Closed/,
    ]);
    await expectRefused(stores, partTwo, 'groups_involved,final_reflections\r\n1,fi"ne\r\n', [/^line 2: the file is not valid CSV: Invalid Opening Quote/]);
  });

  it('refuses an unknown wave, listing the waves', async () => {
    const stores = await opener.openIn(tempDir());
    await expectRefused(stores, { wave: '2019-01', part: 'identifiable' }, toCsv([['local_authority'], ['fife']]), [
      'unknown wave "2019-01": the waves are 2020-01, 2020-06',
    ]);
  });

  it('lists every problem of every row, counting the header as row 1', async () => {
    const stores = await opener.openIn(tempDir());
    const error = await expectRefused(
      stores,
      partOne,
      toCsv([
        ['local_authority', 'role', 'contracted_hours', 'pq_awards.pq1', 'portfolio.children_sw'],
        ['fife', 'cswo', '37', '1', 'all'],
        ['angus', 'boss', '37', '', ''],
        ['highland', 'cswo', '99', '', 'some'],
        ['fife', 'deputy', '10', '2', ''],
        ['glasgow_city', 'deputy', '10', '0', 'none'],
      ]),
      [
        'row 3, column role: expected one of cswo, deputy, got "boss"',
        // Within a row, in definition order.
        'row 4, column portfolio.children_sw: expected one of all, part, none, got "some"',
        'row 4, column contracted_hours: expected a number 0-60, got "99"',
        'row 5, column pq_awards.pq1: expected 1 (chosen) or 0 (not chosen), got "2"',
        'row 5, column local_authority: "fife" already answered in row 2; a council answers part one once per wave',
      ],
    );
    expect(error.message).toContain('nothing was imported: 5 problems\nrow 3, column role');
  });

  it('refuses a large file whose last row is bad, after earlier batches were written, storing nothing', async () => {
    const stores = await opener.openIn(tempDir());
    const rows = Array.from({ length: 1200 }, (_, i) => [String(i)]);
    rows.push(['-3']);
    await expectRefused(stores, partTwo, toCsv([['groups_involved'], ...rows]), [
      'row 1202, column groups_involved: expected a whole number of at least 0, got "-3"',
    ]);
  });

  it('counts problems beyond those it lists', async () => {
    const stores = await opener.openIn(tempDir());
    const rows = Array.from({ length: 1005 }, () => ['x']);
    const error = await importRefused(stores, partTwo, toCsv([['groups_involved'], ...rows]));
    expect(error.problems).toHaveLength(1000);
    expect(error.more).toBe(5);
    expect(error.message.split('\n')[0]).toBe('nothing was imported: 1005 problems');
    expect(error.message.split('\n').at(-1)).toBe('... and 5 more');
    expect(await totalCounts(stores)).toEqual(empty);
  });

  it('skips blank lines and rows of empty cells, keeping row numbers as in the file', async () => {
    const stores = await opener.openIn(tempDir());
    const text = 'local_authority,role\r\nfife,cswo\r\n\r\n,\r\n  ,  \r\nangus,deputy\r\n,\r\n\r\n';
    const summary = await importText(stores, partOne, text);
    expect(summary).toEqual({ waveId: WAVE_2, part: 'identifiable', definition: 'cswo-annual@2', imported: 2, replaced: 0 });
    expect(await totalCounts(stores)).toEqual({ ...empty, identifiable: 2, allIdentifiable: 2 });
    const refused = await importRefused(stores, { ...partOne, replace: true }, 'local_authority,role\r\nfife,cswo\r\n\r\n,\r\nangus,boss\r\n');
    expect(refused.problems).toEqual(['row 5, column role: expected one of cswo, deputy, got "boss"']);
  });

  it('skips blank lines above the header too, still counting them as rows', async () => {
    const stores = await opener.openIn(tempDir());
    const refused = await importRefused(stores, partOne, '\r\n,\r\nlocal_authority,role\r\nfife,boss\r\n');
    expect(refused.problems).toEqual(['row 4, column role: expected one of cswo, deputy, got "boss"']);
    const summary = await importText(stores, partOne, '\r\n,\r\nlocal_authority,role\r\nfife,cswo\r\n');
    expect(summary.imported).toBe(1);
  });

  it('accepts a UTF-8 byte order mark before the header', async () => {
    const stores = await opener.openIn(tempDir());
    const summary = await importText(
      stores,
      partOne,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('local_authority,name\r\nfife,Zoë Müller\r\n')]),
    );
    expect(summary.imported).toBe(1);
    const [header, row] = parseCsv(await exportText(stores, WAVE_2, 'identifiable'));
    expect(header?.[0]).toBe('name');
    expect(row?.slice(0, 3)).toEqual(['Zoë Müller', '', 'fife']);
  });

  it('accepts surrounding spaces in header names and code cells', async () => {
    const stores = await opener.openIn(tempDir());
    const summary = await importText(stores, partOne, ' local_authority , role \r\n fife , cswo \r\n');
    expect(summary.imported).toBe(1);
    const [, row] = parseCsv(await exportText(stores, WAVE_2, 'identifiable'));
    expect(row?.slice(2, 4)).toEqual(['fife', 'cswo']);
  });

  describe('with --replace', () => {
    const seed = async (stores: Stores) => {
      await importText(
        stores,
        partOne,
        toCsv([
          ['local_authority', 'role'],
          ['fife', 'cswo'],
          ['angus', 'deputy'],
        ]),
      );
      await importText(stores, partTwo, toCsv([['groups_involved'], ['1'], ['2'], ['3']]));
    };

    it('replaces the wave in one go and says how many rows it replaced', async () => {
      const stores = await opener.openIn(tempDir());
      await seed(stores);
      // Another wave, which a replacement of this one must not touch.
      await importText(stores, { wave: WAVE_1, part: 'identifiable' }, toCsv([['local_authority'], ['fife'], ['highland']]));
      await importText(stores, { wave: WAVE_1, part: 'anonymous' }, toCsv([['groups_involved'], ['5']]));
      const summary = await importText(
        stores,
        { ...partOne, replace: true },
        toCsv([
          ['local_authority', 'role'],
          ['fife', 'deputy'],
        ]),
      );
      expect(summary).toEqual({ waveId: WAVE_2, part: 'identifiable', definition: 'cswo-annual@2', imported: 1, replaced: 2 });
      const two = await importText(stores, { ...partTwo, replace: true }, toCsv([['groups_involved'], ['9']]));
      expect(two.replaced).toBe(3);
      expect(await totalCounts(stores)).toEqual({ identifiable: 3, anonymous: 2, allIdentifiable: 3, allAnonymous: 2 });
      expect(
        parseCsv(await exportText(stores, WAVE_1, 'identifiable'))
          .slice(1)
          .map((r) => r[2]),
      ).toEqual(['fife', 'highland']);
    });

    it.each([
      ['a bad row', 'local_authority,role\r\nfife,boss\r\n', 'row 2, column role: expected one of cswo, deputy, got "boss"'],
      ['a header-only file', 'local_authority,role\r\n', 'the file has a header but no responses: nothing to import'],
      ['an empty file', '', 'the file is empty: expected a header row of item ids, such as local_authority'],
    ])('leaves the previous data intact when refusing %s', async (_what, content, problem) => {
      const stores = await opener.openIn(tempDir());
      await seed(stores);
      const before = await exportText(stores, WAVE_2, 'identifiable');
      const error = await importRefused(stores, { ...partOne, replace: true }, content);
      expect(error.problems).toEqual([problem]);
      expect(await totalCounts(stores)).toEqual({ identifiable: 2, anonymous: 3, allIdentifiable: 2, allAnonymous: 3 });
      expect(await exportText(stores, WAVE_2, 'identifiable')).toBe(before);
    });

    it('leaves part two intact when refusing a replacement that fails after a batch was written', async () => {
      const stores = await opener.openIn(tempDir());
      await seed(stores);
      const rows = Array.from({ length: 700 }, (_, i) => [String(i)]);
      const error = await importRefused(stores, { ...partTwo, replace: true }, toCsv([['groups_involved'], ...rows, ['many']]));
      expect(error.problems).toEqual(['row 702, column groups_involved: expected a whole number of at least 0, got "many"']);
      expect(await totalCounts(stores)).toEqual({ identifiable: 2, anonymous: 3, allIdentifiable: 2, allAnonymous: 3 });
      const [header, ...stored] = parseCsv(await exportText(stores, WAVE_2, 'anonymous'));
      const column = header!.indexOf('groups_involved');
      expect(stored.map((r) => r[column]).sort()).toEqual(['1', '2', '3']);
    });
  });
});
