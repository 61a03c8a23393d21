import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
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
    expect(rows.map((r) => [r.name, r.hits])).toEqual(expect.arrayContaining([['invitation-link', 23], ['invitation-link', 1]]));
    expect(JSON.stringify(rows)).not.toContain(ADDRESS);
    expect(JSON.stringify(rows)).not.toContain('198.51.100.9');
  });
});
