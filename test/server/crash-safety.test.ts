import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { loopbackAddress } from '../support/loopback-client.js';
import { useTempDirs } from '../support/temp-dir.js';
import { runJourney, type Respondent, type ServerGate } from './crash/crash-journey.js';
import { crashProblems, inspectStores } from './crash/store-inspection.js';
import { cli, toCsv } from './helpers.js';
import { councilCodes, seededRandom } from './respondent-helpers.js';

/**
 * Crash safety (issue 6): the real server in a child process takes concurrent submissions over
 * loopback and is killed with SIGKILL at random moments, then restarted on the same data directory.
 * After every kill, before the restart, the files are read: both pass `PRAGMA integrity_check`, every
 * submission acknowledged so far is stored exactly once, nothing is stored twice or half-written.
 *
 * Bounded for `npm test` (about 25 s); a longer run sets the environment:
 *   CRASH_SEED=123 CRASH_WAVES=6 CRASH_KILLS=60 npx vitest run test/server/crash-safety.test.ts
 * The seed chooses the answers and the moments of the kills (the scheduler adds its own jitter).
 */

const tempDir = useTempDirs();
const envNumber = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

const seed = envNumber('CRASH_SEED', randomBytes(4).readUInt32LE(0) >>> 1);
const waves = envNumber('CRASH_WAVES', 2);
const maxKills = envNumber('CRASH_KILLS', 12);
const concurrency = envNumber('CRASH_CONCURRENCY', 16);
/** A longer run needs longer: about a second per kill (the restart) and half a second per respondent. */
const timeoutMs = 60_000 + maxKills * 2_000 + waves * 32 * 1_000;

/** The wave ids, the roster of each, and an invitation secret per council, made with the CLI as an admin would. */
const prepare = async (cwd: string, dataDir: string) => {
  const respondents: Respondent[] = [];
  for (let w = 0; w < waves; w++) {
    const wave = `crash-${w + 1}`;
    const run = async (argv: string[]) => {
      const result = await cli(cwd, argv);
      if (result.code !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    await run(['wave', 'create', '--data', dataDir, '--wave', wave, '--name', `Crash ${w + 1}`, '--fielded', 'now', '--definition', 'cswo-annual@2']);
    const roster = join(cwd, `${wave}.csv`);
    writeFileSync(
      roster,
      toCsv([['local_authority', 'name', 'email'], ...councilCodes.map((c) => [c, `Officer ${c}`, `cswo@${c.replaceAll('_', '-')}.gov.uk`])]),
    );
    await run(['roster', 'import', '--data', dataDir, '--wave', wave, roster]);
    for (const line of (await run(['invite', '--data', dataDir, '--wave', wave])).trim().split('\n')) {
      const [council, , , url] = line.split('\t');
      const index = respondents.length;
      respondents.push({
        index,
        wave,
        council: council!,
        secret: url!.slice(url!.lastIndexOf('/') + 1),
        markers: { partOne: `part-one-marker-${index}`, partTwo: `part-two-marker-${index}` },
        partOne: 'not-submitted',
        partTwo: 'not-submitted',
        partTwoAttempted: false,
        lost: 0,
      });
    }
  }
  return respondents;
};

/** Up and down: journeys wait on `live()` while the server is down. */
const serverGate = () => {
  let live: Promise<string> = new Promise(() => {});
  let open: (url: string) => void = () => {};
  const gate: ServerGate & { up(url: string): void; down(): void } = {
    live: () => live,
    up: (url) => open(url),
    down: () => {
      live = new Promise((resolve) => (open = resolve));
    },
  };
  gate.down();
  return gate;
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A snapshot of the respondents (what each knew at this moment). */
const snapshot = (respondents: readonly Respondent[]): Respondent[] => respondents.map((r) => ({ ...r }));

describe('crash safety: SIGKILL under concurrent submissions', () => {
  it(`every acknowledged submission survives, once; nothing half-written; integrity ok after every kill (seed ${seed})`, { timeout: timeoutMs }, async () => {
    console.log(`crash-safety: seed ${seed} (CRASH_SEED=${seed} repeats the choices), ${waves} waves, up to ${maxKills} kills, ${concurrency} browsers`);
    const random = seededRandom(seed);
    const cwd = tempDir();
    const dataDir = join(cwd, 'data');
    const respondents = await prepare(cwd, dataDir);
    const port = await freePort();
    const gate = serverGate();
    let server: ServerProcess = await startServerProcess(dataDir, port);
    gate.up(server.url);

    const afterKills: string[][] = [];
    let kills = 0;
    try {
      // Browsers take respondents from one queue, each from its own loopback address.
      const queue = random.shuffle(respondents);
      let finished = false;
      const browsers = Array.from({ length: concurrency }, async () => {
        for (let r = queue.shift(); r; r = queue.shift()) await runJourney(r, gate, loopbackAddress(r.index), seed + r.index);
      });
      const work = Promise.all(browsers).finally(() => (finished = true));
      work.catch(() => {});

      while (!finished && kills < maxKills) {
        await Promise.race([sleep(50 + random.int(400)), work.catch(() => {})]);
        if (finished) break;
        const known = snapshot(respondents);
        gate.down();
        expect(await server.kill('SIGKILL')).toBe('SIGKILL');
        kills++;
        afterKills.push(crashProblems(inspectStores(dataDir), known));
        server = await startServerProcess(dataDir, port);
        gate.up(server.url);
      }
      await work.catch((error: unknown) => {
        // The server's own words (it logs the method and route of an unexpected error) beside the journey's.
        throw new Error(`${error instanceof Error ? error.message : String(error)}\nserver: ${server.stderr()}`);
      });
    } finally {
      // One last kill with everything done (or a failed run's server: never left running), then the final state.
      if (server.child.exitCode === null && server.child.signalCode === null) await server.kill('SIGKILL');
    }
    const final = inspectStores(dataDir);

    const lost = respondents.reduce((n, r) => n + r.lost, 0);
    const tally = (outcome: string) => respondents.filter((r) => r.partOne === outcome).length + respondents.filter((r) => r.partTwo === outcome).length;
    console.log(
      `crash-safety: ${kills} kills, ${lost} requests without a response, ${tally('acknowledged')} parts acknowledged, ` +
        `${tally('stored-unacknowledged')} stored without an acknowledgement; stored: ${final.partOne.length} part one, ${final.partTwo.length} part two`,
    );
    afterKills.forEach((problems, i) => expect(problems, `after kill ${i + 1}`).toEqual([]));
    expect(crashProblems(final, respondents)).toEqual([]);
    // Every journey ran to the end, and the kills really did land in the middle of traffic.
    expect(respondents.every((r) => r.partOne !== 'not-submitted' && r.partTwo !== 'not-submitted')).toBe(true);
    expect(final.partOne).toHaveLength(respondents.length);
    expect(final.partTwo).toHaveLength(respondents.length);
    expect(kills).toBeGreaterThanOrEqual(Math.min(maxKills, 5));
    expect(lost).toBeGreaterThan(0);

    // Control: the checker does notice a part two stored twice, and a part one lost.
    // (in the intake, where the open wave's part two is)
    const anonymous = new Database(join(dataDir, 'anonymous-intake.db'));
    anonymous.exec(`insert into part_two_response (id, wave_id, answers) select '${'f'.repeat(32)}', wave_id, answers from part_two_response limit 1`);
    anonymous.close();
    const identifiable = new Database(join(dataDir, 'identifiable.db'));
    identifiable.prepare('delete from part_one_response where wave_id = ? and local_authority = ?').run(respondents[0]!.wave, respondents[0]!.council);
    identifiable.close();
    const planted = crashProblems(inspectStores(dataDir), respondents);
    expect(planted.some((p) => /part-two answer part-two-marker-\d+ stored 2 times/.test(p))).toBe(true);
    expect(planted.some((p) => p.includes(`part one of ${respondents[0]!.wave}/${respondents[0]!.council} was`))).toBe(true);
    expect(planted.some((p) => /spent credentials but/.test(p))).toBe(true);
  });
});
