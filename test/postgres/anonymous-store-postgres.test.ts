import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app/app.js';
import { randomToken } from '../../server/security/tokens.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { finishDeferredScrub, isScrubDeferred } from '../../server/storage/arrival-scrub.js';
import { issueInvitation } from '../../server/storage/invitation-store.js';
import { openStores } from '../../server/storage/open-stores.js';
import { savePartTwoDraft } from '../../server/storage/part-two-pass-store.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { onPostgres } from '../support/test-databases.js';
import { storeOpener, WAVE_2 } from '../server/helpers.js';
import { CookieJar, csrfOf, formBody } from '../server/respondent-helpers.js';

/**
 * The anonymous store's guarantees on PostgreSQL, where the heap keeps rows in insertion order (ctid)
 * and stamps each with the id of the transaction that wrote it (xmin, shared by the whole cluster).
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const physical = async (stores: Awaited<ReturnType<typeof opener.openIn>>) =>
  (
    await sql<{ xmin: string; ctid: string; answers: string }>`select xmin::text as xmin, ctid::text as ctid, answers from part_two_response`.execute(
      stores.anonymous,
    )
  ).rows.map((r) => {
    const [page, item] = r.ctid.slice(1, -1).split(',').map(Number);
    return { xmin: r.xmin, position: page! * 10_000 + item!, seq: JSON.parse(r.answers).seq as number };
  });

/** The share of pairs whose physical order agrees with their arrival order: 1 in arrival order, about 0.5 at random. */
const concordance = (rows: readonly { position: number; seq: number }[]) => {
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      pairs++;
      if (Math.sign(rows[i]!.position - rows[j]!.position) === Math.sign(rows[i]!.seq - rows[j]!.seq)) agree++;
    }
  }
  return agree / pairs;
};

/**
 * Every file of the connected database (heap, TOAST, indexes, free-space maps, the catalogs and their
 * statistics) after a checkpoint, as someone who can read the server's data directory would see them.
 * Read through the server (superuser), so it works whoever owns the files.
 */
const databaseFiles = async (db: Kysely<any>): Promise<Buffer> => {
  await sql`checkpoint`.execute(db);
  const dir = (await sql<{ path: string }>`select 'base/' || oid as path from pg_database where datname = current_database()`.execute(db)).rows[0]!.path;
  const names = (await sql<{ name: string }>`select pg_ls_dir(${dir}::text) as name`.execute(db)).rows.map((r) => r.name);
  const files: Buffer[] = [];
  for (const name of names) {
    // A file a checkpoint or vacuum removed meanwhile is missing_ok (PostgreSQL 15 reads it whole only by length).
    const path = `${dir}/${name}`;
    const read = await sql<{ bytes: Buffer | null }>`
      select pg_read_binary_file(${path}::text, 0, s.size, true) as bytes from pg_stat_file(${path}::text, true) s where s.size is not null`.execute(db);
    if (read.rows[0]?.bytes) files.push(read.rows[0].bytes);
  }
  return Buffer.concat(files);
};

const occurrences = (haystack: Buffer, text: string) => {
  const needle = Buffer.from(text, 'utf8');
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
};

/**
 * Runs `work` while another connection to the anonymous database holds a repeatable-read snapshot,
 * taken by `statement` (a read of one of our tables also holds its lock; `select 1` holds none).
 */
const withSnapshotElsewhere = async (statement: string, work: () => Promise<void>) => {
  const other = new pg.Client({ connectionString: process.env.ANONYMOUS_DATABASE_URL });
  await other.connect();
  try {
    await other.query('begin isolation level repeatable read');
    await other.query(statement);
    await work();
  } finally {
    await other.query('rollback').catch(() => {});
    await other.end();
  }
};

/** A CSWO's browser over the app: part one sent, so it holds its part-two pass. */
const respondentAfterPartOne = async (stores: Awaited<ReturnType<ReturnType<typeof storeOpener>['openIn']>>) => {
  await replaceRoster(stores.identifiable, WAVE_2, [{ localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' }]);
  await setWaveStatus(stores.identifiable, WAVE_2, 'open');
  const secret = await issueInvitation(stores.identifiable, WAVE_2, 'fife');
  const app = createApp({ stores, key: randomBytes(32), logError: () => {} });
  const jar = new CookieJar();
  const send = async (method: 'GET' | 'POST', path: string, form?: Record<string, string>) => {
    const cookie = jar.header(path);
    const response = await app.request(path, {
      method,
      headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: formBody(form) } : {}),
    });
    jar.store(response.headers.getSetCookie(), path);
    return { status: response.status, html: await response.text() };
  };
  /** GETs a page for its form token, then posts the fields to it (or to `to`). */
  const post = async (page: string, fields: Record<string, string>, to = page) =>
    send('POST', to, { _csrf: csrfOf((await send('GET', page)).html), ...fields });
  await send('GET', `/i/${secret}`);
  expect((await post('/survey/part-one/about_you', { name: 'Fiona Fife', email: 'fiona@fife.gov.uk' })).status).toBe(303);
  expect((await post('/survey/part-one/check', {}, '/survey/part-one/submit')).status).toBe(303);
  return { post };
};

describe('the anonymous store on PostgreSQL', () => {
  it('runs in the postgres project', () => {
    expect(onPostgres()).toBe(true);
  });

  it('keeps neither insertion order nor transaction ids: answers that arrive one at a time end up in random places with one shared xmin', async () => {
    const stores = await opener.openIn(tempDir());
    expect(stores.dialect).toBe('postgres');
    for (let seq = 1; seq <= 40; seq++) {
      await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ seq }]);
      await scrubArrivalOrder(stores.anonymous);
    }
    const rows = await physical(stores);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(1);
    // 780 pairs: at random the share is 0.5 with a standard deviation near 0.06.
    expect(Math.abs(concordance(rows) - 0.5)).toBeLessThan(0.25);
    // The scrub wrote the table to a new file: the old one, with any dead copies, is emptied.
    const filenode = async () => (await sql<{ f: string }>`select pg_relation_filenode('part_two_response')::text as f`.execute(stores.anonymous)).rows[0]!.f;
    const before = await filenode();
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ seq: 41 }]);
    await scrubArrivalOrder(stores.anonymous);
    expect(await filenode()).not.toBe(before);
  });

  it('after part two is sent, no copy of its draft is left in any file of the database, even after ANALYZE', async () => {
    const stores = await opener.openIn(tempDir());
    const { post } = await respondentAfterPartOne(stores);
    // Other councils' drafts beside it, so that ANALYZE has distinct values to sample.
    for (let i = 0; i < 4; i++)
      await savePartTwoDraft(stores.anonymous, randomToken(), WAVE_2, { answers: { final_reflections: `other-${i}` }, section: 'reflections' });
    const draft = `draft-${randomToken()}`;
    const sent = `sent-${randomToken()}`;
    for (const text of [draft, `${draft} (changed)`, sent]) {
      expect((await post('/part-two/reflections', { final_reflections: text })).status).toBe(303);
      // As autovacuum would, between saves: sample values must not reach pg_statistic.
      await sql`analyze`.execute(stores.anonymous);
    }
    // ANALYZE keeps no sample of a draft or an answer (it would outlive them in pg_statistic).
    const sampled = await sql<{
      column: string;
    }>`select tablename || '.' || attname as column from pg_stats where tablename in ('part_two_pass', 'part_two_response')`.execute(stores.anonymous);
    expect(sampled.rows.map((r) => r.column).filter((c) => /answers|section/.test(c))).toEqual([]);
    expect(sampled.rows.map((r) => r.column)).toContain('part_two_pass.wave_id');
    expect((await post('/part-two/check', {}, '/part-two/submit')).status).toBe(303);
    await sql`analyze`.execute(stores.anonymous);
    // A scrub that met autovacuum's lock gave up and is retried in the background: let it finish.
    await finishDeferredScrub(stores.anonymous);
    const files = await databaseFiles(stores.anonymous);
    // The reader sees the stored answer, once: no dead copy of the last draft beside it.
    expect(occurrences(files, sent)).toBe(1);
    expect(occurrences(files, draft)).toBe(0);
    // Passes and answers share one transaction id: the scrub's. They are the open wave's, in the intake.
    const xmins = await sql<{
      xmin: string;
    }>`select xmin::text as xmin from intake.part_two_pass union select xmin::text from intake.part_two_response`.execute(stores.anonymous);
    // (the decoys were written before the journey's scrubs, so they share it too)
    expect(xmins.rows).toHaveLength(1);
  });

  it('a reader holding a snapshot does not stall a save: the scrub it blocks is retried once it ends', async () => {
    const stores = await opener.openIn(tempDir());
    const { post } = await respondentAfterPartOne(stores);
    const first = `first-${randomToken()}`;
    expect((await post('/part-two/reflections', { final_reflections: first })).status).toBe(303);
    // A reader of the open wave's drafts, in the intake (a reader of the archive holds up nothing).
    await withSnapshotElsewhere('select count(*) from intake.part_two_pass', async () => {
      // The save answers (the respondent is not kept waiting on the reader's lock) ...
      expect((await post('/part-two/reflections', { final_reflections: `second-${randomToken()}` })).status).toBe(303);
      expect(isScrubDeferred(stores.anonymous)).toBe(true);
      // ... and the first version's dead copy is still in the heap while the reader lasts.
      expect(occurrences(await databaseFiles(stores.anonymous), first)).toBeGreaterThan(0);
    });
    await finishDeferredScrub(stores.anonymous);
    expect(isScrubDeferred(stores.anonymous)).toBe(false);
    expect(occurrences(await databaseFiles(stores.anonymous), first)).toBe(0);
  });

  it('a snapshot held elsewhere in the database (as an autovacuum ANALYZE holds one) keeps no dead copy of an earlier draft', async () => {
    const stores = await opener.openIn(tempDir());
    const { post } = await respondentAfterPartOne(stores);
    const first = `first-${randomToken()}`;
    expect((await post('/part-two/reflections', { final_reflections: first })).status).toBe(303);
    // A snapshot that reads no table of ours, so it holds no lock the scrub waits for.
    await withSnapshotElsewhere('select 1', async () => {
      expect((await post('/part-two/reflections', { final_reflections: `second-${randomToken()}` })).status).toBe(303);
      await finishDeferredScrub(stores.anonymous);
      expect(occurrences(await databaseFiles(stores.anonymous), first)).toBe(0);
    });
  });

  it('the control: DELETE and VACUUM FULL beside such a snapshot keep the dead copy, and say nothing', async () => {
    const stores = await opener.openIn(tempDir());
    const before = `before-${randomToken()}`;
    await stores.anonymous
      .insertInto('part_two_pass')
      .values({ credential_hash: 'x'.repeat(64), wave_id: WAVE_2, spent: 0, section: 'reflections', answers: JSON.stringify({ final_reflections: before }) })
      .execute();
    await withSnapshotElsewhere('select 1', async () => {
      await stores.anonymous.deleteFrom('part_two_pass').execute();
      await sql`vacuum full part_two_pass`.execute(stores.anonymous);
      expect(occurrences(await databaseFiles(stores.anonymous), before)).toBe(1);
    });
  });

  it('the control: without the scrub, a draft changed in place stays readable in the heap', async () => {
    const stores = await opener.openIn(tempDir());
    const before = `before-${randomToken()}`;
    await stores.anonymous
      .insertInto('part_two_pass')
      .values({ credential_hash: 'x'.repeat(64), wave_id: WAVE_2, spent: 0, section: 'reflections', answers: JSON.stringify({ final_reflections: before }) })
      .execute();
    await stores.anonymous.updateTable('part_two_pass').set({ answers: '{}' }).execute();
    expect(occurrences(await databaseFiles(stores.anonymous), before)).toBe(1);
  });

  it('the control: without the scrub, the heap gives the arrival order away', async () => {
    const stores = await opener.openIn(tempDir());
    for (let seq = 1; seq <= 40; seq++) await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ seq }]);
    const rows = await physical(stores);
    expect(concordance(rows)).toBe(1);
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(40);
  });

  it('refuses an anonymous database whose server logs every write, which would time each answer', async () => {
    const dir = tempDir();
    const first = await opener.openIn(dir);
    const database = (await sql<{ name: string }>`select current_database() as name`.execute(first.anonymous)).rows[0]!.name;
    await first.close();
    const admin = await opener.openIn(tempDir());
    await sql`alter database ${sql.id(database)} set log_statement = 'mod'`.execute(admin.identifiable);
    await expect(opener.openIn(dir)).rejects.toThrow(/refusing to use the anonymous PostgreSQL database .*log_statement = mod/);
    await sql`alter database ${sql.id(database)} set log_statement = 'ddl'`.execute(admin.identifiable);
    await (await opener.openIn(dir)).close();
  });

  it('refuses DATABASE_URL without a database of its own for part two, and never prints a password', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    await expect(openStores({ dataDir: tempDir(), databaseUrl: url.toString(), anonymousDatabaseUrl: '' })).rejects.toThrow(
      'DATABASE_URL is set but ANONYMOUS_DATABASE_URL is not: part two needs a PostgreSQL database of its own',
    );
    await expect(openStores({ dataDir: tempDir(), databaseUrl: url.toString(), anonymousDatabaseUrl: url.toString() })).rejects.toThrow(
      /name the same database/,
    );
    const wrong = new URL(url);
    wrong.password = 'hunter2-secret';
    wrong.port = '1';
    const other = new URL(wrong);
    other.pathname = '/elsewhere';
    const refused = openStores({ dataDir: tempDir(), databaseUrl: wrong.toString(), anonymousDatabaseUrl: other.toString() });
    await expect(refused).rejects.toThrow(/cannot reach the identifiable PostgreSQL database at postgres:\/\/cswo:\*\*\*@127\.0\.0\.1:1\//);
    await expect(refused).rejects.not.toThrow(/hunter2/);
    await expect(openStores({ dataDir: tempDir(), databaseUrl: 'mysql://x/y', anonymousDatabaseUrl: 'postgres://x/z' })).rejects.toThrow(
      'DATABASE_URL must be a postgres:// URL',
    );
  });

  it('reads 64-bit times back as numbers, as SQLite does', async () => {
    const stores = await opener.openIn(tempDir());
    const at = Date.UTC(2030, 0, 1);
    await stores.identifiable.insertInto('audit_event').values({ at, actor: null, action: 'test', detail: '{}' }).execute();
    const row = await stores.identifiable.selectFrom('audit_event').select(['id', 'at']).executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 1, at });
  });
});
