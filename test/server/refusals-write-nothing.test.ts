import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app/app.js';
import { randomToken } from '../../server/security/tokens.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';
import { CookieJar } from './respondent-helpers.js';
import { addStaff, PASSWORD } from './staff-helpers.js';
import { socketEnv, staffApp, T0 } from './staff-web-helpers.js';

/**
 * A request refused for a limit writes nothing to the identifiable store, which syncs every commit: a
 * flood of refused requests must not grow its write-ahead log. Watched from outside, on SQLite's own
 * files: the -wal file's size, and PRAGMA data_version on a second connection, which changes whenever
 * another connection commits anything.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
const watchers: Database.Database[] = [];
afterEach(async () => {
  for (const w of watchers.splice(0)) w.close();
  await opener.closeAll();
});

/** The store's files in `dir`, watched from a connection of their own. */
const watch = (dir: string) => {
  const file = join(dir, 'data', 'identifiable.db');
  const watcher = new Database(file);
  watchers.push(watcher);
  const snapshot = () => ({ version: watcher.pragma('data_version', { simple: true }) as number, walBytes: statSync(`${file}-wal`).size });
  return { snapshot };
};

const rowsOf = (stores: Stores, table: 'rate_limit' | 'sign_in_attempt' | 'audit_event') => stores.identifiable.selectFrom(table).selectAll().execute();

describe('requests over a limit write nothing (SQLite files)', () => {
  it('200 made-up invitation links from one address over its limit: no commit, the WAL does not grow; another address is still counted', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const app = createApp({ stores, key: randomBytes(32), logError: () => {} });
    const guess = async (address: string) => (await app.request(`/i/${randomToken()}`, {}, socketEnv(address))).headers.get('location');
    for (let i = 0; i < 20; i++) expect(await guess('203.0.113.7')).toBe('/i/problem/not-valid');
    const { snapshot } = watch(dir);
    const before = snapshot();
    const rows = await rowsOf(stores, 'rate_limit');
    for (let i = 0; i < 200; i++) expect(await guess('203.0.113.7')).toBe('/i/problem/too-many');
    expect(snapshot()).toEqual(before);
    expect(await rowsOf(stores, 'rate_limit')).toEqual(rows);
    // A request under the limit is counted: a commit, and a row.
    expect(await guess('198.51.100.9')).toBe('/i/problem/not-valid');
    expect(snapshot().version).not.toBe(before.version);
    expect((await rowsOf(stores, 'rate_limit')).length).toBe(rows.length + 1);
  });

  it('50 sign-ins made to wait, and 50 over the address limit: no commit, no row, no audit event', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const t = staffApp(stores);
    await addStaff(stores, 'ann@example.org');
    for (let i = 0; i < 5; i++) expect((await t.signIn(new CookieJar(), 'ann@example.org', `guess ${i}`, { address: '203.0.113.7' })).status).toBe(400);
    // 20 failures from one address (over other emails, each free) close it to attempts without a device cookie.
    for (let i = 0; i < 20; i++) expect((await t.signIn(new CookieJar(), `user${i}@example.org`, 'a guess', { address: '192.0.2.1' })).status).toBe(400);

    const { snapshot } = watch(dir);
    const before = snapshot();
    const tables = {
      limits: await rowsOf(stores, 'rate_limit'),
      attempts: await rowsOf(stores, 'sign_in_attempt'),
      audit: await rowsOf(stores, 'audit_event'),
    };
    // Each is the sign-in page shown, then sent: neither writes.
    for (let i = 0; i < 50; i++) expect((await t.signIn(new CookieJar(), 'ann@example.org', PASSWORD, { address: '203.0.113.7' })).status).toBe(429);
    for (let i = 0; i < 50; i++) expect((await t.signIn(new CookieJar(), `other${i}@example.org`, 'a guess', { address: '192.0.2.1' })).status).toBe(429);
    expect(snapshot()).toEqual(before);
    expect({
      limits: await rowsOf(stores, 'rate_limit'),
      attempts: await rowsOf(stores, 'sign_in_attempt'),
      audit: await rowsOf(stores, 'audit_event'),
    }).toEqual(tables);

    // An attempt that is checked is counted and audited.
    t.clock.now = T0 + 60_000;
    expect((await t.signIn(new CookieJar(), 'ann@example.org', 'one more guess', { address: '203.0.113.7' })).status).toBe(400);
    expect(snapshot().version).not.toBe(before.version);
    expect((await rowsOf(stores, 'audit_event')).length).toBe(tables.audit.length + 1);
  });
});
