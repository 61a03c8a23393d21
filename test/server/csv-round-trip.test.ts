import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { exportCsv } from '../../server/csv/csv-export.js';
import { insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { canonicalJson } from '../../survey-definitions/content-hash.js';
import { useTempDirs } from '../support/temp-dir.js';
import { decodeStoredPartTwo, exportText, importText, parseCsv, storeOpener, toCsv, WAVE_1, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

/** A record for `header` with the given cells filled in and every other cell empty. */
const rowOf = (header: readonly string[], cells: Record<string, string>): string[] => {
  for (const column of Object.keys(cells)) if (!header.includes(column)) throw new Error(`test bug: no column ${column}`);
  return header.map((column) => cells[column] ?? '');
};

const headerOf = (csv: string): string[] => parseCsv(csv)[0]!;

/** Answers stored in the anonymous store, read (whichever form they are kept in), as sorted canonical JSON strings (a multiset). */
const storedPartTwo = async (stores: Stores, wave = WAVE_2): Promise<string[]> =>
  (await stores.anonymous.selectFrom('part_two_response').select('answers').where('wave_id', '=', wave).execute())
    .map((r) => canonicalJson(decodeStoredPartTwo(wave, r.answers)))
    .sort();

const storedTexts = async (stores: Stores) =>
  Object.fromEntries((await storedPartTwo(stores)).map((a) => JSON.parse(a)).map((a) => [a.groups_involved, a.final_reflections]));

const storedPartOne = async (stores: Stores, wave = WAVE_2): Promise<Record<string, Record<string, unknown>>> =>
  Object.fromEntries(
    (await stores.identifiable.selectFrom('part_one_response').select(['local_authority', 'answers']).where('wave_id', '=', wave).execute()).map((r) => [
      r.local_authority,
      JSON.parse(r.answers),
    ]),
  );

const awkwardTexts = [
  'He said "hello", then left',
  'comma, separated, text',
  'two\nlines',
  'windows\r\nlines\r\n',
  '  leading and trailing spaces  ',
  'Zoë Müller-Ó Briain, naïve café',
  'stress 💪🏽 and 😩 — “quotes”',
  '=SUM(1)',
  '+44 141 555 0000',
  '-minus first',
  '@mention',
  '\ttab first',
  '\rcarriage return first',
  "'=x",
  "'hello",
  "''=y",
  "'",
  '"',
  '""',
  ' =not a formula after a space',
];

describe('CSV round trips', () => {
  it('part one: import, export, import into an empty store and export again gives identical CSV', async () => {
    const first = await opener.openIn(tempDir());
    // Take the column list from an export of the empty wave: the import format is the export format.
    const header = headerOf(await exportText(first, WAVE_2, 'identifiable'));
    expect(header.slice(0, 3)).toEqual(['name', 'email', 'local_authority']);
    const input = toCsv([
      header,
      rowOf(header, {
        name: 'Zoë "Zee" O\'Neill',
        email: 'zoe@glasgow.gov.uk',
        local_authority: 'glasgow_city',
        role: 'cswo',
        registered_sw: 'yes',
        urban_rural: 'large_urban',
        time_in_post: '3_5',
        'pq_awards.pq1': '1',
        'pq_awards.mho': '1',
        'pq_awards.other': '1',
        pq_awards_other: '=cmd|calc, "MSc", line\nbreak',
        'portfolio.children_sw': 'all',
        'portfolio.adult_sw': 'part',
        'portfolio.welfare_rights': 'none',
        oversight_roles: "Head of Children's Services\r\nChief Officer, HSCP",
        location: 'council',
        contract: 'permanent',
        hours_basis: 'full_time',
        contracted_hours: '37.5',
        salary_band: '100k_plus',
        supplement: 'removed',
        reports_to: 'chief_officer',
      }),
      rowOf(header, { local_authority: 'orkney_islands', role: 'deputy', contracted_hours: '0', 'pq_awards.pq1': '0', 'pq_awards.pq2': '0' }),
      rowOf(header, { local_authority: 'aberdeen_city', name: '  Spacey  ', contracted_hours: '60', oversight_roles: "'hello" }),
    ]);
    const summary = await importText(first, { wave: WAVE_2, part: 'identifiable' }, input);
    expect(summary.imported).toBe(3);
    const exported = await exportText(first, WAVE_2, 'identifiable');

    const second = await opener.openIn(tempDir());
    await importText(second, { wave: WAVE_2, part: 'identifiable' }, exported);
    const reexported = await exportText(second, WAVE_2, 'identifiable');
    expect(reexported).toBe(exported);
    expect(await storedPartOne(second)).toEqual(await storedPartOne(first));

    // What the export holds: councils in order, CRLF records, values as given.
    const records = parseCsv(exported);
    expect(records[0]).toEqual(header);
    expect(records.map((r) => r[header.indexOf('local_authority')])).toEqual(['local_authority', 'aberdeen_city', 'glasgow_city', 'orkney_islands']);
    expect(exported.endsWith('\r\n')).toBe(true);
    const glasgow = records[2]!;
    const cell = (record: string[], column: string) => record[header.indexOf(column)];
    expect(cell(glasgow, 'name')).toBe('Zoë "Zee" O\'Neill');
    expect(cell(glasgow, 'pq_awards_other')).toBe('\'=cmd|calc, "MSc", line\nbreak');
    expect(cell(glasgow, 'oversight_roles')).toBe("Head of Children's Services\r\nChief Officer, HSCP");
    expect(cell(glasgow, 'contracted_hours')).toBe('37.5');
    expect(
      header
        .filter((c) => c.startsWith('pq_awards.'))
        .map((c) => cell(glasgow, c))
        .join(''),
    ).toBe('10010000001');
    expect(cell(glasgow, 'portfolio.children_sw')).toBe('all');
    expect(cell(glasgow, 'portfolio.children_health')).toBe('');
    const orkney = records[3]!;
    // Some pq_awards cells 0 and the rest blank: answered, nothing chosen, written as all 0.
    expect(
      header
        .filter((c) => c.startsWith('pq_awards.'))
        .map((c) => cell(orkney, c))
        .join(''),
    ).toBe('00000000000');
    expect(cell(orkney, 'contracted_hours')).toBe('0');
    const aberdeen = records[1]!;
    expect(cell(aberdeen, 'name')).toBe('  Spacey  ');
    expect(cell(aberdeen, 'oversight_roles')).toBe("'hello");
    expect(
      header
        .filter((c) => c.startsWith('pq_awards.'))
        .map((c) => cell(aberdeen, c))
        .join(''),
    ).toBe('');
    expect((await storedPartOne(first)).aberdeen_city).toEqual({
      name: '  Spacey  ',
      local_authority: 'aberdeen_city',
      oversight_roles: "'hello",
      contracted_hours: 60,
    });
  });

  it('part two: the same answers come back as a multiset, with no id column', async () => {
    const first = await opener.openIn(tempDir());
    const header = headerOf(await exportText(first, WAVE_2, 'anonymous'));
    expect(header).not.toContain('id');
    const input = toCsv([
      header,
      ...Array.from({ length: 40 }, (_, i) =>
        rowOf(header, {
          extra_hours_frequency: ['always', 'sometimes', 'rarely', 'never'][i % 4]!,
          'time_share.children': String((i * 7) % 101),
          'time_share.adults': String(i % 3 === 0 ? 12.5 : 80),
          'pressure.children': String((i % 5) + 1),
          groups_involved: String(i),
          groups_chaired: String(i % 4),
          'direct_access.chief_executive': i % 2 ? 'yes' : 'no',
          'support.mentoring': i % 3 ? 'used' : 'intend',
          peer_support_likelihood: String((i % 5) + 1),
          // Every resources.* cell given, as the export writes them for an answered question.
          ...Object.fromEntries(header.filter((c) => c.startsWith('resources.')).map((c) => [c, '0'])),
          'resources.solace': String(i % 2),
          'resources.reading': '1',
          covid_reflections: i % 5 === 0 ? `reflection ${i}, "quoted"\n` : '',
        }),
      ),
    ]);
    await importText(first, { wave: WAVE_2, part: 'anonymous' }, input);
    const exported = await exportText(first, WAVE_2, 'anonymous');
    const records = parseCsv(exported);
    expect(records[0]).toEqual(header);
    expect(records).toHaveLength(41);
    // No cell looks like a stored key.
    expect(records.flat().filter((c) => /^[0-9a-f]{32}$/.test(c))).toEqual([]);

    const second = await opener.openIn(tempDir());
    await importText(second, { wave: WAVE_2, part: 'anonymous' }, exported);
    expect(await storedPartTwo(second)).toEqual(await storedPartTwo(first));
    const sortedRows = (csv: string) =>
      parseCsv(csv)
        .slice(1)
        .map((r) => JSON.stringify(r))
        .sort();
    expect(sortedRows(await exportText(second, WAVE_2, 'anonymous'))).toEqual(sortedRows(exported));
    // And the input, as a multiset, is what went in.
    expect(sortedRows(exported)).toEqual(sortedRows(input));
  });

  it('part two: exports come out in a fresh random order', async () => {
    const stores = await opener.openIn(tempDir());
    await importText(stores, { wave: WAVE_2, part: 'anonymous' }, toCsv([['groups_involved'], ...Array.from({ length: 32 }, (_, i) => [String(i)])]));
    const orders = new Set<string>();
    for (let attempt = 0; attempt < 5 && orders.size < 2; attempt++) {
      const column = parseCsv(await exportText(stores, WAVE_2, 'anonymous'));
      const at = column[0]!.indexOf('groups_involved');
      const values = column.slice(1).map((r) => r[at]!);
      expect([...values].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 32 }, (_, i) => String(i)));
      orders.add(values.join());
    }
    expect(orders.size).toBe(2);
  });

  it('free text of every awkward kind round-trips exactly through export and import, with formulas defused', async () => {
    const first = await opener.openIn(tempDir());
    // Stored as the form would store them, so the texts are exactly these, then exported and imported.
    await insertPartTwoResponses(
      first.anonymous,
      WAVE_2,
      awkwardTexts.map((text, i) => ({ groups_involved: i, final_reflections: text })),
    );
    const expected = Object.fromEntries(awkwardTexts.map((t, i) => [i, t]));
    expect(await storedTexts(first)).toEqual(expected);

    const exported = await exportText(first, WAVE_2, 'anonymous');
    const [header, ...rows] = parseCsv(exported);
    const text = header!.indexOf('final_reflections');
    const count = header!.indexOf('groups_involved');
    const exportedCell = Object.fromEntries(rows.map((r) => [awkwardTexts[Number(r[count])]!, r[text]!]));
    expect(exportedCell['=SUM(1)']).toBe("'=SUM(1)");
    expect(exportedCell['+44 141 555 0000']).toBe("'+44 141 555 0000");
    expect(exportedCell['-minus first']).toBe("'-minus first");
    expect(exportedCell['@mention']).toBe("'@mention");
    expect(exportedCell['\ttab first']).toBe("'\ttab first");
    expect(exportedCell['\rcarriage return first']).toBe("'\rcarriage return first");
    expect(exportedCell["'=x"]).toBe("''=x");
    expect(exportedCell["''=y"]).toBe("'''=y");
    expect(exportedCell["'hello"]).toBe("'hello");
    expect(exportedCell["'"]).toBe("'");
    expect(exportedCell[' =not a formula after a space']).toBe(' =not a formula after a space');
    expect(exportedCell['windows\r\nlines\r\n']).toBe('windows\r\nlines\r\n');
    expect(exportedCell['  leading and trailing spaces  ']).toBe('  leading and trailing spaces  ');
    expect(exportedCell['Zoë Müller-Ó Briain, naïve café']).toBe('Zoë Müller-Ó Briain, naïve café');
    // No exported cell starts with a formula trigger.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const second = await opener.openIn(tempDir());
    expect((await importText(second, { wave: WAVE_2, part: 'anonymous' }, exported)).imported).toBe(awkwardTexts.length);
    expect(await storedTexts(second)).toEqual(expected);
    // And a second export of the re-imported data holds the same CSV rows.
    const sortedRows = (csv: string) =>
      parseCsv(csv)
        .slice(1)
        .map((r) => JSON.stringify(r))
        .sort();
    expect(sortedRows(await exportText(second, WAVE_2, 'anonymous'))).toEqual(sortedRows(exported));
  });

  it("free text in a hand-made CSV is stored as written, except a quote before a formula trigger, which is the export's guard", async () => {
    const stores = await opener.openIn(tempDir());
    const input = toCsv([['groups_involved', 'final_reflections'], ...awkwardTexts.map((text, i) => [String(i), text])]);
    expect((await importText(stores, { wave: WAVE_2, part: 'anonymous' }, input)).imported).toBe(awkwardTexts.length);
    // A cell "'=x" is how the export writes the text "=x", so the import reads it back as "=x".
    const guardRemoved: Record<string, string> = { "'=x": '=x', "''=y": "'=y" };
    expect(await storedTexts(stores)).toEqual(Object.fromEntries(awkwardTexts.map((t, i) => [i, guardRemoved[t] ?? t])));
  });

  it('multiple choice: all blank stays unanswered, all 0 stays answered with nothing chosen', async () => {
    const first = await opener.openIn(tempDir());
    const header = headerOf(await exportText(first, WAVE_2, 'anonymous'));
    const resources = header.filter((c) => c.startsWith('resources.'));
    expect(resources).toHaveLength(7);
    const zeros = Object.fromEntries(resources.map((c) => [c, '0']));
    const input = toCsv([
      header,
      rowOf(header, { groups_involved: '1' }),
      rowOf(header, { groups_involved: '2', ...zeros }),
      rowOf(header, { groups_involved: '3', 'resources.sssk': '1' }),
    ]);
    await importText(first, { wave: WAVE_2, part: 'anonymous' }, input);
    const stored = (await storedPartTwo(first)).map((a) => JSON.parse(a));
    const byCount = Object.fromEntries(stored.map((a) => [a.groups_involved, a]));
    expect(byCount[1]).toEqual({ groups_involved: 1 });
    expect(byCount[2]).toEqual({ groups_involved: 2, resources: [] });
    expect(byCount[3]).toEqual({ groups_involved: 3, resources: ['sssk'] });

    const exported = await exportText(first, WAVE_2, 'anonymous');
    const second = await opener.openIn(tempDir());
    await importText(second, { wave: WAVE_2, part: 'anonymous' }, exported);
    expect(await storedPartTwo(second)).toEqual(await storedPartTwo(first));
    const rows = parseCsv(exported).slice(1);
    const flags = Object.fromEntries(rows.map((r) => [r[header.indexOf('groups_involved')], resources.map((c) => r[header.indexOf(c)]).join('')]));
    expect(flags).toEqual({ '1': '', '2': '0000000', '3': '0000100' });
  });

  it('matrix: rows left blank stay blank, and an all-blank matrix stays unanswered', async () => {
    const first = await opener.openIn(tempDir());
    const header = headerOf(await exportText(first, WAVE_2, 'anonymous'));
    const input = toCsv([
      header,
      rowOf(header, { groups_involved: '1', 'pressure.children': '3', 'pressure.budgets': '5', 'time_share.children': '60', 'time_share.adults': '55' }),
      rowOf(header, { groups_involved: '2', 'direct_access.ijb_chair': 'no' }),
    ]);
    await importText(first, { wave: WAVE_2, part: 'anonymous' }, input);
    const byCount = Object.fromEntries((await storedPartTwo(first)).map((a) => JSON.parse(a)).map((a) => [a.groups_involved, a]));
    // A total over 100 is accepted: the published means imply such totals.
    expect(byCount[1]).toEqual({ groups_involved: 1, time_share: { children: 60, adults: 55 }, pressure: { children: 3, budgets: 5 } });
    expect(byCount[2]).toEqual({ groups_involved: 2, direct_access: { ijb_chair: 'no' } });

    const exported = await exportText(first, WAVE_2, 'anonymous');
    const rows = parseCsv(exported).slice(1);
    const one = rows.find((r) => r[header.indexOf('groups_involved')] === '1')!;
    const pressure = header.filter((c) => c.startsWith('pressure.'));
    expect(pressure).toHaveLength(17);
    expect(pressure.map((c) => one[header.indexOf(c)])).toEqual(pressure.map((c) => (c === 'pressure.children' ? '3' : c === 'pressure.budgets' ? '5' : '')));

    const second = await opener.openIn(tempDir());
    await importText(second, { wave: WAVE_2, part: 'anonymous' }, exported);
    expect(await storedPartTwo(second)).toEqual(await storedPartTwo(first));
  });

  it('an export with a byte order mark imports again', async () => {
    const first = await opener.openIn(tempDir());
    await importText(
      first,
      { wave: WAVE_1, part: 'identifiable' },
      toCsv([
        ['local_authority', 'name'],
        ['fife', 'Siobhán'],
      ]),
    );
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    expect(await exportCsv(first, { waveId: WAVE_1, part: 'identifiable', bom: true }, sink)).toBe(1);
    const bytes = Buffer.concat(chunks);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const second = await opener.openIn(tempDir());
    await importText(second, { wave: WAVE_1, part: 'identifiable' }, bytes);
    expect(await exportText(second, WAVE_1, 'identifiable')).toBe(await exportText(first, WAVE_1, 'identifiable'));
    expect((await storedPartOne(second, WAVE_1)).fife).toEqual({ name: 'Siobhán', local_authority: 'fife' });
  });

  it('exports only the wave asked for, with the header alone when it is empty', async () => {
    const stores = await opener.openIn(tempDir());
    await importText(stores, { wave: WAVE_1, part: 'anonymous' }, toCsv([['groups_involved'], ['1']]));
    const wave2 = parseCsv(await exportText(stores, WAVE_2, 'anonymous'));
    expect(wave2).toHaveLength(1);
    expect(wave2[0]).toContain('covid_reflections');
    const wave1 = parseCsv(await exportText(stores, WAVE_1, 'anonymous'));
    expect(wave1).toHaveLength(2);
    expect(wave1[0]).not.toContain('covid_reflections');
  });
});
