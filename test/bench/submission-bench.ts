import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createApp } from '../../server/app/app.js';
import { loadServerKey } from '../../server/security/server-key.js';
import { issueInvitation } from '../../server/storage/invitation-store.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { openStores } from '../../server/storage/open-stores.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import { findStoredWave } from '../../server/storage/wave-store.js';
import { definitionOfWave, storedAnswers } from '../../survey-definitions/index.js';
import { syntheticAnswers } from './synthetic-answers.js';
import { startCluster, type Cluster } from '../support/postgres-cluster.js';
import { freePort, startServerProcess } from '../support/server-process.js';
import { met, times } from './bench-goals.js';
import { CookieJar, councilCodes, csrfOf, formBody, pageItems, randomCells, sectionsOf, seededRandom } from '../server/respondent-helpers.js';

/**
 * Durable submissions against the same server's cheapest answers, at 50 connections over loopback:
 * - bare GET: the start page, no database;
 * - validate only: a part-two page posted with one answer refused, so it is checked and re-rendered
 *   but nothing is written;
 * - durable save: the same page posted valid, acknowledged (303) only after its transaction committed
 *   with synchronous=FULL (fsync) and the anonymous store's intake was rewritten to hide the order of
 *   arrival; then again after 100,000 answers of a closed wave were added to the store's archive.
 * The server is the real one (`server/main.ts`) in its own process; autocannon drives it.
 */

const WAVE = '2020-06';

/** What @hono/node-server's getConnInfo reads: the socket's remote address. */
const socketEnv = (address: string) => ({ incoming: { socket: { remoteAddress: address, remotePort: 50_000, remoteFamily: 'IPv4' } } });

/** PostgreSQL instead of SQLite: the two databases. */
export interface Databases {
  readonly databaseUrl: string;
  readonly anonymousDatabaseUrl: string;
}

export interface Session {
  readonly cookie: string;
  readonly valid: string;
  readonly invalid: string;
}

/**
 * Every council through part one to a part-two page (the first, or `section`), in-process on the data
 * directory the server will use; with `saveDraft`, each saves that page once, so it comes back filled in.
 */
export const prepare = async (
  dataDir: string,
  councils: number,
  { section, saveDraft = false, databases }: { section?: string; saveDraft?: boolean; databases?: Databases } = {},
): Promise<{ sessions: Session[]; path: string }> => {
  const stores = await openStores({ dataDir, databaseUrl: databases?.databaseUrl, anonymousDatabaseUrl: databases?.anonymousDatabaseUrl });
  const key = loadServerKey(dataDir);
  const app = createApp({ stores, key, logError: () => {} });
  const codes = councilCodes.slice(0, councils);
  await replaceRoster(
    stores.identifiable,
    WAVE,
    codes.map((code) => ({ localAuthority: code, name: `CSWO ${code}`, email: `cswo@${code.replace(/_/g, '')}.gov.uk` })),
  );
  await setWaveStatus(stores.identifiable, WAVE, 'open');
  // Each council from its own address, as in life: the invitation links are rate-limited per address.
  const send = async (jar: CookieJar, method: 'GET' | 'POST', path: string, form?: Record<string, string>, address = '127.0.0.1') => {
    const response = await app.request(
      path,
      {
        method,
        headers: { ...(jar.header(path) ? { cookie: jar.header(path)! } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(form ? { body: formBody(form) } : {}),
      },
      socketEnv(address),
    );
    jar.store(response.headers.getSetCookie(), path);
    return { status: response.status, html: await response.text() };
  };
  const partTwo = section === undefined ? sectionsOf('anonymous')[0]! : sectionsOf('anonymous').find((s) => s.id === section);
  if (!partTwo) throw new Error(`part two has no section ${section}`);
  const refusable = pageItems(partTwo).find((item) => 'options' in item);
  const path = `/part-two/${partTwo.id}`;
  const sessions: Session[] = [];
  for (const [i, code] of codes.entries()) {
    const random = seededRandom(i + 1);
    const jar = new CookieJar();
    await send(jar, 'GET', `/i/${await issueInvitation(stores.identifiable, WAVE, code)}`, undefined, `10.0.0.${i + 1}`);
    for (const section of sectionsOf('identifiable')) {
      const page = await send(jar, 'GET', `/survey/part-one/${section.id}`);
      if (page.status !== 200) throw new Error(`part one page ${section.id} of ${code}: ${page.status} ${page.html.slice(0, 400)}`);
      const cells = randomCells(pageItems(section), random);
      if (section.id === 'about_you') Object.assign(cells, { name: `CSWO ${code}`, email: `cswo@${code.replace(/_/g, '')}.gov.uk` });
      await send(jar, 'POST', `/survey/part-one/${section.id}`, { _csrf: csrfOf(page.html), ...cells });
    }
    const check = await send(jar, 'GET', '/survey/part-one/check');
    const submitted = await send(jar, 'POST', '/survey/part-one/submit', { _csrf: csrfOf(check.html) });
    if (submitted.status !== 303) throw new Error(`part one of ${code} was not submitted (${submitted.status})`);
    // Submitting part one gave this browser its part-two pass.
    const page = await send(jar, 'GET', path);
    if (page.status !== 200) throw new Error(`no part-two page for ${code} (${page.status})`);
    const cells = randomCells(pageItems(partTwo), random);
    const fields = { _csrf: csrfOf(page.html), ...cells };
    // A code no list holds: an item with options, or else the page's first cell (a grid's first row's rating).
    const refused = refusable?.id ?? Object.keys(cells)[0]!;
    if (saveDraft) {
      const saved = await send(jar, 'POST', path, fields);
      if (saved.status !== 303) throw new Error(`the draft of ${code} was not saved (${saved.status} ${saved.html.slice(0, 400)})`);
    }
    sessions.push({
      cookie: jar.header(path)!,
      valid: formBody(fields),
      invalid: formBody({ ...fields, [refused]: 'not-a-code' }),
    });
  }
  await stores.close();
  return { sessions, path };
};

export interface Load {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: (s: Session) => string;
  /** A GET as one of the respondents (their session cookie), rather than as a stranger. */
  readonly asRespondent?: boolean;
  /** Sent as a browser sends it, so that a page is compressed as a browser would get it. */
  readonly acceptEncoding?: string;
  readonly expect: '2xx' | '3xx' | '4xx';
}

/** As fast as it answers, 50 connections each sending its next request once the last is answered; `drivePaced` offers a rate. */
export const drive = async (url: string, sessions: readonly Session[], load: Load, seconds: number) => {
  let next = 0;
  const result = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: load.method,
        path: load.path,
        setupRequest: (request) => {
          const session = sessions[next++ % sessions.length]!;
          const encoding = load.acceptEncoding ? { 'accept-encoding': load.acceptEncoding } : {};
          if (load.body)
            return {
              ...request,
              headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', ...encoding },
              body: load.body(session),
            };
          return load.asRespondent ? { ...request, headers: { cookie: session.cookie, ...encoding } } : { ...request, headers: encoding };
        },
      },
    ],
  });
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  const expected = result[load.expect];
  return {
    name: load.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: total - expected + result.errors + result.timeouts,
  };
};

/**
 * `load` offered at a steady `rate` (requests per second) over 50 kept-alive connections, for the latency
 * goals. Not autocannon's `overallRate`: it lets each connection send its second's quota back to back and
 * then wait for the next second, so the load comes in bursts at full concurrency, and it corrects for
 * coordinated omission with an expected interval of 1 ms (it passes 1/rate, in seconds, as milliseconds),
 * which counts a response of L ms L times over. Here request i is due at start + i/rate, whether or not
 * the ones before it were answered, and its latency is counted from when it was due: a slow answer that
 * keeps later requests waiting for a connection is charged to them too, so the figure is honest about
 * coordinated omission.
 */
export const drivePaced = async (url: string, sessions: readonly Session[], load: Load, seconds: number, rate: number) => {
  const target = new URL(load.path, url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const latencies: number[] = [];
  let unexpected = 0;
  let inFlight = 0;
  let sent = 0;
  const due: number[] = [];
  const expected = { '2xx': 2, '3xx': 3, '4xx': 4 }[load.expect];
  const start = performance.now();
  const end = start + seconds * 1000;
  const send = (dueAt: number) => {
    const session = sessions[sent++ % sessions.length]!;
    const body = load.body?.(session);
    const headers: http.OutgoingHttpHeaders = {
      ...(load.body || load.asRespondent ? { cookie: session.cookie } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }),
      ...(load.acceptEncoding ? { 'accept-encoding': load.acceptEncoding } : {}),
    };
    inFlight++;
    const request = http.request(target, { method: load.method, agent, headers }, (response) => {
      response.resume();
      response.on('end', () => {
        latencies.push(performance.now() - dueAt);
        if (Math.floor((response.statusCode ?? 0) / 100) !== expected) unexpected++;
        inFlight--;
        pump();
      });
    });
    request.on('error', () => {
      unexpected++;
      inFlight--;
      pump();
    });
    request.end(body);
  };
  let issued = 0;
  // Requests falling due are queued here; at most 50 are in flight, as with autocannon's connections.
  const pump = () => {
    const now = performance.now();
    while (now < end && start + (issued * 1000) / rate <= now) due.push(start + (issued++ * 1000) / rate);
    while (due.length > 0 && inFlight < 50) send(due.shift()!);
  };
  await new Promise<void>((done) => {
    const tick = setInterval(() => {
      pump();
      if (performance.now() >= end && due.length === 0 && inFlight === 0) {
        clearInterval(tick);
        done();
      }
    }, 1);
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { name: load.name, rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), unexpected };
};

/**
 * Stores `count` part-two answers of an earlier, closed wave (2020-01), as years of waves would leave
 * them: in the archive, where a respondent's save must not have to rewrite them.
 */
const storeEarlierAnswers = async (dataDir: string, count: number) => {
  const stores = await openStores({ dataDir, databaseUrl: undefined, anonymousDatabaseUrl: undefined });
  try {
    const earlier = '2020-01';
    await setWaveStatus(stores.identifiable, earlier, 'closed');
    const definition = definitionOfWave((await findStoredWave(stores.identifiable, earlier))!);
    for (let done = 0; done < count; done += 5_000) {
      const batch = syntheticAnswers(definition, 'anonymous', Math.min(5_000, count - done), done + 1);
      await stores.anonymous.transaction().execute((trx) => insertPartTwoResponses(trx, earlier, batch, 'archive', storedAnswers(definition, 'anonymous')));
    }
    await scrubArrivalOrder(stores.anonymous, 'whole');
  } finally {
    await stores.close();
  }
};

/**
 * The same validate-only and durable-save loads (flat out, and offered at 70 % of the validate-only rate)
 * with both stores on PostgreSQL: a throwaway cluster
 * (initdb, fsync on), as the conformance suite starts; skipped, saying so, where PostgreSQL is not installed.
 */
const postgresFigures = async (councils: number, seconds: number): Promise<string[]> => {
  let cluster: Cluster;
  try {
    cluster = await startCluster();
  } catch (error) {
    return [`PostgreSQL: not measured (${(error as Error).message.split('\n')[0]}).`];
  }
  const dir = mkdtempSync(join(tmpdir(), 'cswo-bench-pg-'));
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      for (const name of ['bench_identifiable', 'bench_anonymous']) await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    const urlOf = (name: string) => Object.assign(new URL(cluster.url), { pathname: `/${name}` }).toString();
    const databases = { databaseUrl: urlOf('bench_identifiable'), anonymousDatabaseUrl: urlOf('bench_anonymous') };
    const dataDir = join(dir, 'data');
    const { sessions, path } = await prepare(dataDir, councils, { databases });
    const server = await startServerProcess(dataDir, await freePort(), { databases });
    const rows: Awaited<ReturnType<typeof drive>>[] = [];
    const loads = [
      { name: 'validate only (refused, nothing written)', method: 'POST', path, body: (s: Session) => s.invalid, expect: '4xx' },
      { name: 'durable save (commit, intake rewritten)', method: 'POST', path, body: (s: Session) => s.valid, expect: '3xx' },
    ] as const;
    try {
      for (const load of loads) rows.push(await drive(server.url, sessions, load, seconds));
      const atRate = 0.7 * rows[0]!.rps;
      rows.push({
        ...(await drivePaced(server.url, sessions, loads[1], seconds, atRate)),
        name: `durable save, offered at 70 % of the validate-only rate (${atRate.toFixed(0)}/s)`,
      });
    } finally {
      await server.kill('SIGTERM');
    }
    const [ceiling, save, paced] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    const row = (r: (typeof rows)[0], goal: string, verdict: string) =>
      `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.rps / ceiling.rps).toFixed(2)} | ${goal} | ${verdict} | ${r.unexpected} |`;
    return [
      `The same on PostgreSQL (a local cluster started for the run, fsync on, both stores in it as two databases); its goals are the same as SQLite's.`,
      '',
      '| request (PostgreSQL) | requests/s | p50 (ms) | p99 (ms) | ratio to validate-only | goal | met | unexpected responses |',
      '|---|---:|---:|---:|---:|---|---|---:|',
      row(ceiling, '—', '—'),
      row(save, '≥ 0.90× validate-only', met(save.rps / ceiling.rps >= 0.9)),
      row(paced, 'p99 ≤ 25 ms', met(paced.p99 <= 25)),
    ];
  } finally {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * Both halves, SQLite then PostgreSQL; `only` (from BENCH_SUBMISSIONS=sqlite or postgres) runs one of them,
 * for a shorter look at one dialect.
 */
export const runSubmissionBench = async ({
  seconds = 10,
  councils = 32,
  storedBefore = 100_000,
  only = process.env.BENCH_SUBMISSIONS as 'sqlite' | 'postgres' | undefined,
} = {}): Promise<string[]> => {
  if (only !== undefined && only !== 'sqlite' && only !== 'postgres') throw new Error(`BENCH_SUBMISSIONS is ${String(only)}: expected sqlite or postgres`);
  if (only === 'postgres') return postgresFigures(councils, seconds);
  const dir = mkdtempSync(join(tmpdir(), 'cswo-bench-'));
  const dataDir = join(dir, 'data');
  try {
    const { sessions, path } = await prepare(dataDir, councils);
    const loads: Load[] = [
      { name: 'bare GET /', method: 'GET', path: '/', expect: '2xx' },
      { name: 'validate only (refused, nothing written)', method: 'POST', path, body: (s) => s.invalid, expect: '4xx' },
      { name: 'durable save (fsync, arrival order scrubbed)', method: 'POST', path, body: (s) => s.valid, expect: '3xx' },
    ];
    const rows = [];
    let server = await startServerProcess(dataDir, await freePort());
    try {
      for (const load of loads) rows.push(await drive(server.url, sessions, load, seconds));
      // The latency goal is judged below saturation: saves offered at 70 % of the rate validation alone reaches.
      const atRate = 0.7 * rows[1]!.rps;
      const paced = await drivePaced(server.url, sessions, loads[2]!, seconds, atRate);
      rows.push({ ...paced, name: `durable save, offered at 70 % of the validate-only rate (${atRate.toFixed(0)}/s)` });
    } finally {
      await server.kill('SIGTERM');
    }
    // The same saves again, the store now holding an earlier wave's answers.
    await storeEarlierAnswers(dataDir, storedBefore);
    server = await startServerProcess(dataDir, await freePort());
    try {
      const save = await drive(server.url, sessions, loads[2]!, seconds);
      rows.push({ ...save, name: `durable save, ${storedBefore.toLocaleString('en-GB')} earlier part-two answers stored` });
    } finally {
      await server.kill('SIGTERM');
    }
    const [bare, ceiling, save, paced, saveBeside] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    // The ceiling is judged against the home page; the saves against the ceiling, at their p99 too; the
    // saves beside a full store against the saves beside an empty one.
    const goals = [
      { goal: '—', met: '—' },
      { goal: `≥ 0.40× bare GET (is ${times(ceiling.rps / bare.rps)})`, met: met(ceiling.rps / bare.rps >= 0.4) },
      { goal: '≥ 0.90× validate-only', met: met(save.rps / ceiling.rps >= 0.9) },
      { goal: 'p99 ≤ 25 ms', met: met(paced.p99 <= 25) },
      {
        goal: `the same rate as with none stored, ≥ 0.90× (is ${times(saveBeside.rps / save.rps)})`,
        met: met(saveBeside.rps / save.rps >= 0.9),
      },
    ];
    return [
      `50 connections, ${seconds} s each, ${sessions.length} respondents' part-two pages, SQLite. The last row: the server restarted ` +
        `after ${storedBefore.toLocaleString('en-GB')} part-two answers of a closed wave were added to the store.`,
      '',
      '| request | requests/s | p50 (ms) | p99 (ms) | ratio to validate-only | goal | met | unexpected responses |',
      '|---|---:|---:|---:|---:|---|---|---:|',
      ...rows.map(
        (r, i) =>
          `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.rps / ceiling.rps).toFixed(2)} | ${goals[i]!.goal} | ${goals[i]!.met} | ${r.unexpected} |`,
      ),
      '',
      ...(only === 'sqlite' ? [] : await postgresFigures(councils, seconds)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
