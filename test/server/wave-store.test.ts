import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWaveResponses } from '../../server/dashboards/wave-loader.js';
import { credentialCookie, readCredentialCookie } from '../../server/respondent/part-two-credential.js';
import { randomToken } from '../../server/security/tokens.js';
import { storesAreEmpty } from '../../server/csv/bundled-data.js';
import { openStores, type Stores } from '../../server/storage/open-stores.js';
import { findRetention } from '../../server/storage/retention-store.js';
import { listRoster, waveStatus } from '../../server/storage/roster-store.js';
import { findStoredWave, formatClosingDate, listWaves } from '../../server/storage/wave-store.js';
import { readDateParts } from '../../server/waves/form-dates.js';
import { changeWaveStatus, createWave } from '../../server/waves/wave-changes.js';
import { bundledWaves as registryWaves } from '../../survey-definitions/index.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, importText, storeOpener, toCsv, WAVE_2 } from './helpers.js';
import { addStaff, auditOf } from './staff-helpers.js';

/** Waves in the identifiable store (migration 0004): the fielded 2020 pair, and waves admins create. */

/** The default retention of a wave made today without a closing date: a year on (server/waves/wave-changes.ts). */
/** Today in the UK, and the same day a year later (28 February for the 29th): a new wave's default retention day. */
const ukToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const aYearAfter = (iso: string) => {
  const [year, month, day] = iso.split('-') as [string, string, string];
  return `${Number(year) + 1}-${month}-${month === '02' && day === '29' ? '28' : day}`;
};
const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const T = Date.UTC(2026, 2, 1, 10, 0, 0);
const good = { id: '2021-06', name: 'Survey 3', fielded: 'June 2021', definition: 'cswo-annual@2' };

const withDb = async <T>(cwd: string, work: (stores: Stores) => Promise<T>): Promise<T> => {
  const stores = await openStores({ dataDir: join(cwd, 'data') });
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
};

describe('the wave store', () => {
  it('holds the fielded 2020 waves from the start, exactly as the registry describes them', async () => {
    const stores = await opener.openIn(tempDir());
    expect(await listWaves(stores.identifiable)).toEqual(registryWaves);
    expect(await findStoredWave(stores.identifiable, WAVE_2)).toEqual(registryWaves[1]);
    expect(await findStoredWave(stores.identifiable, '1999-01')).toBeUndefined();
  });

  it('creates a wave from a published definition, lists it after the 2020 waves, and audits who made it', async () => {
    const stores = await opener.openIn(tempDir());
    const admin = await addStaff(stores, 'ada@example.org', 'admin');
    const made = await createWave(stores.identifiable, { ...good, id: ' 2021-06 ', name: ' Survey 3 ' }, { actor: admin.id, now: T });
    const wave = { id: '2021-06', name: 'Survey 3', fielded: 'June 2021', definition: { id: 'cswo-annual', version: 2 } };
    expect(made).toEqual({ ok: true, wave, retention: { contactsUntil: '2027-03-01', keepPartOne: false } });
    expect((await listWaves(stores.identifiable)).map((w) => w.id)).toEqual(['2020-01', '2020-06', '2021-06']);
    expect(await findStoredWave(stores.identifiable, '2021-06')).toEqual(wave);
    const row = await stores.identifiable.selectFrom('wave').selectAll().where('id', '=', '2021-06').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ created_at: T, created_by: admin.id });
    expect(await auditOf(stores, ['wave.create'])).toEqual([
      {
        actor: admin.id,
        action: 'wave.create',
        detail: { wave: '2021-06', name: 'Survey 3', fielded: 'June 2021', definition: 'cswo-annual@2', contactsUntil: '2027-03-01', keepPartOne: false },
      },
    ]);
    // A created wave is a live one: the server never loads the bundled data over it.
    expect(await storesAreEmpty(stores)).toBe(false);
  });

  it.each([
    [
      'an empty form',
      {},
      [
        ['id', 'Enter an id for the wave, such as 2021-06'],
        ['name', 'Enter a name for the wave, such as Survey 3'],
        ['fielded', 'Enter when the wave is fielded, such as June 2021'],
        ['definition', 'Choose the survey definition the wave uses'],
      ],
    ],
    [
      'capitals and spaces in the id',
      { ...good, id: '2021 June' },
      [['id', 'The id must be lower-case letters, digits and hyphens, starting and ending with a letter or digit, such as 2021-06']],
    ],
    [
      'a dot in the id',
      { ...good, id: '2021.06' },
      [['id', 'The id must be lower-case letters, digits and hyphens, starting and ending with a letter or digit, such as 2021-06']],
    ],
    [
      'a trailing hyphen',
      { ...good, id: '2021-' },
      [['id', 'The id must be lower-case letters, digits and hyphens, starting and ending with a letter or digit, such as 2021-06']],
    ],
    ['an id too long', { ...good, id: 'a'.repeat(41) }, [['id', 'The id must be 40 characters or fewer']]],
    ['a line break in the name', { ...good, name: 'Survey\n3' }, [['name', 'The name must be one line of text']]],
    [
      'an unpublished version',
      { ...good, definition: 'cswo-annual@9' },
      [['definition', 'Choose a published survey definition (cswo-annual@1, cswo-annual@2)']],
    ],
    [
      'not a definition reference',
      { ...good, definition: 'cswo-annual' },
      [['definition', 'Choose a published survey definition (cswo-annual@1, cswo-annual@2)']],
    ],
    ['an id that exists', { ...good, id: '2020-06' }, [['id', 'A wave with the id 2020-06 already exists: choose another id']]],
  ])('refuses %s, naming each field, and stores and audits nothing', async (_, input, problems) => {
    const stores = await opener.openIn(tempDir());
    const made = await createWave(stores.identifiable, input, { actor: null, now: T });
    expect(made).toEqual({
      ok: false,
      reason: (input as { id?: string }).id === '2020-06' ? 'taken' : 'invalid',
      problems: problems.map(([field, message]) => ({ field, message })),
    });
    expect((await listWaves(stores.identifiable)).map((w) => w.id)).toEqual(['2020-01', '2020-06']);
    expect(await findStoredWave(stores.identifiable, '2020-06')).toEqual(registryWaves[1]);
    expect(await auditOf(stores)).toEqual([]);
  });

  it('opens and closes a wave, auditing each change and not a request that changes nothing', async () => {
    const stores = await opener.openIn(tempDir());
    const wave = (await findStoredWave(stores.identifiable, WAVE_2))!;
    expect(await changeWaveStatus(stores, wave, 'open', { actor: null, via: 'command line', now: T })).toBe('not opened');
    expect(await changeWaveStatus(stores, wave, 'open', { actor: null, now: T })).toBe('open');
    expect(await changeWaveStatus(stores, wave, 'closed', { actor: null, now: T })).toBe('open');
    expect(await waveStatus(stores.identifiable, WAVE_2)).toBe('closed');
    expect(await auditOf(stores)).toEqual([
      { actor: null, action: 'wave.open', detail: { wave: WAVE_2, from: 'not opened', to: 'open', via: 'command line' } },
      { actor: null, action: 'wave.close', detail: { wave: WAVE_2, from: 'open', to: 'closed' } },
    ]);
  });

  it('a created wave takes answers by its definition and is read back by the analysis', async () => {
    const stores = await opener.openIn(tempDir());
    await createWave(stores.identifiable, { ...good, definition: 'cswo-annual@1' }, { actor: null, now: T });
    expect(await importText(stores, { wave: '2021-06', part: 'identifiable' }, toCsv([['local_authority'], ['fife']]))).toMatchObject({
      imported: 1,
      definition: 'cswo-annual@1',
    });
    const loaded = await loadWaveResponses(stores, '2021-06');
    expect(loaded.definition.version).toBe(1);
    expect(loaded.responses.identifiable).toHaveLength(1);
    await expect(loadWaveResponses(stores, '2021-07')).rejects.toThrow('unknown wave "2021-07": the waves are 2020-01, 2020-06, 2021-06');
  });

  it("a part-two pass names a created wave's id, and a tampered one is refused", async () => {
    const key = Buffer.alloc(32, 7);
    const credential = randomToken();
    expect(readCredentialCookie(key, credentialCookie(key, '2021-spring', credential))).toEqual({ waveId: '2021-spring', credential });
    expect(readCredentialCookie(key, credentialCookie(key, '2021-spring', credential).replace('spring', 'summer'))).toBeUndefined();
    expect(readCredentialCookie(key, credentialCookie(key, 'a'.repeat(41), credential))).toBeUndefined();
  });
});

describe('npm run cli -- wave create', () => {
  it('creates a wave, audited as the command line, which the other commands then know', async () => {
    const cwd = tempDir();
    const created = await cli(cwd, ['wave', 'create', '--wave', '2021-06', '--name', 'Survey 3', '--fielded', 'June 2021', '--definition', 'cswo-annual@2']);
    expect(created).toEqual({
      code: 0,
      stdout: `created wave 2021-06 (Survey 3, June 2021) with cswo-annual@2; it is not open yet; it keeps names and email addresses through ${formatClosingDate(aYearAfter(ukToday()))}\n`,
      stderr: '',
    });
    expect(await cli(cwd, ['status', '--wave', '2021-06'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^wave 2021-06: not opened\n/) });
    const unknown = await cli(cwd, ['status', '--wave', '2021-07']);
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'error: unknown wave "2021-07": the waves are 2020-01, 2020-06, 2021-06\n' });

    writeRoster(cwd);
    expect(await cli(cwd, ['roster', 'import', '--wave', '2021-06', 'roster.csv'])).toMatchObject({ code: 0, stdout: 'roster for wave 2021-06: 1 council\n' });
    const invited = await cli(cwd, ['invite', '--wave', '2021-06']);
    expect(invited.code, invited.stderr).toBe(0);
    expect(invited.stderr).toBe('wave 2021-06 is now open (it was not opened)\n');
    const secret = invited.stdout.trim().split('/i/')[1]!;
    expect(await withDb(cwd, (s) => listRoster(s.identifiable, '2021-06'))).toHaveLength(1);
    const audit = await withDb(cwd, (s) => auditOf(s));
    expect(audit).toEqual([
      {
        actor: null,
        action: 'wave.create',
        detail: {
          wave: '2021-06',
          name: 'Survey 3',
          fielded: 'June 2021',
          definition: 'cswo-annual@2',
          contactsUntil: aYearAfter(ukToday()),
          keepPartOne: false,
          via: 'command line',
        },
      },
      { actor: null, action: 'roster.import', detail: { wave: '2021-06', councils: 1, total: 1, via: 'command line' } },
      { actor: null, action: 'wave.open', detail: { wave: '2021-06', from: 'not opened', to: 'open', because: 'invitations issued', via: 'command line' } },
      { actor: null, action: 'invitation.issue', detail: { wave: '2021-06', councils: ['fife'], reissued: [], via: 'command line' } },
    ]);
    // The audit log names councils, never a link's secret.
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('refuses a bad id, an unknown definition and an existing id, naming the options, and creates nothing', async () => {
    const cwd = tempDir();
    const bad = await cli(cwd, ['wave', 'create', '--wave', 'Spring 2021', '--name', 'Survey 3', '--fielded', 'June 2021', '--definition', 'cswo-annual@7']);
    expect(bad).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: --wave: The id must be lower-case letters, digits and hyphens, starting and ending with a letter or digit, such as 2021-06\n' +
        '--definition: Choose a published survey definition (cswo-annual@1, cswo-annual@2)\n',
    });
    const again = await cli(cwd, ['wave', 'create', '--wave', '2020-01', '--name', 'x', '--fielded', 'y', '--definition', 'cswo-annual@1']);
    expect(again).toEqual({ code: 1, stdout: '', stderr: 'error: --wave: A wave with the id 2020-01 already exists: choose another id\n' });
    const missing = await cli(cwd, ['wave', 'create', '--wave', '2021-06']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--name <name>' not specified/);
    expect(await withDb(cwd, async (s) => (await listWaves(s.identifiable)).map((w) => w.id))).toEqual(['2020-01', '2020-06']);
  });
});

describe("a wave's closing date (migration 0010)", () => {
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it('wave create --closes stores it, says it, audits it, and the store gives it back with the wave', async () => {
    const cwd = tempDir();
    const closes = inDays(40);
    const created = await cli(cwd, [
      'wave',
      'create',
      '--wave',
      '2021-06',
      '--name',
      'Survey 3',
      '--fielded',
      'June 2021',
      '--closes',
      closes,
      '--definition',
      'cswo-annual@2',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe(
      `created wave 2021-06 (Survey 3, June 2021, closing on ${formatClosingDate(closes)}) with cswo-annual@2; it is not open yet; ` +
        `it keeps names and email addresses through ${formatClosingDate(aYearAfter(closes))}\n`,
    );
    expect(await withDb(cwd, (s) => findStoredWave(s.identifiable, '2021-06'))).toMatchObject({ id: '2021-06', closes });
    expect((await withDb(cwd, (s) => auditOf(s)))[0]).toMatchObject({ action: 'wave.create', detail: { wave: '2021-06', closes } });
    // A wave made without one has none: not an empty string, not a made-up date.
    expect(
      await cli(cwd, ['wave', 'create', '--wave', '2021-07', '--name', 'Survey 4', '--fielded', 'July 2021', '--definition', 'cswo-annual@2']),
    ).toMatchObject({ code: 0 });
    expect(await withDb(cwd, (s) => findStoredWave(s.identifiable, '2021-07'))).not.toHaveProperty('closes');
  });

  it('refuses a date that is not YYYY-MM-DD, not in the calendar, or in the past, naming --closes, and creates nothing', async () => {
    const cwd = tempDir();
    const base = ['wave', 'create', '--wave', '2021-06', '--name', 'Survey 3', '--fielded', 'June 2021', '--definition', 'cswo-annual@2'];
    expect(await cli(cwd, [...base, '--closes', '30/06/2021'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: --closes: The closing date must be a real date written as YYYY-MM-DD, such as 2021-06-30, not "30/06/2021"\n',
    });
    expect((await cli(cwd, [...base, '--closes', '2031-02-30'])).stderr).toMatch(
      /^error: --closes: The closing date must be a real date written as YYYY-MM-DD/,
    );
    const past = await cli(cwd, [...base, '--closes', '2020-06-30']);
    expect(past).toMatchObject({ code: 1, stdout: '' });
    expect(past.stderr).toMatch(/^error: --closes: The closing date must be today or in the future \(today is \d{1,2} \w+ \d{4}\)\n$/);
    expect(await withDb(cwd, async (s) => (await listWaves(s.identifiable)).map((w) => w.id))).toEqual(['2020-01', '2020-06']);
  });

  it('wave create --keep-until and --keep-part-one set the retention the wave starts with; a day before --closes is refused, naming the option', async () => {
    const cwd = tempDir();
    const closes = inDays(40);
    const until = inDays(800);
    const base = ['wave', 'create', '--name', 'Survey 3', '--fielded', 'June 2021', '--definition', 'cswo-annual@2', '--closes', closes];
    const created = await cli(cwd, [...base, '--wave', '2021-06', '--keep-until', until, '--keep-part-one']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`it keeps names and email addresses through ${formatClosingDate(until)}, and part one whole\n$`));
    expect(await withDb(cwd, (s) => findRetention(s.identifiable, '2021-06'))).toMatchObject({ contactsUntil: until, keepPartOne: true });
    expect(await cli(cwd, ['retention', 'show'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`2021-06\t${until}\tpart one kept whole\tnot applied\n`),
    });

    const early = await cli(cwd, [...base, '--wave', '2021-07', '--keep-until', inDays(39)]);
    expect(early).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: --keep-until: The day to keep it until must be on or after the closing date (${formatClosingDate(closes)})\n`,
    });
    const malformed = await cli(cwd, [...base, '--wave', '2021-07', '--keep-until', 'next year']);
    expect(malformed.stderr).toBe(
      'error: --keep-until: The day to keep it until must be a real date written as YYYY-MM-DD, such as 2021-06-30, not "next year"\n',
    );
    expect(await withDb(cwd, async (s) => (await listWaves(s.identifiable)).map((w) => w.id))).toEqual(['2020-01', '2020-06', '2021-06']);
  });

  it('reads the three boxes of the form as the GOV.UK date input does', () => {
    const read = (day: string, month: string, year: string) => readDateParts({ day, month, year }, 'The closing date');
    expect(read('', ' ', '')).toEqual({ ok: true, date: undefined });
    expect(read(' 3', '7 ', '2031')).toEqual({ ok: true, date: '2031-07-03' });
    expect(read('29', '2', '2032')).toEqual({ ok: true, date: '2032-02-29' });
    expect(read('30', '', '2031')).toEqual({ ok: false, message: 'The closing date must include a month', parts: ['month'] });
    expect(read('', '', '2031')).toEqual({ ok: false, message: 'The closing date must include a day and month', parts: ['day', 'month'] });
    expect(read('3O', '6', '2031')).toEqual({ ok: false, message: 'The closing date must be a real date, typed in numbers', parts: ['day'] });
    expect(read('30', '6', '31')).toEqual({ ok: false, message: 'The year must include 4 numbers', parts: ['year'] });
    expect(read('30', '13', '2031')).toMatchObject({ ok: false, parts: ['month'] });
    expect(read('29', '2', '2031')).toEqual({ ok: false, message: 'The closing date must be a real date: that month has 28 days', parts: ['day'] });
    expect(formatClosingDate('2031-07-03')).toBe('3 July 2031');
  });
});

const writeRoster = (cwd: string) =>
  writeFileSync(
    join(cwd, 'roster.csv'),
    toCsv([
      ['local_authority', 'name', 'email'],
      ['fife', 'Fiona Fife', 'fiona@fife.gov.uk'],
    ]),
  );
