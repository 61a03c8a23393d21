import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { unmaskToken } from '../../server/security/tokens.js';
import { findInvitationBySecret, issueInvitation } from '../../server/storage/invitation-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { insertPartOneResponses } from '../../server/storage/part-one-store.js';
import { listRoster, replaceRoster, setWaveStatus, waveStatus } from '../../server/storage/roster-store.js';
import { createWave } from '../../server/waves/wave-changes.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, parseCsv, storeOpener, toCsv, WAVE_1, WAVE_2 } from './helpers.js';
import { CookieJar, csrfOf, errorSummaryTargets, stackTrace, titleOf, pageText } from './respondent-helpers.js';
import { auditOf } from './staff-helpers.js';
import { expectSecurityHeaders, staffApp } from './staff-web-helpers.js';

/**
 * Admin pages of rosters and invitations: a roster uploaded as a CSV file (multipart, checked row by row
 * as the command line does, all or nothing), and invitation links issued once, on the page or as CSV.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const header = ['local_authority', 'name', 'email'];
const roster = [
  ['fife', 'Fiona Fife', 'fiona@fife.gov.uk'],
  ['angus', 'Ann Angus', 'ann@angus.gov.uk'],
  ['moray', '=Mo Moray', 'mo@moray.gov.uk'],
];

const setup = async () => {
  const stores = await opener.openIn(tempDir());
  const t = staffApp(stores);
  const admin = await t.signedIn('admin');
  const adminId = (await stores.identifiable.selectFrom('staff_user').select('id').where('email', '=', admin.email).executeTakeFirstOrThrow()).id;

  /** A multipart form as a browser sends a file input: the file, and the form's other fields. */
  const upload = async (path: string, fields: Record<string, string>, file?: { name: string; content: string | Buffer }) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    // A form sent without choosing a file still carries the field, empty and without a name.
    form.append(
      'roster',
      new Blob([file ? new Uint8Array(Buffer.from(file.content)) : new Uint8Array()], { type: file ? 'text/csv' : 'application/octet-stream' }),
      file?.name ?? '',
    );
    const response = await t.app.request(path, { method: 'POST', headers: { cookie: admin.jar.header(path)! }, body: form });
    const html = await response.text();
    expectSecurityHeaders(path, response.headers);
    expect(html, `POST ${path} leaked a stack trace`).not.toMatch(stackTrace);
    return { status: response.status, html };
  };
  return { stores, ...t, admin, adminId, csrf: csrfToken(t.key, admin.token), upload };
};

const text = pageText;
const summaryMessages = (html: string) => {
  const summary = /<div class="ds_error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]!.replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
};
const rosterPath = (wave = WAVE_2) => `/staff/waves/${wave}/roster`;
const invitationsPath = (wave = WAVE_2) => `/staff/waves/${wave}/invitations`;
const rosterRows = async (stores: Stores, wave = WAVE_2) => (await listRoster(stores.identifiable, wave)).map((r) => [r.local_authority, r.name, r.email]);

describe('the roster page', () => {
  it('shows a wave without a roster and the upload form (multipart, labelled file input, CSRF token); the view is audited', async () => {
    const t = await setup();
    const page = await t.send(t.admin.jar, 'GET', rosterPath());
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Roster: Survey 2 (re-issued during COVID-19) – CSWO survey – Social Work Scotland');
    expect(text(page.html)).toContain('This wave has no roster yet.');
    expect(page.html).toMatch(/<form method="post" action="\/staff\/waves\/2020-06\/roster" enctype="multipart\/form-data"/);
    expect(page.html).toContain('<label class="ds_label" for="roster">Roster file (CSV)</label>');
    expect(page.html).toMatch(/<input class="ds_file-upload__input"[^>]*type="file"[^>]*id="roster"[^>]*name="roster"/);
    expect(unmaskToken(csrfOf(page.html))).toBe(unmaskToken(t.csrf));
    expect(await auditOf(t.stores, ['identifiable.view'])).toEqual([
      { actor: t.adminId, action: 'identifiable.view', detail: { page: 'wave roster', wave: WAVE_2 } },
    ]);
    expect((await t.send(t.admin.jar, 'GET', rosterPath('1999-01'))).status).toBe(404);
  });

  it('replaces the roster from an uploaded file: the CSRF token is read from the multipart body, the upload is audited', async () => {
    const t = await setup();
    const sent = await t.upload(rosterPath(), { _csrf: t.csrf }, { name: 'roster.csv', content: toCsv([header, ...roster]) });
    expect(sent.status).toBe(200);
    expect(text(sent.html)).toContain('The roster of Survey 2 (re-issued during COVID-19) was replaced: 3 councils on it now.');
    expect(text(sent.html)).toContain('Fife (fife) Fiona Fife fiona@fife.gov.uk no not started');
    expect(await rosterRows(t.stores)).toEqual([roster[1], roster[0], roster[2]]);
    expect(await auditOf(t.stores, ['roster.import'])).toEqual([
      { actor: t.adminId, action: 'roster.import', detail: { wave: WAVE_2, councils: 3, total: 3 } },
    ]);
  });

  it('refuses a file with problems naming each row and column exactly as the command line does, and stores nothing', async () => {
    const t = await setup();
    await replaceRoster(t.stores.identifiable, WAVE_2, [{ localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' }]);
    const bad = toCsv([header, ['Fife', 'Fiona Fife', 'fiona@fife.gov.uk'], ['angus', '', 'x'], ['angus', 'Ann Angus', 'ann@angus.gov.uk']]);
    const sent = await t.upload(rosterPath(), { _csrf: t.csrf }, { name: 'roster.csv', content: bad });
    expect(sent.status).toBe(400);
    expect(titleOf(sent.html)).toMatch(/^Error: Roster: /);

    const cwd = tempDir();
    writeFileSync(join(cwd, 'bad.csv'), bad);
    const fromCli = await cli(cwd, ['roster', 'import', '--wave', WAVE_2, 'bad.csv']);
    const [first, ...cliProblems] = fromCli.stderr.trimEnd().split('\n');
    expect(first).toBe('error: bad.csv: nothing was imported: 4 problems');
    expect(cliProblems).toHaveLength(4);
    expect(summaryMessages(sent.html)).toEqual(cliProblems);
    expect(cliProblems[0]).toBe('row 2, column local_authority: expected a council code such as aberdeen_city, got "Fife"; did you mean "fife"?');
    expect(errorSummaryTargets(sent.html)).toEqual(['roster', 'roster', 'roster', 'roster']);
    expect(text(sent.html)).toContain('Error: The file was not imported: 4 problems. Nothing was changed.');
    expect(sent.html).toMatch(/<input class="ds_file-upload__input ds_file-upload__input--error"[^>]*aria-describedby="roster-hint roster-error"/);

    expect(await rosterRows(t.stores)).toEqual([['fife', 'Fiona Fife', 'fiona@fife.gov.uk']]);
    expect(await auditOf(t.stores, ['roster.import'])).toEqual([]);
  });

  it.each([
    ['no file chosen', undefined, 'Choose the roster file (CSV) to upload'],
    ['an empty file', { name: 'roster.csv', content: '' }, 'the file is empty: expected a header row local_authority,name,email'],
    [
      'a workbook',
      { name: 'roster.xlsx', content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) },
      'this is an Excel workbook or other zip file (.xlsx), not a UTF-8 CSV file: save it from your spreadsheet as "CSV UTF-8 (comma delimited)"',
    ],
  ])('refuses %s with a 400 and a message on the field, changing nothing', async (_, file, message) => {
    const t = await setup();
    const sent = await t.upload(rosterPath(), { _csrf: t.csrf }, file);
    expect(sent.status).toBe(400);
    expect(summaryMessages(sent.html)).toEqual([message]);
    expect(await rosterRows(t.stores)).toEqual([]);
    expect(await auditOf(t.stores, ['roster.import'])).toEqual([]);
  });

  it('refuses an upload without the form token, or with another session’s, and one over the size limit', async () => {
    const t = await setup();
    const file = { name: 'roster.csv', content: toCsv([header, ...roster]) };
    expect((await t.upload(rosterPath(), {}, file)).status).toBe(403);
    expect((await t.upload(rosterPath(), { _csrf: csrfToken(t.key, 'another session') }, file)).status).toBe(403);
    const huge = await t.upload(rosterPath(), { _csrf: t.csrf }, { name: 'roster.csv', content: toCsv([header, ...roster]) + 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    expect(titleOf(huge.html)).toBe('The file is too large – CSWO survey – Social Work Scotland');
    expect(await rosterRows(t.stores)).toEqual([]);
  });

  it('says which invited councils stayed on the roster and whose address changed', async () => {
    const t = await setup();
    await t.upload(rosterPath(), { _csrf: t.csrf }, { name: 'roster.csv', content: toCsv([header, ...roster]) });
    await issueInvitation(t.stores.identifiable, WAVE_2, 'fife');
    await issueInvitation(t.stores.identifiable, WAVE_2, 'angus');
    const sent = await t.upload(
      rosterPath(),
      { _csrf: t.csrf },
      { name: 'roster.csv', content: toCsv([header, ['angus', 'Ann Angus', 'ann.new@angus.gov.uk']]) },
    );
    expect(sent.status).toBe(200);
    const said = text(sent.html);
    expect(said).toContain('1 council not in the file stayed on the roster because they have invitations: fife.');
    expect(said).toContain('New email address for 1 council already invited; their links went to the old address (issue them new links): angus.');
  });
});

describe('issuing invitations', () => {
  const withRoster = async () => {
    const t = await setup();
    await t.upload(rosterPath(), { _csrf: t.csrf }, { name: 'roster.csv', content: toCsv([header, ...roster]) });
    return t;
  };
  const formOf = async (t: Awaited<ReturnType<typeof setup>>, wave = WAVE_2) => {
    const page = await t.send(t.admin.jar, 'GET', invitationsPath(wave));
    return { page, version: /name="version" value="([^"]+)"/.exec(page.html)?.[1] ?? '' };
  };
  // Each link whole in a read-only field (never wrapped, so never copied in part).
  const secretsIn = (html: string) => [...html.matchAll(/<input [^>]*readonly[^>]* value="http:\/\/localhost\/i\/([A-Za-z0-9_-]{43})"/g)].map((m) => m[1]!);

  it('offers every council on the roster: those without a link ticked, one that submitted part one not at all', async () => {
    const t = await withRoster();
    await issueInvitation(t.stores.identifiable, WAVE_2, 'angus');
    await insertPartOneResponses(t.stores.identifiable, WAVE_2, [{ localAuthority: 'moray', answers: { local_authority: 'moray' } }]);
    const { page, version } = await formOf(t);
    expect(page.status).toBe(200);
    expect(version).toMatch(/^[0-9a-f]{64}$/);
    const boxes = [...page.html.matchAll(/<input class="ds_checkbox__input" type="checkbox"([^>]*)>/g)].map((m) => m[1]!);
    expect(boxes.map((b) => /value="([^"]+)"/.exec(b)![1])).toEqual(['angus', 'fife', 'moray']);
    expect(boxes.map((b) => [/ checked/.test(b), / disabled/.test(b)])).toEqual([
      [false, false],
      [true, false],
      [false, true],
    ]);
    expect(text(page.html)).toContain('Moray: =Mo Moray, mo@moray.gov.uk (submitted part one: cannot get a new link)');
    expect(text(page.html)).toContain('The wave is not opened yet: issuing links opens it to answers.');
    await setWaveStatus(t.stores.identifiable, WAVE_2, 'open');
    expect(text((await formOf(t)).page.html)).not.toContain('issuing links opens it');
    expect(await auditOf(t.stores, ['identifiable.view'])).toContainEqual({
      actor: t.adminId,
      action: 'identifiable.view',
      detail: { page: 'wave invitations', wave: WAVE_2 },
    });
  });

  it('issues links shown once on the page: each opens the survey, the wave is opened, the audit names councils and never a secret', async () => {
    const t = await withRoster();
    const { version } = await formOf(t);
    const sent = await t.send(t.admin.jar, 'POST', invitationsPath(), { form: { _csrf: t.csrf, version, council: 'fife', delivery: 'page' } });
    expect(sent.status).toBe(200);
    expect(titleOf(sent.html)).toBe('Invitation links: Survey 2 (re-issued during COVID-19) – CSWO survey – Social Work Scotland');
    expect(text(sent.html)).toContain('1 link issued; the wave was not opened yet and is now open to answers.');
    const [secret] = secretsIn(sent.html);
    expect(secret).toBeDefined();
    // Text to copy, never a link an admin could open as the council.
    expect(sent.html).not.toContain(`href="http://localhost/i/${secret}"`);
    expect((await findInvitationBySecret(t.stores.identifiable, secret!))?.localAuthority).toBe('fife');
    expect(await waveStatus(t.stores.identifiable, WAVE_2)).toBe('open');
    const opened = await t.send(new CookieJar(), 'GET', `/i/${secret}`);
    expect(opened).toMatchObject({ status: 303, location: '/survey' });

    const audit = await auditOf(t.stores, ['invitation.issue', 'wave.open']);
    expect(audit).toEqual([
      { actor: t.adminId, action: 'wave.open', detail: { wave: WAVE_2, from: 'not opened', to: 'open', because: 'invitations issued' } },
      { actor: t.adminId, action: 'invitation.issue', detail: { wave: WAVE_2, councils: ['fife'], reissued: [] } },
    ]);
    const everything = JSON.stringify(await t.stores.identifiable.selectFrom('audit_event').selectAll().execute());
    expect(everything).not.toContain(secret);
    expect(t.logged).toEqual([]);
  });

  it('gives the links as a CSV download instead, formula-guarded, with a byte order mark for Excel', async () => {
    const t = await withRoster();
    const { version } = await formOf(t);
    const response = await t.app.request(invitationsPath(), {
      method: 'POST',
      headers: { cookie: t.admin.jar.header(invitationsPath())!, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([
        ['_csrf', t.csrf],
        ['version', version],
        ['council', 'fife'],
        ['council', 'moray'],
        ['delivery', 'csv'],
      ]).toString(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="invitations-2020-06.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = bytes.toString('utf8');
    const rows = parseCsv(body);
    expect(rows[0]).toEqual(['local_authority', 'name', 'email', 'link']);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['fife', 'Fiona Fife', 'fiona@fife.gov.uk'],
      ['moray', "'=Mo Moray", 'mo@moray.gov.uk'],
    ]);
    for (const row of rows.slice(1)) expect((await findInvitationBySecret(t.stores.identifiable, row[3]!.split('/i/')[1]!))?.localAuthority).toBe(row[0]);
    expect(await auditOf(t.stores, ['invitation.issue'])).toEqual([
      { actor: t.adminId, action: 'invitation.issue', detail: { wave: WAVE_2, councils: ['fife', 'moray'], reissued: [] } },
    ]);
  });

  it('re-renders a form with nothing chosen, or an unknown council or delivery, with a 400 and no link issued', async () => {
    const t = await withRoster();
    const { version } = await formOf(t);
    const none = await t.send(t.admin.jar, 'POST', invitationsPath(), { form: { _csrf: t.csrf, version } });
    expect(none.status).toBe(400);
    expect(titleOf(none.html)).toMatch(/^Error: Invitations: /);
    expect(errorSummaryTargets(none.html)).toEqual(['council', 'delivery']);
    expect(summaryMessages(none.html)).toEqual(['Choose at least one council to send a link to', 'Choose how you want the links']);
    const stranger = await t.send(t.admin.jar, 'POST', invitationsPath(), { form: { _csrf: t.csrf, version, council: 'glasgow_city', delivery: 'page' } });
    expect(stranger.status).toBe(400);
    expect(summaryMessages(stranger.html)).toEqual(['Not on the roster of this wave: glasgow_city. Choose councils from the list']);
    expect(await t.stores.identifiable.selectFrom('invitation').selectAll().execute()).toEqual([]);
    expect(await auditOf(t.stores, ['invitation.issue', 'wave.open'])).toEqual([]);
  });

  it('refuses a council that submitted part one (422), and the form sent a second time (409); nothing changes', async () => {
    const t = await withRoster();
    const fifeSecret = await issueInvitation(t.stores.identifiable, WAVE_2, 'fife');
    await insertPartOneResponses(t.stores.identifiable, WAVE_2, [{ localAuthority: 'fife', answers: { local_authority: 'fife' } }]);
    const { version } = await formOf(t);
    const submitted = await t.send(t.admin.jar, 'POST', invitationsPath(), {
      form: { _csrf: t.csrf, version, council: 'fife', delivery: 'page' },
    });
    expect(submitted.status).toBe(422);
    expect(summaryMessages(submitted.html)).toEqual([
      'fife submitted part one: a new link would allow a second part-two answer. Nothing was issued; untick it',
    ]);
    expect((await findInvitationBySecret(t.stores.identifiable, fifeSecret))?.localAuthority).toBe('fife');

    const first = await t.send(t.admin.jar, 'POST', invitationsPath(), { form: { _csrf: t.csrf, version, council: 'angus', delivery: 'page' } });
    expect(first.status).toBe(200);
    const [angusSecret] = secretsIn(first.html);
    const again = await t.send(t.admin.jar, 'POST', invitationsPath(), { form: { _csrf: t.csrf, version, council: 'angus', delivery: 'page' } });
    expect(again.status).toBe(409);
    expect(secretsIn(again.html)).toEqual([]);
    // The links the first answer showed still work.
    expect((await findInvitationBySecret(t.stores.identifiable, angusSecret!))?.localAuthority).toBe('angus');
    expect((await auditOf(t.stores, ['invitation.issue'])).map((e) => e.detail)).toEqual([{ wave: WAVE_2, councils: ['angus'], reissued: [] }]);
  });

  it('gives a council with a link a new one when ticked: the old link stops working', async () => {
    const t = await withRoster();
    const old = await issueInvitation(t.stores.identifiable, WAVE_2, 'angus');
    const { version } = await formOf(t);
    const sent = await t.send(t.admin.jar, 'POST', invitationsPath(), { form: { _csrf: t.csrf, version, council: 'angus', delivery: 'page' } });
    expect(sent.status).toBe(200);
    expect(await findInvitationBySecret(t.stores.identifiable, old)).toBeUndefined();
    expect((await findInvitationBySecret(t.stores.identifiable, secretsIn(sent.html)[0]!))?.localAuthority).toBe('angus');
    expect((await auditOf(t.stores, ['invitation.issue'])).map((e) => e.detail)).toEqual([{ wave: WAVE_2, councils: [], reissued: ['angus'] }]);
  });

  it('uses PUBLIC_URL for the links when the server has one; a wave without a roster offers no form', async () => {
    const stores = await opener.openIn(tempDir());
    const { createApp } = await import('../../server/app/app.js');
    const t = staffApp(stores);
    const app = createApp({ stores, key: t.key, now: () => t.clock.now, publicUrl: 'https://survey.example.org' });
    const admin = await t.signedIn('admin');
    await replaceRoster(stores.identifiable, WAVE_1, [{ localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' }]);
    const cookie = admin.jar.header('/staff')!;
    const form = await (await app.request(invitationsPath(WAVE_1), { headers: { cookie } })).text();
    const version = /name="version" value="([^"]+)"/.exec(form)![1]!;
    const sent = await app.request(invitationsPath(WAVE_1), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfToken(t.key, admin.token), version, council: 'fife', delivery: 'page' }).toString(),
    });
    expect(await sent.text()).toMatch(/ value="https:\/\/survey\.example\.org\/i\/[A-Za-z0-9_-]{43}"/);

    await createWave(stores.identifiable, { id: '2021-06', name: 'Survey 3', fielded: 'June 2021', definition: 'cswo-annual@2' }, { actor: null, now: 0 });
    const empty = await t.send(admin.jar, 'GET', invitationsPath('2021-06'));
    expect(empty.status).toBe(200);
    expect(text(empty.html)).toContain('This wave has no roster yet. Upload its roster first.');
    expect(empty.html).not.toContain('name="council"');
  });

  it('is refused to an analyst and a researcher (403), issuing nothing', async () => {
    const t = await withRoster();
    const { version } = await formOf(t);
    for (const role of ['analyst', 'researcher'] as const) {
      const other = await t.signedIn(role);
      expect((await t.send(other.jar, 'GET', invitationsPath())).status).toBe(403);
      expect((await t.send(other.jar, 'GET', rosterPath())).status).toBe(403);
      const sent = await t.send(other.jar, 'POST', invitationsPath(), {
        form: { _csrf: csrfToken(t.key, other.token), version, council: 'fife', delivery: 'page' },
      });
      expect(sent.status).toBe(403);
      expect(secretsIn(sent.html)).toEqual([]);
    }
    expect(await t.stores.identifiable.selectFrom('invitation').selectAll().execute()).toEqual([]);
  });
});
