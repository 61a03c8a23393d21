import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../server/cli/cli-io.js';
import { runCli } from '../../server/cli/cli-program.js';
import { startServer } from '../../server/app/serve.js';
import { listSnapshots } from '../../server/storage/anonymous-snapshot.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { isScrubDeferred, setScrubLog } from '../../server/storage/arrival-scrub.js';
import { openStores, storeFiles } from '../../server/storage/open-stores.js';
import { applyPragmas } from '../../server/storage/sqlite-pragmas.js';
import { LoopbackBrowser, loopbackAddress } from '../support/loopback-client.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, importText, parseCsv, storeOpener, toCsv, WAVE_2 } from './helpers.js';
import { councilCodes, csrfOf, pageItems, randomCells, sectionsOf, seededRandom } from './respondent-helpers.js';

/**
 * The arrival-order scrub beside other readers of anonymous.db (issue 11, item 3). A read transaction
 * in another connection stops a truncating checkpoint; before, the scrub ignored that (the WAL kept
 * part-two frames in commit order) and every save waited on the 5 s busy timeout. Now the scrub checks
 * the checkpoint, defers and retries in the background; the command-line readers read a private copy.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The WALs of both places of part two: the archive (anonymous.db) and the intake (anonymous-intake.db). */
const walSize = (dataDir: string) =>
  [storeFiles(dataDir).anonymous, storeFiles(dataDir).intake]
    .map((file) => `${file}-wal`)
    .reduce((total, wal) => total + (existsSync(wal) ? statSync(wal).size : 0), 0);
/**
 * A plain connection holding a read transaction on one place of the live anonymous store, as any reader
 * might: the archive (anonymous.db) unless the intake is named.
 */
const holdReader = (dataDir: string, place: 'anonymous' | 'intake' = 'anonymous') => {
  const reader = new Database(storeFiles(dataDir)[place], { readonly: true });
  reader.exec('begin');
  reader.prepare('select count(*) from part_two_response').get();
  return {
    end: () => {
      reader.exec('commit');
      reader.close();
    },
  };
};
const waitingLine = /the anonymous store \(anonymous\.db or anonymous-intake\.db, or its PostgreSQL database\): another connection is reading or writing it/;
const doneLine = /the anonymous store: the scrub that was waiting for another connection is done/;
const count = (text: string, pattern: RegExp) => [...text.matchAll(new RegExp(pattern.source, 'g'))].length;
const partTwoCsv = (n: number) => toCsv([['groups_involved', 'admin_support'], ...Array.from({ length: n }, (_, i) => [String(i % 400), 'shared'])]);

/** A CliIo whose standard output is `stdout`, with what goes to standard error readable at any moment. */
const ioWith = (cwd: string, stdout: Writable) => {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const io: CliIo = { stdout, stderr, stdin: Readable.from([]), cwd };
  return { io, stderr: () => err };
};

/** A standard output that takes its first chunk and then stops reading until released, like `export | less`. */
const pausedOutput = () => {
  const chunks: Buffer[] = [];
  let release!: () => void;
  const released = new Promise<void>((done) => (release = done));
  let started!: () => void;
  const first = new Promise<void>((done) => (started = done));
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      started();
      void released.then(() => callback());
    },
  });
  return { stream, first, release, text: () => Buffer.concat(chunks).toString('utf8') };
};

describe('the scrub beside a reader, in one process (real files)', () => {
  it(
    'defers at once when a raw reader blocks the checkpoint, logs once, and the background retry empties the WAL when the reader ends',
    { timeout: 25_000 },
    async () => {
      const stores = await opener.openIn(tempDir());
      const dataDir = stores.location;
      const log: string[] = [];
      setScrubLog(stores.anonymous, (m) => log.push(m));
      await importText(stores, { wave: WAVE_2, part: 'anonymous' }, partTwoCsv(6000));
      expect(walSize(dataDir)).toBe(0);
      // A busy timeout longer than this test's own timeout on the store's connection: an attempt that
      // waited on it would block the process past the test's timeout, so this test fails rather than
      // passing slowly (no clock is read).
      await sql`pragma busy_timeout = 40000`.execute(stores.anonymous);

      const reader = holdReader(dataDir);
      let ended = false;
      try {
        await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: 900 }]);
        expect(await scrubArrivalOrder(stores.anonymous)).toBe('deferred');
        await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: 901 }]);
        expect(await scrubArrivalOrder(stores.anonymous)).toBe('deferred');
        expect(isScrubDeferred(stores.anonymous)).toBe(true);
        // The answers are committed, but their frames are still in the WAL: the reader stops the checkpoint.
        expect(walSize(dataDir)).toBeGreaterThan(0);
        // Only the checkpoint was tried: no VACUUM was written into a WAL that cannot be emptied (it would
        // add a frame for every page of the file; two small inserts write a handful).
        const pageSize = Number((await sql<{ page_size: number }>`pragma page_size`.execute(stores.anonymous)).rows[0]!.page_size);
        const pageCount = Number((await sql<{ page_count: number }>`pragma page_count`.execute(stores.anonymous)).rows[0]!.page_count);
        expect(pageCount).toBeGreaterThan(100);
        expect((walSize(dataDir) - 32) / (24 + pageSize)).toBeLessThan(pageCount / 4);
        expect(log).toEqual([expect.stringMatching(waitingLine)]);
        // The connection's own busy timeout is back as it was.
        expect((await sql<{ timeout: number }>`pragma busy_timeout`.execute(stores.anonymous)).rows[0]!.timeout).toBe(40000);

        reader.end();
        ended = true;
        await expect.poll(() => walSize(dataDir), { timeout: 15_000, interval: 20 }).toBe(0);
        await expect.poll(() => log.length, { timeout: 5_000, interval: 20 }).toBe(2);
        expect(log[1]).toMatch(doneLine);
        expect(isScrubDeferred(stores.anonymous)).toBe(false);
        const rows = await stores.anonymous
          .selectFrom('part_two_response')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(rows.n)).toBe(6002);
      } finally {
        if (!ended) reader.end();
      }
    },
  );

  it('stops retrying when the stores close: the process exits on its own, with no unhandled rejection', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    await (await openStores({ dataDir })).close();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'support', 'deferred-scrub-child.ts'), dataDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    // Generous: a timer kept alive by a retry that never stops would keep it running past this.
    const deadline = setTimeout(() => child.kill('SIGKILL'), 25_000);
    const code = await exit.finally(() => clearTimeout(deadline));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out.split('\n').filter((l) => !l.startsWith('log: '))).toEqual(['scrub: deferred', 'closed', '']);
    expect(count(out, waitingLine)).toBe(1);
  });

  it('makes `import` wait for a scrub a reader deferred, saying so on stderr, and exit only once it is done', async () => {
    const cwd = tempDir();
    const dataDir = join(cwd, 'data');
    await (await openStores({ dataDir })).close();
    writeFileSync(join(cwd, 'two.csv'), partTwoCsv(20));
    const reader = holdReader(dataDir);
    let ended = false;
    try {
      const { io, stderr } = ioWith(cwd, new PassThrough());
      let finished = false;
      const run = runCli(['import', '--data', dataDir, '--wave', WAVE_2, '--part', 'anonymous', 'two.csv'], io).finally(() => (finished = true));
      await expect.poll(stderr, { timeout: 20_000, interval: 20 }).toMatch(/waiting for another connection to anonymous\.db or anonymous-intake\.db to finish/);
      // It cannot finish while the reader holds the WAL: the rows are committed but their arrival is not erased.
      expect(finished).toBe(false);
      expect(walSize(dataDir)).toBeGreaterThan(0);
      reader.end();
      ended = true;
      expect(await run).toBe(0);
      expect(stderr()).toMatch(/the order of arrival in anonymous\.db and anonymous-intake\.db is erased\n$/);
      expect(walSize(dataDir)).toBe(0);
    } finally {
      if (!ended) reader.end();
    }
  });

  it('lets the scrub finish while `export --part anonymous` is paused mid-stream: the export reads a private copy that is already unlinked', async () => {
    const stores = await opener.openIn(tempDir());
    const dataDir = stores.location;
    await importText(stores, { wave: WAVE_2, part: 'anonymous' }, partTwoCsv(3000));
    const output = pausedOutput();
    const { io, stderr } = ioWith(dataDir, output.stream);
    const run = runCli(['export', '--data', dataDir, '--wave', WAVE_2, '--part', 'anonymous'], io);
    await output.first;
    // Mid-stream: the header and a few rows are out, the rest waits for the reader of standard output.
    expect(output.text().split('\r\n').length).toBeLessThan(3000);
    // The copy it reads is private and already gone from the directory, though still being read.
    expect(listSnapshots(dataDir)).toEqual([]);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('.anonymous-snapshot-'))).toEqual([]);
    for (let i = 0; i < 3; i++) {
      await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: 500 + i }]);
      expect(await scrubArrivalOrder(stores.anonymous)).toBe('done');
      expect(walSize(dataDir)).toBe(0);
    }
    output.release();
    expect(await run, stderr()).toBe(0);
    // The copy was taken before those three answers: 3000 rows and the header.
    expect(parseCsv(output.text())).toHaveLength(3001);
  });

  it('leaves no snapshot file after export, package, tables and backup, and removes one a killed process left', async () => {
    const stores = await opener.openIn(tempDir());
    const dataDir = stores.location;
    await importText(stores, { wave: WAVE_2, part: 'anonymous' }, partTwoCsv(50));
    // A snapshot left by a process that has ended (a pid that existed a moment ago), and one of a live
    // process (the test runner's parent), which must be left alone.
    const ended = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => ended.once('exit', done));
    const stale = join(dataDir, `.anonymous-snapshot-${ended.pid}-0123456789ab.db`);
    const live = join(dataDir, `.anonymous-snapshot-${process.ppid}-ba9876543210.db`);
    writeFileSync(stale, 'answers', { mode: 0o600 });
    writeFileSync(live, 'answers', { mode: 0o600 });
    const out = tempDir();
    for (const argv of [
      ['export', '--wave', WAVE_2, '--part', 'anonymous', '--out', join(out, 'two.csv')],
      ['package', '--wave', WAVE_2, '--out', join(out, 'package.zip')],
      ['tables', '--wave', WAVE_2, '--format', 'json'],
      ['backup', '--out', join(out, 'backup.zip')],
    ]) {
      const result = await cli(dataDir, [...argv, '--data', dataDir]);
      expect(result.code, `${argv[0]}: ${result.stderr}`).toBe(0);
      expect(existsSync(stale), argv[0]).toBe(false);
      expect(
        listSnapshots(dataDir).map((s) => s.file),
        argv[0],
      ).toEqual([live]);
    }
    expect(readdirSync(out).sort()).toEqual(['backup.zip', 'package.zip', 'two.csv']);
    // And a server start removes what a killed process left.
    writeFileSync(stale, 'answers', { mode: 0o600 });
    await stores.close();
    const server = await startServer({ dataDir, port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: () => {} });
    try {
      expect(listSnapshots(dataDir).map((s) => s.file)).toEqual([live]);
    } finally {
      await server.stop();
    }
  });
});

/** The CLI, as an admin runs it beside the server; refusals fail the test with their message. */
const run = async (cwd: string, argv: string[]) => {
  const result = await cli(cwd, argv);
  if (result.code !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  return result.stdout;
};

/**
 * One respondent's journey through the real server: the invitation, part one (which gives the pass), then part two,
 * calling `afterPartTwo` after every part-two response (each page saved, and the submission).
 */
const journey = async (base: string, n: number, secret: string, afterPartTwo: (what: string) => void) => {
  const browser = new LoopbackBrowser(loopbackAddress(n));
  const random = seededRandom(1000 + n);
  const expectReply = (reply: { status: number; location?: string | undefined }, status: number, location?: string) => {
    expect({ status: reply.status, location: reply.location }).toEqual({ status, location });
  };
  expectReply(await browser.send(base, 'GET', `/i/${secret}`), 303, '/survey');
  const pages = async (partBase: string, sections: ReturnType<typeof sectionsOf>, after: (what: string) => void) => {
    for (const [i, s] of sections.entries()) {
      const page = await browser.send(base, 'GET', `${partBase}/${s.id}`);
      expect(page.status).toBe(200);
      const saved = await browser.send(base, 'POST', `${partBase}/${s.id}`, { _csrf: csrfOf(page.body), ...randomCells(pageItems(s), random) });
      expectReply(saved, 303, sections[i + 1] ? `${partBase}/${sections[i + 1]!.id}` : `${partBase}/check`);
      after(`${partBase}/${s.id}`);
    }
    const check = await browser.send(base, 'GET', `${partBase}/check`);
    expect(check.status).toBe(200);
    expectReply(await browser.send(base, 'POST', `${partBase}/submit`, { _csrf: csrfOf(check.body) }), 303, `${partBase}/done`);
    after(`${partBase}/submit`);
  };
  // Sending part one gives this browser its part-two pass.
  await pages('/survey/part-one', sectionsOf('identifiable'), () => {});
  await pages('/part-two', sectionsOf('anonymous'), afterPartTwo);
};

describe('the scrub beside a reader, against the real server process', { timeout: 120_000 }, () => {
  const wave = 'scrub-1';
  let cwd: string;
  let dataDir: string;
  let secrets: string[];
  let server: ServerProcess;

  beforeAll(async () => {
    // Its own directory, not tempDir(): that one is removed after each test, and this server serves them all.
    cwd = mkdtempSync(join(tmpdir(), 'cswo-scrub-'));
    dataDir = join(cwd, 'data');
    await run(cwd, ['wave', 'create', '--data', dataDir, '--wave', wave, '--name', 'Scrub', '--fielded', 'now', '--definition', 'cswo-annual@2']);
    writeFileSync(
      join(cwd, 'roster.csv'),
      toCsv([['local_authority', 'name', 'email'], ...councilCodes.slice(0, 5).map((c) => [c, `Officer ${c}`, `cswo@${c.replaceAll('_', '-')}.gov.uk`])]),
    );
    await run(cwd, ['roster', 'import', '--data', dataDir, '--wave', wave, 'roster.csv']);
    secrets = (await run(cwd, ['invite', '--data', dataDir, '--wave', wave]))
      .trim()
      .split('\n')
      .map((line) => line.slice(line.lastIndexOf('/') + 1));
    writeFileSync(join(cwd, 'two.csv'), partTwoCsv(3000));
    await run(cwd, ['import', '--data', dataDir, '--wave', wave, '--part', 'anonymous', 'two.csv']);
    server = await startServerProcess(dataDir, await freePort());
  }, 60_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) await server.kill('SIGTERM');
    rmSync(cwd, { recursive: true, force: true });
  });

  it('keeps the WAL empty after every part-two save and submission while an export is paused mid-stream and a package and a backup are made', async () => {
    const output = pausedOutput();
    const { io, stderr } = ioWith(cwd, output.stream);
    const exporting = runCli(['export', '--data', dataDir, '--wave', wave, '--part', 'anonymous'], io);
    await output.first;
    const checked: string[] = [];
    const afterPartTwo = (what: string) => {
      // Read right after the response: the scrub ran to the end before the server answered.
      expect(walSize(dataDir), `the WAL after ${what}`).toBe(0);
      checked.push(what);
    };
    await journey(server.url, 0, secrets[0]!, afterPartTwo);
    expect((await cli(cwd, ['package', '--data', dataDir, '--wave', wave, '--out', join(cwd, 'package.zip')])).code).toBe(0);
    expect(listSnapshots(dataDir)).toEqual([]);
    await journey(server.url, 1, secrets[1]!, afterPartTwo);
    expect((await cli(cwd, ['backup', '--data', dataDir, '--out', join(cwd, 'backup.zip')])).code).toBe(0);
    expect(listSnapshots(dataDir)).toEqual([]);
    await journey(server.url, 2, secrets[2]!, afterPartTwo);
    expect(checked).toHaveLength(3 * (sectionsOf('anonymous').length + 1));
    // No scrub had to wait for another connection: the paused export held nothing on the live file.
    expect(count(server.stderr(), waitingLine)).toBe(0);

    output.release();
    expect(await exporting, stderr()).toBe(0);
    expect(parseCsv(output.text())).toHaveLength(3001);
    expect(listSnapshots(dataDir)).toEqual([]);
  });

  it('answers a save while a raw reader of the intake blocks the checkpoint, logs the wait once, and empties the WAL once the reader ends', async () => {
    const before = server.stderr();
    const reader = holdReader(dataDir, 'intake');
    let ended = false;
    try {
      const saves: string[] = [];
      // journey() checks every response's status; the WAL cannot be emptied while the reader is there.
      await journey(server.url, 3, secrets[3]!, (what) => saves.push(what));
      expect(saves).toHaveLength(sectionsOf('anonymous').length + 1);
      expect(walSize(dataDir)).toBeGreaterThan(0);
      const logged = server.stderr().slice(before.length);
      expect(count(logged, waitingLine)).toBe(1);
      expect(count(logged, doneLine)).toBe(0);
    } finally {
      if (!ended) {
        reader.end();
        ended = true;
      }
    }
    await expect.poll(() => walSize(dataDir), { timeout: 30_000, interval: 50 }).toBe(0);
    await expect.poll(() => count(server.stderr().slice(before.length), doneLine), { timeout: 30_000, interval: 50 }).toBe(1);
    // What the scrub logged names the store, never a path, an answer or anything else.
    expect(server.stderr().slice(before.length)).not.toContain(dataDir);
  });

  it("is not held up by a reader of the archive: a respondent's answers go to the intake, whose scrub that reader does not block", async () => {
    const before = server.stderr();
    const reader = holdReader(dataDir, 'anonymous');
    try {
      const saves: string[] = [];
      await journey(server.url, 4, secrets[4]!, (what) => {
        expect(walSize(dataDir), `the WAL after ${what}`).toBe(0);
        saves.push(what);
      });
      expect(saves).toHaveLength(sectionsOf('anonymous').length + 1);
      expect(count(server.stderr().slice(before.length), waitingLine)).toBe(0);
    } finally {
      reader.end();
    }
  });

  it('scrubs at start what a crash left: the WAL of a killed writer is emptied and the file rewritten, and its snapshot removed', async () => {
    // A crash image: a writer committed part-two rows with the WAL never checkpointed, and was killed.
    const source = join(tempDir(), 'data');
    await (await openStores({ dataDir: source })).close();
    const writer = new Database(storeFiles(source).anonymous);
    applyPragmas(writer);
    writer.pragma('wal_autocheckpoint = 0');
    const insert = writer.prepare("insert into part_two_response (id, wave_id, answers) values (?, '2020-06', ?)");
    const id = (i: number) => i.toString(16).padStart(32, '0');
    for (let i = 0; i < 300; i++) insert.run(id(i), JSON.stringify({ final_reflections: `answer ${i} ${'x'.repeat(400)}` }));
    const remove = writer.prepare('delete from part_two_response where id = ?');
    writer.transaction(() => {
      for (let i = 0; i < 300; i++) if (i % 5 !== 0) remove.run(id(i));
    })();
    expect(writer.pragma('freelist_count', { simple: true })).toBeGreaterThan(0);
    const crashed = join(tempDir(), 'data');
    mkdirSync(crashed, { mode: 0o700 });
    for (const name of ['identifiable.db', 'anonymous.db', 'anonymous.db-wal', 'anonymous.db-shm']) {
      if (existsSync(join(source, name))) copyFileSync(join(source, name), join(crashed, name));
    }
    writer.close();
    expect(walSize(crashed)).toBeGreaterThan(0);
    const ended = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => ended.once('exit', done));
    writeFileSync(join(crashed, `.anonymous-snapshot-${ended.pid}-0123456789ab.db`), 'answers', { mode: 0o600 });

    const restarted = await startServerProcess(crashed, await freePort());
    try {
      expect(restarted.stderr()).not.toContain('loaded bundled data');
      expect(walSize(crashed)).toBe(0);
      expect(listSnapshots(crashed)).toEqual([]);
      const copy = new Database(storeFiles(crashed).anonymous, { readonly: true });
      try {
        // VACUUM ran: no free page is left of the deleted rows, and the rows are all there.
        expect(copy.pragma('freelist_count', { simple: true })).toBe(0);
        expect(copy.prepare('select count(*) as n from part_two_response').get()).toEqual({ n: 60 });
      } finally {
        copy.close();
      }
    } finally {
      await restarted.kill('SIGTERM');
    }
  });
});
