import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { definitionOfWave, findBundledWave, storedAnswers } from '../../survey-definitions/index.js';
import { createApp } from '../../server/app/app.js';
import { hashPassword } from '../../server/security/passwords.js';
import { seedBundledData } from '../../server/csv/bundled-data.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { openStores } from '../../server/storage/open-stores.js';
import { setWaveStatus } from '../../server/storage/roster-store.js';
import { insertStaffUser } from '../../server/storage/staff-user-store.js';
import { syntheticAnswers } from './synthetic-answers.js';

/**
 * An analyst's dashboard of a closed wave, at its largest section page (nine tables and charts): the first
 * request computes every table and draws the section's charts; later ones come from the cache
 * (closed-wave-cache.ts) after reading each store's generation.
 * Reference: the signed-in staff home page, the same middleware with no analysis.
 */
const WAVE = '2020-06';
const PASSWORD = 'a long benchmark passphrase';

const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

export const runDashboardBench = async (sizes = [10_000, 100_000]): Promise<string[]> => {
  const lines = [
    'Issue 16 sets no goal for the dashboard: these figures are for comparison between runs.',
    '',
    '| part-two responses | first view: tables and charts computed (ms) | cached view (ms, mean of 10) | staff home page (ms, mean of 10) | first / cached |',
    '|---:|---:|---:|---:|---:|',
  ];
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'cswo-dashboard-bench-'));
    try {
      const stores = await openStores({ dataDir: join(dir, 'data'), databaseUrl: undefined, anonymousDatabaseUrl: undefined });
      await seedBundledData(stores);
      const definition = definitionOfWave(findBundledWave(WAVE)!);
      const answers = syntheticAnswers(definition, 'anonymous', size, 11);
      // Kept as the platform keeps them (by position).
      const stored = storedAnswers(definition, 'anonymous');
      for (let i = 0; i < answers.length; i += 10_000) await insertPartTwoResponses(stores.anonymous, WAVE, answers.slice(i, i + 10_000), 'archive', stored);
      await scrubArrivalOrder(stores.anonymous);
      await setWaveStatus(stores.identifiable, WAVE, 'closed');
      await insertStaffUser(stores.identifiable, { email: 'analyst@example.org', role: 'analyst', passwordHash: await hashPassword(PASSWORD) });
      const app = createApp({ stores, key: Buffer.alloc(32, 7), logError: (m) => process.stderr.write(`${m}\n`) });
      const form = await app.request('/staff/sign-in');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const signedIn = await app.request('/staff/sign-in', {
        method: 'POST',
        headers: { cookie: cookieOf(form), 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
        body: new URLSearchParams({ _csrf: csrf, email: 'analyst@example.org', password: PASSWORD }).toString(),
      });
      const cookie = cookieOf(signedIn);
      const time = async (path: string) => {
        const start = performance.now();
        const response = await app.request(path, { headers: { cookie } });
        await response.text();
        if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
        return performance.now() - start;
      };
      const mean = async (path: string, n: number) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await time(path);
        return sum / n;
      };
      const page = `/staff/dashboards/${WAVE}/sections/pressures`;
      const first = await time(page);
      const cached = await mean(page, 10);
      const home = await mean('/staff', 10);
      lines.push(`| ${size.toLocaleString('en-GB')} | ${first.toFixed(0)} | ${cached.toFixed(1)} | ${home.toFixed(1)} | ${(first / cached).toFixed(0)} |`);
      await stores.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
};
