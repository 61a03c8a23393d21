import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../server/storage/audit-log-store.js';
import { listInvitations } from '../../server/storage/invitation-store.js';
import { queueMessages } from '../../server/storage/mail-outbox-store.js';
import { openStores, type Stores } from '../../server/storage/open-stores.js';
import { savePartOneDraft } from '../../server/storage/part-one-draft-store.js';
import { insertPartOneResponses } from '../../server/storage/part-one-store.js';
import { replaceRoster } from '../../server/storage/roster-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { cli, identifiableStoreBytes, parseCsv } from './helpers.js';
import { pageText, titleOf } from './respondent-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * Issue 18, a CSWO's requests: everything held about them, found by their email address on the rosters,
 * as JSON and CSV (subject access, Article 15), and its erasure with a reason (Article 17), both audited
 * without the address; part two cannot be found for a person, and each answer says so.
 */
const tempDir = useTempDirs();
const WAVE = '2027-01';
const FIONA = { name: 'Fiona Fyfe-Requested', email: 'Fiona.Requested@fife.example' };
const opened: Stores[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => {});
});

const setUp = async () => {
  const cwd = tempDir();
  const dataDir = join(cwd, 'data');
  expect((await cli(cwd, ['wave', 'create', '--wave', WAVE, '--name', 'Survey 2027', '--fielded', 'January 2027', '--definition', 'cswo-annual@2'])).code).toBe(
    0,
  );
  let stores = await openStores({ dataDir });
  await replaceRoster(stores.identifiable, WAVE, [
    { localAuthority: 'fife', name: FIONA.name, email: FIONA.email },
    { localAuthority: 'highland', name: 'Hamish Highland', email: 'hamish@highland.example' },
  ]);
  await stores.close();
  expect((await cli(cwd, ['invite', '--wave', WAVE])).code).toBe(0);
  stores = await openStores({ dataDir });
  opened.push(stores);
  const [, highland] = await listInvitations(stores.identifiable, WAVE);
  await savePartOneDraft(stores.identifiable, highland!.id, { section: 'about_you', answers: { name: 'Hamish Highland' } });
  await insertPartOneResponses(stores.identifiable, WAVE, [
    { localAuthority: 'fife', answers: { local_authority: 'fife', name: FIONA.name, groups_involved: 7 } },
  ]);
  await queueMessages(
    stores.identifiable,
    [{ id: 'm1', waveId: WAVE, council: 'fife', purpose: 'invitation', recipient: FIONA.email, sealedLink: null }],
    Date.now(),
  );
  await stores.close();
  return { cwd, dataDir };
};

describe("a CSWO's requests (issue 18)", () => {
  it('gives everything held about them as JSON and CSV, says why part two is not in it, and audits it without the address', async () => {
    const { cwd, dataDir } = await setUp();
    const json = await cli(cwd, ['person', 'show', '--email', 'fiona.requested@FIFE.example']);
    expect(json.code, json.stderr).toBe(0);
    const record = JSON.parse(json.stdout) as {
      entries: { wave: string; council: string; name: string; invited: boolean; partOne: unknown; messages: unknown[] }[];
      partTwo: string;
    };
    expect(record.entries).toHaveLength(1);
    expect(record.entries[0]).toMatchObject({
      wave: WAVE,
      council: 'fife',
      name: FIONA.name,
      invited: true,
      partOne: { local_authority: 'fife', name: FIONA.name, groups_involved: 7 },
    });
    expect(record.entries[0]!.messages).toEqual([{ purpose: 'invitation', status: 'queued', queuedAt: expect.any(String), sentAt: null, reply: null }]);
    expect(record.partTwo).toContain('nobody can tell which part two is theirs');
    expect(json.stderr).toContain('Part two (the anonymous part) is not included');

    const csv = await cli(cwd, ['person', 'show', '--email', FIONA.email, '--format', 'csv']);
    const rows = parseCsv(csv.stdout);
    // No byte order mark on the command line (Python's csv would read "\ufeffwave"); the download has one, for Excel.
    expect(csv.stdout.startsWith('wave,')).toBe(true);
    expect(rows[0]).toEqual(['wave', 'council', 'what', 'field', 'value']);
    expect(rows).toContainEqual([WAVE, 'fife', 'roster', 'name', FIONA.name]);
    expect(rows).toContainEqual([WAVE, 'fife', 'part one (sent)', 'groups_involved', '7']);

    const stores = await openStores({ dataDir });
    opened.push(stores);
    const audit = (await listAuditEvents(stores.identifiable)).filter((e) => e.action === 'person.access');
    expect(audit.map((e) => e.detail)).toEqual([
      { entries: [`${WAVE}/fife`], format: 'json', via: 'command line' },
      { entries: [`${WAVE}/fife`], format: 'csv', via: 'command line' },
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/fiona/i);
    await stores.close();

    const nobody = await cli(cwd, ['person', 'show', '--email', 'nobody@example.org']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no roster holds the email address nobody@example.org');
  });

  it('erases their roster entry, part one, invitation and emails from the files, with a reason, and leaves everyone else', async () => {
    const { cwd, dataDir } = await setUp();
    expect(await identifiableStoreBytes(dataDir)).toContain(FIONA.name);
    const noReason = await cli(cwd, ['person', 'erase', '--email', FIONA.email]);
    expect(noReason.code).toBe(2);
    const erased = await cli(cwd, ['person', 'erase', '--email', FIONA.email, '--reason', 'erasure request of 7 December 2026']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stdout).toBe('erased 1 roster entries, 1 part ones, 1 invitations and 1 emails\n');
    const held = await identifiableStoreBytes(dataDir);
    expect(held).not.toContain(FIONA.name);
    expect(held.toLowerCase()).not.toContain(FIONA.email.toLowerCase());
    expect(held).toContain('Hamish Highland');
    const stores = await openStores({ dataDir });
    opened.push(stores);
    const audit = (await listAuditEvents(stores.identifiable)).filter((e) => e.action === 'person.erase');
    expect(audit.map((e) => e.detail)).toEqual([
      { entries: [`${WAVE}/fife`], reason: 'erasure request of 7 December 2026', partOnes: 1, invitations: 1, messages: 1, via: 'command line' },
    ]);
    expect((await cli(cwd, ['person', 'show', '--email', FIONA.email])).code).toBe(1);
  });

  it('does the same on the admin page: the address only in POST bodies, a download, and an erasure after a reason and a confirmation', async () => {
    const { dataDir } = await setUp();
    const stores = await openStores({ dataDir });
    opened.push(stores);
    const t = staffApp(stores);
    const admin = await t.signedIn('admin');
    const csrf = csrfToken(t.key, admin.token);
    const post = async (fields: Record<string, string>) => {
      const response = await t.app.request('/staff/people', {
        method: 'POST',
        headers: { cookie: admin.jar.header('/staff/people')!, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, ...fields }),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') };
    };
    expect((await t.send(admin.jar, 'GET', '/staff/people')).status).toBe(200);
    const empty = await post({ step: 'find', email: ' ' });
    expect(empty.status).toBe(400);
    expect(titleOf(empty.text)).toMatch(/^Error: /);

    const found = await post({ step: 'find', email: FIONA.email });
    expect(found.status).toBe(200);
    expect(pageText(found.text)).toContain(`${WAVE} fife ${FIONA.name} yes sent 1`);
    expect(pageText(found.text)).toContain('Part two (the anonymous part) is not included');

    const csvDownload = await post({ step: 'download', email: FIONA.email, format: 'csv' });
    expect(csvDownload.bytes.subarray(0, 8).toString('hex')).toBe(Buffer.from('\ufeffwave,').toString('hex'));
    const download = await post({ step: 'download', email: FIONA.email, format: 'json' });
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="person-\d{4}-\d{2}-\d{2}\.json"$/);
    expect((JSON.parse(download.text) as { entries: { name: string }[] }).entries[0]!.name).toBe(FIONA.name);

    expect((await post({ step: 'erase', email: FIONA.email, reason: '' })).status).toBe(400);
    const asked = await post({ step: 'erase', email: FIONA.email, reason: 'request received 7 December 2026' });
    expect(titleOf(asked.text)).toBe(`Erase what is held about ${FIONA.email}? – CSWO survey – Social Work Scotland`);
    expect(await stores.identifiable.selectFrom('roster').select('name').where('local_authority', '=', 'fife').execute()).toHaveLength(1);
    const done = await post({ step: 'erase', email: FIONA.email, reason: 'request received 7 December 2026', confirm: 'yes' });
    expect(pageText(done.text)).toContain('1 roster entries, 1 part ones, 1 invitations and 1 emails');
    expect(await stores.identifiable.selectFrom('roster').select('name').where('local_authority', '=', 'fife').execute()).toEqual([]);
    const audit = await listAuditEvents(stores.identifiable);
    expect(audit.filter((e) => e.action.startsWith('person.')).map((e) => e.action)).toEqual([
      'person.access',
      'person.access',
      'person.access',
      'person.erase',
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/fiona\.requested/i);
  });
});
