import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app/app.js';
import { readConfig } from '../../server/app/config.js';
import { countHit } from '../../server/storage/rate-limit-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';
import { socketEnv } from './staff-web-helpers.js';

/**
 * Rate limits kept in the database: two servers over the same stores share one count per client, a
 * restart does not reset it, and no address is stored, only a keyed hash of it.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const ADDRESS = '203.0.113.7';

describe('rate limits shared by every server', () => {
  it('counts invitation-link guesses across two server processes on the same stores, and not the address itself', async () => {
    const dir = tempDir();
    // Two servers: two connections (pools) to the same stores, one key, as in a deployment.
    const key = randomBytes(32);
    const one = createApp({ stores: await opener.openIn(dir), key, logError: () => {} });
    const other = await opener.openIn(dir);
    const two = createApp({ stores: other, key, logError: () => {} });
    const guess = async (app: ReturnType<typeof createApp>, address = ADDRESS) =>
      (await app.request(`/i/${'x'.repeat(43)}`, {}, socketEnv(address))).headers.get('location');
    for (let i = 0; i < 10; i++) expect(await guess(one)).toBe('/i/problem/not-valid');
    for (let i = 0; i < 10; i++) expect(await guess(two)).toBe('/i/problem/not-valid');
    expect(await guess(one)).toBe('/i/problem/too-many');
    expect(await guess(two)).toBe('/i/problem/too-many');
    // Another client is counted apart.
    expect(await guess(two, '198.51.100.9')).toBe('/i/problem/not-valid');
    // A restarted server (a new app on new connections) still refuses.
    const restarted = createApp({ stores: await opener.openIn(dir), key, logError: () => {} });
    expect(await guess(restarted)).toBe('/i/problem/too-many');

    const rows = await other.identifiable.selectFrom('rate_limit').selectAll().execute();
    // Refused requests are not counted: the row stays at the limit.
    expect(rows.map((r) => [r.name, r.hits])).toEqual(
      expect.arrayContaining([
        ['invitation-link', 20],
        ['invitation-link', 1],
      ]),
    );
    expect(JSON.stringify(rows)).not.toContain(ADDRESS);
    expect(JSON.stringify(rows)).not.toContain('198.51.100.9');
  });
});

describe('the count in the store', () => {
  it('refuses a client at the limit by a read alone: nothing is counted, and no expired row is removed on the way', async () => {
    const stores = await opener.openIn(tempDir());
    const db = stores.identifiable;
    const T0 = Date.UTC(2026, 0, 12, 9, 0, 0);
    const limit = { name: 'test', windowMs: 10 * 60_000, limit: 3 };
    const rows = () => db.selectFrom('rate_limit').selectAll().orderBy('client').execute();
    await countHit(db, { ...limit, client: 'earlier', now: T0 });
    for (let i = 1; i <= 3; i++) expect(await countHit(db, { ...limit, client: 'busy', now: T0 + i })).toEqual({ hits: i, windowStart: T0 + 1, counted: true });
    // Ten minutes on, the earlier client's window has passed; the busy one's has 3 ms left.
    const later = T0 + limit.windowMs;
    const before = await rows();
    expect(before.map((r) => [r.client, r.hits])).toEqual([
      ['busy', 3],
      ['earlier', 1],
    ]);
    for (let i = 0; i < 5; i++) expect(await countHit(db, { ...limit, client: 'busy', now: later })).toEqual({ hits: 4, windowStart: T0 + 1, counted: false });
    expect(await rows()).toEqual(before);
    // A request under the limit is counted, and clears the rows of windows past.
    expect(await countHit(db, { ...limit, client: 'new', now: later })).toEqual({ hits: 1, windowStart: later, counted: true });
    expect((await rows()).map((r) => [r.client, r.hits])).toEqual([
      ['busy', 3],
      ['new', 1],
    ]);
    // Once its window has passed, the busy client starts again at 1.
    expect(await countHit(db, { ...limit, client: 'busy', now: T0 + 1 + limit.windowMs })).toEqual({
      hits: 1,
      windowStart: T0 + 1 + limit.windowMs,
      counted: true,
    });
  });
});

describe('behind a reverse proxy (TRUSTED_PROXIES)', () => {
  const PROXY = '10.0.0.1';
  const guess = async (app: ReturnType<typeof createApp>, forwardedFor?: string) =>
    (await app.request(`/i/${'y'.repeat(43)}`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }, socketEnv(PROXY))).headers.get('location');

  it('counts each client behind a trusted proxy apart, by the rightmost address the proxy added', async () => {
    const app = createApp({ stores: await opener.openIn(tempDir()), key: randomBytes(32), logError: () => {}, trustedProxies: [PROXY] });
    for (let i = 0; i < 20; i++) expect(await guess(app, '203.0.113.7')).toBe('/i/problem/not-valid');
    expect(await guess(app, '203.0.113.7')).toBe('/i/problem/too-many');
    // Another respondent behind the same proxy is not refused for the first one's guesses.
    expect(await guess(app, '198.51.100.9')).toBe('/i/problem/not-valid');
    // A client cannot escape its count by adding addresses of its own to the left.
    expect(await guess(app, '192.0.2.55, 203.0.113.7')).toBe('/i/problem/too-many');
  });

  it('ignores X-Forwarded-For from anyone not named as a proxy', async () => {
    const app = createApp({ stores: await opener.openIn(tempDir()), key: randomBytes(32), logError: () => {} });
    for (let i = 0; i < 20; i++) expect(await guess(app, `203.0.113.${i}`)).toBe('/i/problem/not-valid');
    // Every forged address counts against the socket's own.
    expect(await guess(app, '198.51.100.9')).toBe('/i/problem/too-many');
  });

  it('refuses a setting that is not a list of IP addresses, naming it', () => {
    expect(() => readConfig({ TRUSTED_PROXIES: '10.0.0.1, proxy.example' })).toThrow(
      'TRUSTED_PROXIES: expected IP addresses separated by commas, not proxy.example',
    );
    expect(readConfig({ TRUSTED_PROXIES: '10.0.0.1, ::1' }).TRUSTED_PROXIES).toEqual(['10.0.0.1', '::1']);
  });
});
