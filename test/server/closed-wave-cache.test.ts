import { afterEach, describe, expect, it } from 'vitest';
import { closedWaveCache } from '../../server/dashboards/closed-wave-cache.js';
import { seedBundledData } from '../../server/csv/bundled-data.js';
import { deletePartTwoWave, insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import { insertPartOneResponses } from '../../server/storage/part-one-store.js';
import { setWaveStatus } from '../../server/storage/roster-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_1, WAVE_2 } from './helpers.js';
import { staffApp } from './staff-web-helpers.js';

/** The cache of closed waves' results: reused while the data are unchanged, recomputed the moment they change. */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const counting = () => {
  let calls = 0;
  return { compute: async () => ++calls, calls: () => calls };
};

describe('closedWaveCache', () => {
  it('never caches an open wave or one never opened', async () => {
    const stores = await opener.openIn(tempDir());
    const cache = closedWaveCache(stores);
    const c = counting();
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(1);
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(2);
    await setWaveStatus(stores.identifiable, WAVE_2, 'open');
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(3);
    expect(cache.stats.entries()).toBe(0);
  });

  it("reuses a closed wave's result until an answer is written to either store, by any connection", async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await setWaveStatus(stores.identifiable, WAVE_2, 'closed');
    const cache = closedWaveCache(stores);
    const c = counting();
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(1);
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(1);
    // Another process (the command line importing into the closed wave): its own connection.
    const other = await opener.openIn(dir);
    await insertPartTwoResponses(other.anonymous, WAVE_2, [{ admin_support: 'dedicated' }]);
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(2);
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(2);
    await insertPartOneResponses(other.identifiable, WAVE_2, [{ localAuthority: 'fife', answers: { local_authority: 'fife' } }]);
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(3);
    await deletePartTwoWave(other.anonymous, WAVE_2);
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(4);
    // Another wave's data leave it alone; a comparison depends on both.
    await setWaveStatus(stores.identifiable, WAVE_1, 'closed');
    await insertPartTwoResponses(other.anonymous, WAVE_1, [{ admin_support: 'none' }]);
    expect(await cache.get([WAVE_2], 'k', c.compute)).toBe(4);
    expect(await cache.get([WAVE_2, WAVE_1], 'both', c.compute)).toBe(5);
    await insertPartTwoResponses(other.anonymous, WAVE_1, [{ admin_support: 'none' }]);
    expect(await cache.get([WAVE_2, WAVE_1], 'both', c.compute)).toBe(6);
    expect(cache.stats).toMatchObject({ hits: 3 });
  });

  it('keeps the most recently used entries up to its size', async () => {
    const stores = await opener.openIn(tempDir());
    await setWaveStatus(stores.identifiable, WAVE_2, 'closed');
    const cache = closedWaveCache(stores, { size: 2 });
    const c = counting();
    await cache.get([WAVE_2], 'a', c.compute);
    await cache.get([WAVE_2], 'b', c.compute);
    await cache.get([WAVE_2], 'a', c.compute);
    await cache.get([WAVE_2], 'c', c.compute);
    expect(cache.stats.entries()).toBe(2);
    expect(await cache.get([WAVE_2], 'a', c.compute)).toBe(1);
    expect(await cache.get([WAVE_2], 'b', c.compute)).toBe(4);
  });
});

describe('the dashboard of a closed wave', () => {
  it('shows new answers as soon as they are stored, cache or not', async () => {
    const stores = await opener.openIn(tempDir());
    await seedBundledData(stores);
    await setWaveStatus(stores.identifiable, WAVE_2, 'closed');
    const t = staffApp(stores);
    const { jar } = await t.signedIn('analyst');
    const page = async (path = '') =>
      (await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}${path}`)).html
        .replace(/<!--[^]*?-->/g, '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');
    const responses = async () =>
      /Responses: (\d+) to part one and (\d+) to part two/
        .exec(await page())!
        .slice(1)
        .map(Number);
    // The table is on its section's page, which the same cache serves.
    const n = async () => Number(/Administrative support \(n=(\d+)\)/.exec(await page('/sections/pressures'))![1]);
    expect(await responses()).toEqual([21, 21]);
    const before = await n();
    expect(await n()).toBe(before);
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ admin_support: 'dedicated' }]);
    expect(await responses()).toEqual([21, 22]);
    expect(await n()).toBe(before + 1);
  });
});
