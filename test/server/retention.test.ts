import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app/serve.js';
import Database from 'better-sqlite3';
import { applyRetention, changeRetention } from '../../server/data-protection/index.js';
import { listAuditEvents } from '../../server/storage/audit-log-store.js';
import { dataVersionOf } from '../../server/storage/data-version-store.js';
import { createSession, listInvitations } from '../../server/storage/invitation-store.js';
import { queueMessages } from '../../server/storage/mail-outbox-store.js';
import { openStores, type Stores } from '../../server/storage/open-stores.js';
import { savePartOneDraft } from '../../server/storage/part-one-draft-store.js';
import { insertPartOneResponses } from '../../server/storage/part-one-store.js';
import { findRetention } from '../../server/storage/retention-store.js';
import { replaceRoster } from '../../server/storage/roster-store.js';
import { todayInUk } from '../../server/waves/index.js';
import { onPostgres } from '../support/test-databases.js';
import { useTempDirs } from '../support/temp-dir.js';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { cli, identifiableStoreBytes } from './helpers.js';
import { pageText, titleOf } from './respondent-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * Issue 18, retention: once a wave's day has passed, its roster, invitations, links, sessions, drafts and
 * emails are erased, from the files as well as the tables, and part one keeps its answers under the
 * council's code (its name and email answers go too, unless an admin chose to keep part one whole).
 */
const tempDir = useTempDirs();
const WAVE = '2027-01';
const names = ['Fiona Fyfe-Retained', 'Hamish Highland-Retained'];
const emails = ['fiona.retained@fife.example', 'hamish.retained@highland.example'];
const opened: Stores[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => {});
});

const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** A wave whose roster, links, a session, a draft, an email and part one name people. */
const setUp = async () => {
  const cwd = tempDir();
  const dataDir = join(cwd, 'data');
  expect((await cli(cwd, ['wave', 'create', '--wave', WAVE, '--name', 'Survey 2027', '--fielded', 'January 2027', '--definition', 'cswo-annual@2'])).code).toBe(
    0,
  );
  const stores = await openStores({ dataDir });
  opened.push(stores);
  await replaceRoster(stores.identifiable, WAVE, [
    { localAuthority: 'fife', name: names[0]!, email: emails[0]! },
    { localAuthority: 'highland', name: names[1]!, email: emails[1]! },
  ]);
  await stores.close();
  expect((await cli(cwd, ['invite', '--wave', WAVE])).code).toBe(0);
  const again = await openStores({ dataDir });
  opened.push(again);
  const db = again.identifiable;
  const [fife, highland] = await listInvitations(db, WAVE);
  await createSession(db, fife!.id, 3_600_000);
  await savePartOneDraft(db, highland!.id, { section: 'about_you', answers: { name: names[1]!, email: emails[1]! } });
  await queueMessages(db, [{ id: 'message-1', waveId: WAVE, council: 'highland', purpose: 'invitation', recipient: emails[1]!, sealedLink: null }], Date.now());
  await insertPartOneResponses(db, WAVE, [
    { localAuthority: 'fife', answers: { local_authority: 'fife', name: names[0]!, email: emails[0]!, groups_involved: 7 } },
  ]);
  return { cwd, dataDir, stores: again };
};

describe('retention (issue 18)', () => {
  it('a new wave keeps contacts a year; once its day has passed, dry run lists, apply erases from the files, part one keeps its council', async () => {
    const { cwd, dataDir, stores } = await setUp();
    const set = await findRetention(stores.identifiable, WAVE);
    expect(set?.contactsUntil).toBe(`${Number(todayInUk(Date.now()).slice(0, 4)) + 1}${todayInUk(Date.now()).slice(4)}`.replace(/-02-29$/, '-02-28'));
    await stores.close();
    const yesterday = dayBefore(todayInUk(Date.now()));
    expect((await cli(cwd, ['retention', 'set', '--wave', WAVE, '--until', yesterday])).code).toBe(0);

    const dry = await cli(cwd, ['retention', 'apply', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(
      `${WAVE}\twould erase: 2 roster entries (names and email addresses), 2 invitations, 0 further links, 1 respondent sessions, 1 part-one drafts never sent, 1 emails in the outbox, the identifying answers of 1 part ones\n`,
    );
    let check = await openStores({ dataDir });
    opened.push(check);
    for (const held of [names[0]!, emails[1]!]) expect(await identifiableStoreBytes(dataDir)).toContain(held);
    await check.close();

    const applied = await cli(cwd, ['retention', 'apply']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`${WAVE}\terased: 2 roster entries`);
    check = await openStores({ dataDir });
    opened.push(check);
    const held = await identifiableStoreBytes(dataDir);
    for (const gone of [...names, ...emails]) expect(held).not.toContain(gone);
    const db = check.identifiable;
    for (const table of ['roster', 'invitation', 'mail_outbox'] as const)
      expect(await db.selectFrom(table).select('wave_id').where('wave_id', '=', WAVE).execute(), table).toEqual([]);
    expect(await db.selectFrom('respondent_session').select('token_hash').execute()).toEqual([]);
    expect(await db.selectFrom('part_one_draft').select('invitation_id').execute()).toEqual([]);
    const [partOne] = await db.selectFrom('part_one_response').select(['local_authority', 'answers']).where('wave_id', '=', WAVE).execute();
    expect(partOne?.local_authority).toBe('fife');
    expect(JSON.parse(partOne!.answers)).toEqual({ local_authority: 'fife', groups_involved: 7 });
    const audit = (await listAuditEvents(db)).filter((e) => e.action === 'retention.apply');
    expect(audit.map((e) => e.detail)).toEqual([
      {
        wave: WAVE,
        until: yesterday,
        keptPartOne: false,
        roster: 2,
        invitations: 2,
        links: 0,
        sessions: 1,
        drafts: 1,
        messages: 1,
        partOneStripped: 1,
        via: 'command line',
      },
    ]);
    expect((await findRetention(db, WAVE))?.appliedAt).toEqual(expect.any(Number));
    await check.close();
    // Applied once: nothing more to do.
    expect((await cli(cwd, ['retention', 'apply'])).stderr).toContain('no wave has a retention that has ended and not been applied');
  });

  it('keeps part one whole when an admin chose so, and the server applies retention at start', async () => {
    const { cwd, dataDir, stores } = await setUp();
    await stores.close();
    expect((await cli(cwd, ['retention', 'set', '--wave', WAVE, '--until', dayBefore(todayInUk(Date.now())), '--keep-part-one'])).code).toBe(0);
    const log: string[] = [];
    const server = await startServer({ dataDir, port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: (m) => log.push(m) });
    try {
      expect(log.join('\n')).toContain(`retention: wave ${WAVE} kept what identifies people through`);
      for (const name of names) expect(log.join('\n')).not.toContain(name);
      const db = server.stores.identifiable;
      expect(await db.selectFrom('roster').select('name').where('wave_id', '=', WAVE).execute()).toEqual([]);
      const [partOne] = await db.selectFrom('part_one_response').select('answers').where('wave_id', '=', WAVE).execute();
      expect(JSON.parse(partOne!.answers)).toEqual({ local_authority: 'fife', name: names[0], email: emails[0], groups_involved: 7 });
    } finally {
      await server.stop();
    }
  });

  it('applies a retention changed after it ran afresh, keeps the part-one choice unless told, and moves the data version of the tables', async () => {
    const { cwd, dataDir, stores } = await setUp();
    await stores.close();
    const yesterday = dayBefore(todayInUk(Date.now()));
    expect((await cli(cwd, ['retention', 'set', '--wave', WAVE, '--until', yesterday, '--keep-part-one'])).code).toBe(0);
    expect((await cli(cwd, ['retention', 'apply'])).code).toBe(0);
    const versionOf = async () => {
      const s = await openStores({ dataDir });
      opened.push(s);
      try {
        return {
          version: await dataVersionOf(s.identifiable, WAVE),
          partOne: JSON.parse((await s.identifiable.selectFrom('part_one_response').select('answers').executeTakeFirstOrThrow()).answers) as object,
        };
      } finally {
        await s.close();
      }
    };
    const whole = await versionOf();
    expect(whole.partOne).toEqual({ local_authority: 'fife', name: names[0], email: emails[0], groups_involved: 7 });

    // A new date alone keeps "part one whole" as it was.
    const moved = await cli(cwd, ['retention', 'set', '--wave', WAVE, '--until', yesterday]);
    expect(moved.stderr).toContain(`wave ${WAVE} keeps what identifies people through ${yesterday}, and part one whole`);
    expect((await cli(cwd, ['retention', 'show'])).stdout).toBe(`${WAVE}\t${yesterday}\tpart one kept whole\tnot applied\n`);
    expect((await cli(cwd, ['retention', 'apply'])).code).toBe(0);
    expect((await versionOf()).partOne).toEqual(whole.partOne);

    // Part one no longer kept whole: the retention, already applied, applies again and strips it.
    expect((await cli(cwd, ['retention', 'set', '--wave', WAVE, '--until', yesterday, '--no-keep-part-one'])).code).toBe(0);
    const again = await cli(cwd, ['retention', 'apply']);
    expect(again.stdout).toContain('the identifying answers of 1 part ones');
    const stripped = await versionOf();
    expect(stripped.partOne).toEqual({ local_authority: 'fife', groups_involved: 7 });
    // The wave's tables and dashboards, cached by its data version, read it afresh.
    expect(stripped.version).not.toBe(whole.version);
  });

  // SQLite only: PostgreSQL's VACUUM FULL waits for its readers instead of stopping short.
  it('runs again when a reader in another connection stopped the rewrite, and says so', async (context) => {
    if (onPostgres()) context.skip();
    const { dataDir, stores } = await setUp();
    await stores.close();
    const today = todayInUk(Date.now());
    const made = { actor: null, via: 'test', now: Date.now() };
    const store = await openStores({ dataDir });
    opened.push(store);
    await changeRetention(store.identifiable, WAVE, { contactsUntil: dayBefore(today), keepPartOne: false }, made);
    // A read held open, as a backup or another command would: the WAL cannot be emptied.
    const reader = new Database(join(dataDir, 'identifiable.db'), { readonly: true });
    try {
      reader.exec('begin');
      reader.prepare('select count(*) from wave').get();
      await expect(applyRetention(store, today, made)).rejects.toThrow(/another process kept reading the identifiable store/);
      expect((await findRetention(store.identifiable, WAVE))?.appliedAt).toBeNull();
    } finally {
      reader.close();
    }
    // Due again: the next run erases (nothing is left to) and rewrites the store.
    expect((await applyRetention(store, today, made)).map((e) => e.counts.roster)).toEqual([0]);
    expect((await findRetention(store.identifiable, WAVE))?.appliedAt).toEqual(expect.any(Number));
    const held = await identifiableStoreBytes(dataDir);
    for (const gone of [...names, ...emails]) expect(held).not.toContain(gone);
    expect((await listAuditEvents(store.identifiable)).filter((e) => e.action === 'retention.apply')).toHaveLength(2);
  });

  it('refuses a date that is not one, and leaves a wave whose day has not come', async () => {
    const { cwd } = await setUp();
    const bad = await cli(cwd, ['retention', 'set', '--wave', WAVE, '--until', '2027-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--until: expected a date as YYYY-MM-DD, such as 2027-06-30, got "2027-02-30"');
    const none = await cli(cwd, ['retention', 'apply', '--dry-run']);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('no wave has a retention that has ended');
  });

  it("an admin reads and changes a wave's retention on its page; a date that is not one is refused naming the box", async () => {
    const { dataDir, stores } = await setUp();
    await stores.close();
    const again = await openStores({ dataDir });
    opened.push(again);
    const t = staffApp(again);
    const admin = await t.signedIn('admin');
    const csrf = csrfToken(t.key, admin.token);
    const path = `/staff/waves/${WAVE}/retention`;
    const page = await t.send(admin.jar, 'GET', path);
    expect(page.status).toBe(200);
    expect(pageText(page.html)).toMatch(/What identifies people is kept through \d+ \w+ \d{4}\./);
    const bad = await t.send(admin.jar, 'POST', path, { form: { _csrf: csrf, 'until-day': '30', 'until-month': '2', 'until-year': '2030' } });
    expect(bad.status).toBe(400);
    expect(titleOf(bad.html)).toMatch(/^Error: /);
    expect(pageText(bad.html)).toContain('The day must be a real date: that month has 28 days');
    const saved = await t.send(admin.jar, 'POST', path, {
      form: { _csrf: csrf, 'until-day': '30', 'until-month': '6', 'until-year': '2030', 'keep-part-one': 'yes' },
    });
    expect(saved.status).toBe(200);
    expect(pageText(saved.html)).toContain('Saved: kept through 30 June 2030.');
    expect(await findRetention(again.identifiable, WAVE)).toEqual({ waveId: WAVE, contactsUntil: '2030-06-30', keepPartOne: true, appliedAt: null });
    const audit = (await listAuditEvents(again.identifiable)).filter((e) => e.action === 'retention.set');
    expect(audit.map((e) => e.detail)).toEqual([{ wave: WAVE, until: '2030-06-30', keepPartOne: true }]);
  });
});
