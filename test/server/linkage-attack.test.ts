import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { endianness } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { cookies } from '../../server/respondent/respondent-context.js';
import { startServer, type RunningServer } from '../../server/app/serve.js';
import { issueInvitation } from '../../server/storage/invitation-store.js';
import { storeFiles } from '../../server/storage/open-stores.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import { findStoredWave } from '../../server/storage/wave-store.js';
import { changeWaveStatus } from '../../server/waves/wave-changes.js';
import { useTempDirs } from '../support/temp-dir.js';
import { decodeStoredPartTwo, WAVE_2 } from './helpers.js';

/** A part-two row's answers, as an adversary reads them with the wave's published definition (rows are kept by position). */
const answersOfRow = (row: string): Record<string, unknown> => decodeStoredPartTwo(WAVE_2, row);
import {
  CookieJar,
  councilCodes,
  csrfOf,
  definitionOfWave2,
  formBody,
  pageItems,
  randomCells,
  sectionsOf,
  seededRandom,
  stackTrace,
  type Random,
} from './respondent-helpers.js';

/**
 * The adversary test. 32 CSWOs (every council) answer wave 2020-06 through the real server over
 * loopback, their steps interleaved at random. Then an adversary holding ONLY copies of
 * identifiable.db, anonymous.db (with their -wal and -shm files, as raw bytes and through SQLite) and
 * the server's log tries to tell which part-two row is whose. The adversary does NOT have server.key
 * (nor SERVER_KEY). The key would add nothing: the part-two code is random, made for the browser that
 * sent part one and kept by the anonymous store only as a hash; nothing derives it from the invitation,
 * so even whoever holds the printed invitation links and the key cannot find a council's pass.
 *
 * Every channel is scored as the number of part-two rows matched to the right council. A random
 * assignment of 32 rows matches 1 on average (the fixed points of a random permutation, about
 * Poisson(1)), so over T trials a channel that carries no information totals about Poisson(T); each
 * channel must stay within T + 4 sqrt(T) + 3. Controls run the same attack code against stores that
 * do leak an order and must score (nearly) 32 a trial, so a silent attack cannot pass for a safe store.
 */

const TRIALS = Number(process.env.LINKAGE_TRIALS ?? 12);
const SEEDS = Array.from({ length: TRIALS }, (_, i) => 0x2020_06 + 7919 * i);
const chanceBound = (trials: number) => trials + 4 * Math.sqrt(trials) + 3;

const tempDir = useTempDirs();

// ---------------------------------------------------------------------------------------------
// The respondents: a browser each (own cookie jar, own loopback address), scripted steps.
// ---------------------------------------------------------------------------------------------

const partOneSections = sectionsOf('identifiable');
const partTwoSections = sectionsOf('anonymous');
const councilLabels = new Map(
  (definitionOfWave2.parts[0]!.sections[0]!.items.find((i) => i.id === 'local_authority') as { options: { code: string; label: string }[] }).options.map(
    (o) => [o.code, o.label],
  ),
);

type Step =
  | { readonly kind: 'open' }
  | { readonly kind: 'part-one'; readonly section: string }
  | { readonly kind: 'submit-part-one' }
  | { readonly kind: 'pass' }
  | { readonly kind: 'part-two'; readonly section: string }
  | { readonly kind: 'submit-part-two' };

interface Cswo {
  readonly council: string;
  readonly name: string;
  readonly email: string;
  readonly address: string;
  readonly jar: CookieJar;
  readonly steps: readonly Step[];
  readonly groupsInvolved: number;
  readonly marker: string;
  readonly random: Random;
  secret: string;
  done: number;
}

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP request over loopback from the respondent's own address (the rate limit is per address). */
const fetchAs = (base: string, address: string, method: string, path: string, headers: Record<string, string>, body?: string) =>
  new Promise<Reply>((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, localAddress: address, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });

/** What the test (not the adversary) records: the ground truth and every secret a browser saw. */
interface Truth {
  readonly partOneOrder: string[];
  readonly partTwoOrder: string[];
  readonly openOrder: string[];
  readonly councilOfGroups: Map<number, string>;
  readonly markers: Map<string, string>;
  /** Invitation secrets, session tokens, part-two cookies and credentials, CSRF tokens. */
  readonly secrets: Set<string>;
  readonly answerTexts: Set<string>;
  readonly rosterText: Set<string>;
}

const runJourneys = async (server: RunningServer, random: Random, cswos: Cswo[], truth: Truth) => {
  const send = async (cswo: Cswo, method: 'GET' | 'POST', path: string, form?: Record<string, string>) => {
    const cookie = cswo.jar.header(path);
    const body = form ? formBody(form) : undefined;
    const headers: Record<string, string> = { ...(cookie ? { cookie } : {}) };
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
      headers.origin = server.url;
    }
    const reply = await fetchAs(server.url, cswo.address, method, path, headers, body);
    expect(reply.body, `${method} ${path} leaked a stack trace`).not.toMatch(stackTrace);
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const set = reply.headers['set-cookie'] ?? [];
    cswo.jar.store(set, path);
    for (const c of set) truth.secrets.add(c.split(';')[0]!.split('=').slice(1).join('='));
    for (const [, csrf] of reply.body.matchAll(/name="_csrf" value="([^"]+)"/g)) truth.secrets.add(csrf!);
    return reply;
  };
  const expectRedirect = (reply: Reply, location: string, what: string) => {
    expect(`${what}: ${reply.status} ${reply.headers.location}`).toBe(`${what}: 303 ${location}`);
  };
  const save = async (cswo: Cswo, base: string, section: string, cells: Record<string, string>) => {
    const page = await send(cswo, 'GET', `${base}/${section}`);
    expect(page.status, `${cswo.council} GET ${base}/${section}`).toBe(200);
    const reply = await send(cswo, 'POST', `${base}/${section}`, { _csrf: csrfOf(page.body), ...cells });
    expect(reply.status, `${cswo.council} POST ${base}/${section}`).toBe(303);
  };

  /** Free text typed into the forms: none of it may reach the log. */
  const recordTexts = (items: readonly { id: string; kind: string }[], cells: Record<string, string>) => {
    for (const item of items) if ((item.kind === 'text' || item.kind === 'email') && cells[item.id]) truth.answerTexts.add(cells[item.id]!);
  };

  const perform = async (cswo: Cswo, step: Step) => {
    switch (step.kind) {
      case 'open': {
        expectRedirect(await send(cswo, 'GET', `/i/${cswo.secret}`), '/survey', `${cswo.council} opens the link`);
        truth.openOrder.push(cswo.council);
        expect((await send(cswo, 'GET', '/survey')).status).toBe(200);
        return;
      }
      case 'part-one': {
        const section = partOneSections.find((s) => s.id === step.section)!;
        const cells = randomCells(pageItems(section), cswo.random);
        if (section.id === 'about_you') Object.assign(cells, { name: cswo.name, email: cswo.email });
        recordTexts(section.items, cells);
        return save(cswo, '/survey/part-one', section.id, cells);
      }
      case 'submit-part-one': {
        const check = await send(cswo, 'GET', '/survey/part-one/check');
        expectRedirect(await send(cswo, 'POST', '/survey/part-one/submit', { _csrf: csrfOf(check.body) }), '/survey/part-one/done', `${cswo.council} part one`);
        truth.partOneOrder.push(cswo.council);
        return;
      }
      case 'pass': {
        // The pass came with part one's submission; the confirmation shows its code.
        expect((await send(cswo, 'GET', '/survey/part-one/done')).status).toBe(200);
        const pass = cswo.jar.value(cookies.partTwo)!;
        truth.secrets.add(pass.split('.')[1]!);
        truth.secrets.add(pass.split('.')[2]!);
        expectRedirect(await send(cswo, 'GET', '/part-two'), '/part-two/workload', `${cswo.council} part two`);
        return;
      }
      case 'part-two': {
        const section = partTwoSections.find((s) => s.id === step.section)!;
        const cells = randomCells(section.items, cswo.random);
        if (section.id === 'links') cells.groups_involved = String(cswo.groupsInvolved);
        if (section.id === 'reflections') cells.final_reflections = `${cswo.marker}: ${cells.final_reflections ?? 'no more to add'}`;
        recordTexts(section.items, cells);
        return save(cswo, '/part-two', section.id, cells);
      }
      case 'submit-part-two': {
        const check = await send(cswo, 'GET', '/part-two/check');
        expectRedirect(await send(cswo, 'POST', '/part-two/submit', { _csrf: csrfOf(check.body) }), '/part-two/done', `${cswo.council} part two`);
        truth.partTwoOrder.push(cswo.council);
        return;
      }
    }
  };

  // Rows written by each store's connection so far: part-two steps must write nothing identifiable,
  // part-one steps nothing anonymous, or the write itself would tie the two in time.
  const changes = async () => ({
    identifiable: Number((await sql<{ n: number }>`select total_changes() as n`.execute(server.stores.identifiable)).rows[0]!.n),
    anonymous: Number((await sql<{ n: number }>`select total_changes() as n`.execute(server.stores.anonymous)).rows[0]!.n),
  });

  // A random interleaving of everyone's steps: each slot is "whoever's turn it is does their next step".
  const slots = random.shuffle(cswos.flatMap((c, i) => c.steps.map(() => i)));
  for (const i of slots) {
    const cswo = cswos[i]!;
    const step = cswo.steps[cswo.done++]!;
    const before = await changes();
    await perform(cswo, step);
    const after = await changes();
    if (step.kind === 'pass' || step.kind === 'part-two' || step.kind === 'submit-part-two') {
      expect(after.identifiable, `${step.kind} wrote to the identifiable store`).toBe(before.identifiable);
    } else {
      expect(after.anonymous, `${step.kind} wrote to the anonymous store`).toBe(before.anonymous);
    }
  }
};

const planSteps = (random: Random): Step[] => {
  const some = (ids: readonly string[], always: readonly string[], p: number) => {
    const chosen = ids.filter((id) => always.includes(id) || random.next() < p);
    return chosen.length > 0 ? chosen : [random.pick(ids)];
  };
  return [
    { kind: 'open' },
    ...some(
      partOneSections.map((s) => s.id),
      [],
      0.5,
    ).map((section) => ({ kind: 'part-one', section }) as const),
    { kind: 'submit-part-one' },
    { kind: 'pass' },
    ...some(
      partTwoSections.map((s) => s.id),
      ['links', 'reflections'],
      0.4,
    ).map((section) => ({ kind: 'part-two', section }) as const),
    { kind: 'submit-part-two' },
  ];
};

// ---------------------------------------------------------------------------------------------
// The adversary: files and log only.
// ---------------------------------------------------------------------------------------------

interface Evidence {
  readonly dir: string;
  readonly identifiable: { db: Buffer; wal?: Buffer; shm?: Buffer };
  /** The anonymous file that holds the wave's part two: the intake while the wave is open, the archive once it is closed. */
  readonly anonymous: { db: Buffer; wal?: Buffer; shm?: Buffer };
  readonly anonymousFile: string;
  /** The other anonymous file, which the adversary holds too. */
  readonly otherAnonymous: { db: Buffer; wal?: Buffer; shm?: Buffer };
  readonly otherAnonymousFile: string;
  readonly log: string;
}

const anonymousFiles = { open: 'anonymous-intake.db', closed: 'anonymous.db' } as const;

const readEvidence = (dir: string, wave: 'open' | 'closed'): Evidence => {
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name)) : undefined);
  const files = (name: string) => ({ db: read(name)!, wal: read(`${name}-wal`), shm: read(`${name}-shm`) });
  const anonymousFile = anonymousFiles[wave];
  const otherAnonymousFile = anonymousFiles[wave === 'open' ? 'closed' : 'open'];
  return {
    dir,
    identifiable: files('identifiable.db'),
    anonymous: files(anonymousFile),
    anonymousFile,
    otherAnonymous: files(otherAnonymousFile),
    otherAnonymousFile,
    log: read('server.log')?.toString('utf8') ?? '',
  };
};

interface WalFrame {
  readonly order: number;
  readonly page: Buffer;
}

/** The frames of a WAL file, oldest first: earlier generations (smaller salt-1) before the current one. */
const walFrames = (wal: Buffer | undefined): WalFrame[] => {
  if (!wal || wal.length < 32) return [];
  const pageSize = wal.readUInt32BE(8) === 1 ? 65536 : wal.readUInt32BE(8);
  const frames: { salt: number; index: number; page: Buffer }[] = [];
  for (let offset = 32, index = 0; offset + 24 + pageSize <= wal.length; offset += 24 + pageSize, index++) {
    frames.push({ salt: wal.readUInt32BE(offset + 8), index, page: wal.subarray(offset + 24, offset + 24 + pageSize) });
  }
  return frames.sort((a, b) => a.salt - b.salt || a.index - b.index).map((f, order) => ({ order, page: f.page }));
};

/**
 * The page numbers a WAL index (-shm) still lists after its WAL was truncated: the hash tables are not
 * cleared until the next write, so they name the pages of the last WAL generation, frame by frame.
 */
const staleWalIndexPages = (shm: Buffer | undefined): number[] => {
  // Two copies of the 48-byte index header and the 40-byte checkpoint info, then one u32 page number
  // per frame, in the machine's byte order.
  const first = 136;
  const pages: number[] = [];
  for (let at = first; shm && at + 4 <= Math.min(shm.length, 32768); at += 4) {
    const page = endianness() === 'LE' ? shm.readUInt32LE(at) : shm.readUInt32BE(at);
    if (page === 0) break;
    pages.push(page);
  }
  return pages;
};

/** Items in the order of their first appearance in a sequence of byte chunks. */
const firstAppearance = <T>(chunks: readonly Buffer[], items: readonly T[], needle: (item: T) => Buffer): T[] => {
  const first = new Map<T, number>();
  chunks.forEach((chunk, i) => {
    for (const item of items) if (!first.has(item) && chunk.includes(needle(item))) first.set(item, i);
  });
  return [...first.entries()].sort((a, b) => a[1] - b[1]).map(([item]) => item);
};

/**
 * Orders of part-two rows (each row named by its answers text) that the files could betray: every
 * way of reading "which row came first" from a store's layout. Run alike on the real anonymous store
 * and on the leaky control stores.
 */
const rowOrders = (
  rows: readonly string[],
  selectOrder: readonly string[],
  db: Buffer,
  wal: Buffer | undefined,
  pageSize: number,
  /** Bytes that start the row's record (a long record continues on overflow pages). */
  needle: (row: string) => Buffer,
) => {
  const orders: Record<string, string[] | undefined> = {};
  orders['select without ORDER BY'] = [...selectOrder];
  const offsets = new Map(rows.map((r) => [r, db.indexOf(needle(r))]));
  if ([...offsets.values()].every((o) => o >= 0)) {
    orders['byte offset in the file'] = [...rows].sort((a, b) => offsets.get(a)! - offsets.get(b)!);
    // SQLite fills a page's cell area from the end backwards: page ascending, offset descending.
    const page = (r: string) => Math.floor(offsets.get(r)! / pageSize);
    orders['cell allocation (page up, offset down)'] = [...rows].sort((a, b) => page(a) - page(b) || offsets.get(b)! - offsets.get(a)!);
  }
  const frames = walFrames(wal);
  if (frames.length > 0) {
    const seen = firstAppearance(
      frames.map((f) => f.page),
      rows,
      needle,
    );
    if (seen.length === rows.length) orders['first WAL frame'] = seen;
  }
  for (const [name, order] of Object.entries(orders)) if (order) orders[`${name}, reversed`] = [...order].reverse();
  return orders;
};

const sha256 = (x: string | Buffer) => createHash('sha256').update(x).digest('hex');

/** Every cell of every table of an SQLite database, except Kysely's migration bookkeeping. */
const allCells = (db: Database.Database) => {
  const cells: { table: string; column: string; value: string }[] = [];
  const tables = (
    db.prepare("select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%'").all() as { name: string }[]
  ).map((t) => t.name);
  for (const table of tables) {
    for (const row of db.prepare(`select * from "${table}"`).all() as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) if (value !== null) cells.push({ table, column, value: String(value) });
    }
  }
  return cells;
};

interface Attack {
  /** Councils in an order read from the identifiable files, by channel. */
  readonly councilOrders: Record<string, { channel: string; order: string[] }>;
  /** Part-two rows (answers text) in orders read from the anonymous files. */
  readonly rowOrders: Record<string, string[] | undefined>;
  /** Direct links (row -> council) found by value, hash, time or log, by channel. */
  readonly direct: Record<string, Map<string, string>>;
  readonly rows: string[];
  /** Facts for the direct assertions. */
  readonly sharedValues: string[];
  readonly hashRelations: string[];
  readonly timeLikeInAnonymous: string[];
  readonly anonymousWalBytes: number;
  /** Answers and passes in the anonymous file that should hold none of the wave's. */
  readonly otherAnonymousRows: number[];
  readonly tablesWithRowid: string[];
  readonly walIndex: { stalePages: number[]; beforeSweep: number[]; pageCount: number };
  readonly rowCopies: Map<string, number>;
  readonly freePages: number;
  readonly drafts: number;
  readonly pageSize: number;
  readonly identifiableValues: Set<string>;
}

const attack = (evidence: Evidence): Attack => {
  // Raw bytes first: opening a copy through SQLite may checkpoint its WAL into it.
  const councilPattern = /([0-9a-f]{32})2020-06([a-z_]+)\{"/g;
  const identifiableFrames = walFrames(evidence.identifiable.wal);
  const partOneInWal: string[] = [];
  for (const frame of identifiableFrames) {
    for (const m of frame.page.toString('latin1').matchAll(councilPattern)) if (!partOneInWal.includes(m[2]!)) partOneInWal.push(m[2]!);
  }
  const partOneInFile = [...evidence.identifiable.db.toString('latin1').matchAll(councilPattern)].map((m) => m[2]!);

  const identifiable = new Database(join(evidence.dir, 'identifiable.db'), { fileMustExist: true });
  const anonymous = new Database(join(evidence.dir, evidence.anonymousFile), { fileMustExist: true });
  const otherAnonymous = new Database(join(evidence.dir, evidence.otherAnonymousFile), { fileMustExist: true });
  try {
    // The copy is the adversary's own: replaying its WAL into it shows where each part-one row lies in the file.
    identifiable.pragma('wal_checkpoint(TRUNCATE)');
    const partOneInCheckpointedFile = [...readFileSync(join(evidence.dir, 'identifiable.db')).toString('latin1').matchAll(councilPattern)].map((m) => m[2]!);
    const councilOf = new Map(
      (identifiable.prepare('select id, local_authority from invitation').all() as { id: string; local_authority: string }[]).map((r) => [
        r.id,
        r.local_authority,
      ]),
    );
    const councilOrders: Attack['councilOrders'] = {};
    const ordered = (channel: string, name: string, order: string[]) => {
      if (new Set(order).size === 32) councilOrders[name] = { channel, order };
    };
    ordered(
      'b. storage order',
      'part_one_response rowid',
      (identifiable.prepare('select local_authority from part_one_response order by rowid').all() as { local_authority: string }[]).map(
        (r) => r.local_authority,
      ),
    );
    ordered(
      'd. rowids',
      'respondent_session rowid',
      (identifiable.prepare('select invitation_id from respondent_session order by rowid').all() as { invitation_id: string }[]).map((r) =>
        councilOf.get(r.invitation_id)!,
      ),
    );
    ordered(
      'd. rowids',
      'invitation rowid',
      (identifiable.prepare('select local_authority from invitation order by rowid').all() as { local_authority: string }[]).map((r) => r.local_authority),
    );
    ordered(
      'c. timestamps',
      'respondent_session expires_at',
      (identifiable.prepare('select invitation_id from respondent_session order by expires_at, rowid').all() as { invitation_id: string }[]).map((r) =>
        councilOf.get(r.invitation_id)!,
      ),
    );
    ordered('b. storage order', 'part_one_response byte offset', [...partOneInFile]);
    ordered(
      'b. storage order',
      'part_one_response byte offset after replaying the WAL',
      partOneInCheckpointedFile.filter((c, i, a) => a.indexOf(c) === i),
    );
    ordered('f. WAL', 'identifiable WAL frame order of part one', [...partOneInFile.filter((c) => !partOneInWal.includes(c)), ...partOneInWal]);

    const responses = anonymous.prepare('select id, wave_id, answers from part_two_response').all() as { id: string; wave_id: string; answers: string }[];
    const rows = responses.map((r) => r.answers);
    const pageSize = anonymous.pragma('page_size', { simple: true }) as number;
    // A record is (id, wave_id, answers): its first bytes are the key, then the wave.
    const idOf = new Map(responses.map((r) => [r.answers, r.id]));
    const orders = rowOrders(rows, rows, evidence.anonymous.db, evidence.anonymous.wal, pageSize, (r) => Buffer.from(`${idOf.get(r)}2020-06`, 'latin1'));
    orders['id sorted'] = [...responses].sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => r.answers);

    // f. the WAL index: pages the last write touched before the scrub rewrote every page. Their rows are
    // the candidates for the last part-two answer, which is guessed to be the last part one's council.
    const pageCount = anonymous.pragma('page_count', { simple: true }) as number;
    const stalePages = staleWalIndexPages(evidence.anonymous.shm);
    const sweep = Array.from({ length: pageCount }, (_, i) => i + 1);
    const endsWithSweep = stalePages.length >= pageCount && stalePages.slice(-pageCount).every((p, i) => p === sweep[i]);
    const beforeSweep = endsWithSweep ? stalePages.slice(0, -pageCount) : stalePages;
    const lastPartOne = (
      identifiable.prepare('select local_authority from part_one_response order by rowid desc limit 1').get() as { local_authority: string } | undefined
    )?.local_authority;
    const byWalIndex = new Map<string, string>();
    for (const r of rows) {
      const page = Math.floor(evidence.anonymous.db.indexOf(Buffer.from(`${idOf.get(r)}2020-06`, 'latin1')) / pageSize) + 1;
      if (lastPartOne && beforeSweep.includes(page)) byWalIndex.set(r, lastPartOne);
    }
    // d. rowids: the anonymous tables have none to read (WITHOUT ROWID); if one had, its order is tried too.
    const tablesWithRowid: string[] = [];
    for (const table of ['part_two_response', 'part_two_pass']) {
      try {
        anonymous.prepare(`select rowid from ${table}`).all();
        tablesWithRowid.push(table);
      } catch {
        /* no such column: rowid */
      }
    }
    if (tablesWithRowid.includes('part_two_response')) {
      orders.rowid = (anonymous.prepare('select answers from part_two_response order by rowid').all() as { answers: string }[]).map((r) => r.answers);
    }
    orders['wave_id index order'] = (
      anonymous.prepare("select answers from part_two_response indexed by part_two_response_wave where wave_id = '2020-06'").all() as { answers: string }[]
    ).map((r) => r.answers);

    // a. ids and keys: any value of the anonymous store that is, or hashes to or from, an identifiable value.
    const identifiableCells = allCells(identifiable);
    const anonymousCells = allCells(anonymous);
    const identifiableValues = new Set(identifiableCells.map((c) => c.value));
    const councilOfValue = new Map<string, string>();
    for (const table of identifiableCells.map((c) => c.table).filter((t, i, a) => a.indexOf(t) === i)) {
      for (const row of identifiable.prepare(`select * from "${table}"`).all() as Record<string, unknown>[]) {
        const council = typeof row.local_authority === 'string' ? row.local_authority : councilOf.get(String(row.invitation_id));
        if (council) for (const v of Object.values(row)) if (v !== null) councilOfValue.set(String(v), council);
      }
    }
    const derived = new Map<string, string>();
    for (const v of identifiableValues) {
      derived.set(sha256(v), v);
      derived.set(sha256(sha256(v)), v);
      if (/^[0-9a-f]+$/.test(v) && v.length % 2 === 0) derived.set(sha256(Buffer.from(v, 'hex')), v);
    }
    // The wave, and the pass's spent flag (0 or 1), are shared by every row alike: they name no one.
    const flags = new Set(['wave_id', 'spent']);
    const sharedValues = anonymousCells.filter((c) => !flags.has(c.column) && identifiableValues.has(c.value)).map((c) => `${c.table}.${c.column}=${c.value}`);
    const hashRelations = anonymousCells
      .filter((c) => derived.has(c.value) || identifiableValues.has(sha256(c.value)))
      .map((c) => `${c.table}.${c.column}=${c.value}`);
    const byValue = new Map<string, string>();
    for (const r of responses) {
      for (const v of [r.id, r.answers]) {
        const source = identifiableValues.has(v) ? v : derived.get(v);
        const council = source && councilOfValue.get(source);
        if (council) byValue.set(r.answers, council);
      }
    }

    // c. times: any number or date in the anonymous store that looks like a moment, set against session times.
    const now = Date.now();
    const timeLike = (v: unknown): boolean =>
      (typeof v === 'number' && ((v > now / 1000 - 86400 * 365 && v < now / 1000 + 86400 * 365) || (v > now - 86400e3 * 365 && v < now + 86400e3 * 365))) ||
      (typeof v === 'string' && /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v));
    const leaves = (v: unknown): unknown[] => (v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : [v]);
    const timeLikeInAnonymous: string[] = [];
    const byTime = new Map<string, string>();
    const sessions = identifiable.prepare('select invitation_id, expires_at from respondent_session').all() as { invitation_id: string; expires_at: number }[];
    for (const c of anonymousCells) {
      let parsed: unknown = c.value;
      try {
        parsed = JSON.parse(c.value);
      } catch {
        /* plain text */
      }
      for (const leaf of leaves(parsed)) {
        if (!timeLike(leaf)) continue;
        timeLikeInAnonymous.push(`${c.table}.${c.column}: ${String(leaf)}`);
        if (c.table === 'part_two_response' && typeof leaf === 'number' && sessions.length > 0) {
          const nearest = sessions.reduce((best, s) => (Math.abs(s.expires_at - leaf) < Math.abs(best.expires_at - leaf) ? s : best));
          byTime.set(c.value, councilOf.get(nearest.invitation_id)!);
        }
      }
    }

    // e. the log: a line naming a council next to a line holding a row's answers, or the order of both.
    const lines = evidence.log.split('\n');
    const councilsIn = (line: string) =>
      councilCodes.filter((code) =>
        new RegExp(`(?<![A-Za-z0-9])(${code}|${councilLabels.get(code)!.replace(/[()]/g, '\\$&')})(?![A-Za-z0-9])`, 'i').test(line),
      );
    const rowsIn = (line: string) => rows.filter((r) => Object.values(answersOfRow(r)).some((v) => typeof v === 'string' && v.length > 8 && line.includes(v)));
    const byLog = new Map<string, string>();
    lines.forEach((line, i) => {
      for (const r of rowsIn(line)) {
        const near = [...councilsIn(lines[i - 1] ?? ''), ...councilsIn(line), ...councilsIn(lines[i + 1] ?? '')];
        if (near[0]) byLog.set(r, near[0]);
      }
    });
    const councilsInLogOrder = lines.flatMap(councilsIn).filter((c, i, a) => a.indexOf(c) === i);
    ordered('e. log', 'order of councils in the log', councilsInLogOrder);
    const rowsInLogOrder = lines.flatMap(rowsIn).filter((r, i, a) => a.indexOf(r) === i);
    if (rowsInLogOrder.length === rows.length) orders['order of answers in the log'] = rowsInLogOrder;

    // Copies of each row's distinctive comment in the file: a stale draft left in free space would add one.
    // (A long record continues on overflow pages, which can split the text: hence at most one, not exactly one.)
    const rowCopies = new Map(
      rows.map((r) => {
        const needle = Buffer.from(String(answersOfRow(r).final_reflections).slice(0, 24), 'utf8');
        let n = 0;
        for (let at = evidence.anonymous.db.indexOf(needle); at !== -1; at = evidence.anonymous.db.indexOf(needle, at + 1)) n++;
        return [r, n];
      }),
    );
    const freePages = anonymous.pragma('freelist_count', { simple: true }) as number;
    const drafts = (anonymous.prepare('select count(*) as n from part_two_pass where answers is not null').get() as { n: number }).n;

    return {
      councilOrders,
      rowOrders: orders,
      direct: { 'a. ids, keys and hashes': byValue, 'c. timestamps': byTime, 'e. log': byLog, 'f. WAL': byWalIndex },
      walIndex: { stalePages, beforeSweep, pageCount },
      rows,
      sharedValues,
      hashRelations,
      timeLikeInAnonymous,
      anonymousWalBytes: (evidence.anonymous.wal?.length ?? 0) + (evidence.otherAnonymous.wal?.length ?? 0),
      otherAnonymousRows: ['part_two_response', 'part_two_pass'].map(
        (table) => (otherAnonymous.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n,
      ),
      tablesWithRowid,
      rowCopies,
      freePages,
      drafts,
      pageSize,
      identifiableValues,
    };
  } finally {
    identifiable.close();
    anonymous.close();
    otherAnonymous.close();
  }
};

/** Matching by rank: the k-th council of one order is taken to be the k-th row of the other. */
const rankMatch = (councils: readonly string[], rows: readonly string[]) => new Map(rows.map((r, k) => [r, councils[k]!]));

const correct = (guess: ReadonlyMap<string, string>, truthOf: (row: string) => string) =>
  [...guess].filter(([row, council]) => truthOf(row) === council).length;

// ---------------------------------------------------------------------------------------------
// Controls: the same row-order reading against stores that do keep arrival order.
// ---------------------------------------------------------------------------------------------

/** Writes the rows one transaction each, in the given order, as a naive store would; returns its files' orders. */
const leakyOrders = (dir: string, name: string, rowsInOrder: readonly string[], journal: 'wal' | 'delete') => {
  const file = join(dir, name);
  const db = new Database(file);
  try {
    db.pragma(`journal_mode = ${journal}`);
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table part_two_response (id integer primary key, wave_id text not null, answers text not null)');
    const insert = db.prepare("insert into part_two_response (wave_id, answers) values ('2020-06', ?)");
    for (const r of rowsInOrder) insert.run(r);
    const selectOrder = (db.prepare('select answers from part_two_response').all() as { answers: string }[]).map((r) => r.answers);
    // Read while open, as a copy of a running server's files would be.
    const wal = existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : undefined;
    return rowOrders([...rowsInOrder], selectOrder, readFileSync(file), wal, db.pragma('page_size', { simple: true }) as number, (r) => Buffer.from(r, 'utf8'));
  } finally {
    db.close();
  }
};

// ---------------------------------------------------------------------------------------------
// The trials
// ---------------------------------------------------------------------------------------------

interface TrialScores {
  /** "channel | council order x row order" -> correct matches in this trial. */
  readonly scores: Map<string, { channel: string; correct: number }>;
  readonly controls: Map<string, number>;
}

const results: TrialScores[] = [];

/**
 * One trial. `wave`: whether the adversary's copy is taken while the wave is open (its part two in the
 * intake) or after it was closed (moved, shuffled, into the archive).
 */
const runTrial = async (seed: number, wave: 'open' | 'closed'): Promise<TrialScores> => {
  const random = seededRandom(seed);
  const dir = tempDir('cswo-linkage-');
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  writeFileSync(logFile, '');
  const server = await startServer({ dataDir, port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: (m) => appendFileSync(logFile, `${m}\n`) });
  const truth: Truth = {
    partOneOrder: [],
    partTwoOrder: [],
    openOrder: [],
    councilOfGroups: new Map(),
    markers: new Map(),
    secrets: new Set(),
    answerTexts: new Set(),
    rosterText: new Set(),
  };
  const files = storeFiles(dataDir);
  let anonymousWalWhileRunning = -1;
  try {
    // The roster and the links, issued in a random order; a distinct address for each CSWO.
    const groups = random.shuffle(Array.from({ length: 400 }, (_, i) => i + 3)).slice(0, 32);
    const cswos: Cswo[] = councilCodes.map((council, i) => ({
      council,
      name: `Officer ${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(97 + random.int(26))}${String.fromCharCode(97 + random.int(26))} Smith`,
      email: `cswo${i}.${random.int(1e6)}@example.gov.uk`,
      address: `127.0.${1 + (i >> 6)}.${2 + (i & 63)}`,
      jar: new CookieJar(),
      steps: planSteps(random),
      groupsInvolved: groups[i]!,
      marker: `Reflection ${Math.floor(random.next() * 2 ** 32).toString(36)}${Math.floor(random.next() * 2 ** 32).toString(36)}`,
      random: seededRandom(seed * 97 + i),
      secret: '',
      done: 0,
    }));
    await replaceRoster(
      server.stores.identifiable,
      WAVE_2,
      cswos.map((c) => ({ localAuthority: c.council, name: c.name, email: c.email })),
    );
    await setWaveStatus(server.stores.identifiable, WAVE_2, 'open');
    for (const c of random.shuffle(cswos)) {
      c.secret = await issueInvitation(server.stores.identifiable, WAVE_2, c.council);
      truth.secrets.add(c.secret);
    }
    for (const c of cswos) {
      truth.councilOfGroups.set(c.groupsInvolved, c.council);
      truth.markers.set(c.council, c.marker);
      truth.rosterText.add(c.name).add(c.email);
    }

    // Whatever the server or its libraries print to the console goes to the captured log too.
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => appendFileSync(logFile, `console.${level}: ${args.map(String).join(' ')}\n`)),
    );
    try {
      await runJourneys(server, random, cswos, truth);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(truth.partTwoOrder).toHaveLength(32);
    if (wave === 'closed') {
      const stored = (await findStoredWave(server.stores.identifiable, WAVE_2))!;
      expect(await changeWaveStatus(server.stores, stored, 'closed', { actor: null, now: Date.now() })).toBe('open');
    }

    // The adversary's copy, taken while the server runs (as a backup or a stolen disk image would be):
    // the two stores with their WAL and shared-memory files, and the log. Not server.key.
    const evidenceDir = join(dir, 'evidence');
    mkdirSync(evidenceDir);
    for (const file of [files.identifiable, files.anonymous, files.intake]) {
      for (const suffix of ['', '-wal', '-shm'])
        if (existsSync(`${file}${suffix}`)) copyFileSync(`${file}${suffix}`, join(evidenceDir, `${file.split('/').pop()}${suffix}`));
    }
    anonymousWalWhileRunning = [files.anonymous, files.intake]
      .map((file) => `${file}-wal`)
      .reduce((total, wal) => total + (existsSync(wal) ? statSync(wal).size : 0), 0);
  } finally {
    await server.stop();
  }
  const evidenceDir = join(dir, 'evidence');
  copyFileSync(logFile, join(evidenceDir, 'server.log'));
  expect(readdirSync(evidenceDir).sort()).not.toContain('server.key');
  expect(readdirSync(evidenceDir).every((f) => /^(identifiable|anonymous|anonymous-intake)\.db(-wal|-shm)?$|^server\.log$/.test(f))).toBe(true);

  const evidence = readEvidence(evidenceDir, wave);
  const found = attack(evidence);

  // ---- direct assertions, every trial ----
  const truthOf = (row: string) => truth.councilOfGroups.get(answersOfRow(row).groups_involved as number)!;
  expect(found.rows).toHaveLength(32);
  for (const row of found.rows) expect(answersOfRow(row).final_reflections).toContain(truth.markers.get(truthOf(row)));
  // No column of the anonymous store holds a value of the identifiable store (the wave aside), nor a hash of one.
  expect(found.sharedValues).toEqual([]);
  expect(found.hashRelations).toEqual([]);
  expect(found.timeLikeInAnonymous).toEqual([]);
  expect(found.tablesWithRowid).toEqual([]);
  // The anonymous WAL is empty (or absent), as the server left it and in the copy; every answer is in the file once.
  expect(anonymousWalWhileRunning).toBe(0);
  expect(found.anonymousWalBytes).toBe(0);
  // The wave's part two is all in one place: the other file holds none of it.
  expect(found.otherAnonymousRows).toEqual([0, 0]);
  // Nor does its index (-shm) remember which pages the last answer was written to: the only pages it
  // still lists are the scrub's rewrite of every page, the same whichever answer came last (a closed
  // wave's file was rewritten after its answers moved in).
  expect(found.walIndex.beforeSweep, `the -shm lists pages [${found.walIndex.stalePages.join(',')}] of ${found.walIndex.pageCount}`).toEqual([]);
  for (const [row, copies] of found.rowCopies) expect(copies, `copies of ${row.slice(0, 40)}`).toBeLessThanOrEqual(1);
  expect([...found.rowCopies.values()].filter((n) => n === 1).length).toBeGreaterThan(16);
  expect({ freePages: found.freePages, drafts: found.drafts }).toEqual({ freePages: 0, drafts: 0 });
  // Nothing of the anonymous side reaches the identifiable files, and nothing identifying the anonymous files.
  const identifiableBytes = Buffer.concat([
    evidence.identifiable.db,
    evidence.identifiable.wal ?? Buffer.alloc(0),
    evidence.identifiable.shm ?? Buffer.alloc(0),
  ]);
  const anonymousBytes = Buffer.concat(
    [evidence.anonymous, evidence.otherAnonymous].flatMap((files) => [files.db, files.wal ?? Buffer.alloc(0), files.shm ?? Buffer.alloc(0)]),
  );
  for (const marker of truth.markers.values()) expect(identifiableBytes.includes(marker)).toBe(false);
  const identifying = [...truth.rosterText, ...truth.secrets, ...councilCodes.flatMap((c) => [c, councilLabels.get(c)!])];
  for (const v of [...found.identifiableValues].filter((v) => v.length >= 16 && v !== '2020-06')) identifying.push(v);
  for (const v of identifying) expect(anonymousBytes.includes(Buffer.from(v, 'utf8')), `anonymous files hold ${v}`).toBe(false);
  // The log holds no secret, token, credential, council, name, email or answer.
  for (const v of [...truth.secrets, ...truth.rosterText, ...truth.answerTexts, ...truth.markers.values()]) {
    expect(evidence.log.includes(v), `the log holds ${v}`).toBe(false);
  }
  for (const code of councilCodes)
    expect(evidence.log).not.toMatch(new RegExp(`(?<![A-Za-z0-9])(${code}|${councilLabels.get(code)!.replace(/[()]/g, '\\$&')})(?![A-Za-z0-9])`, 'i'));
  // The adversary's reading of the identifiable files is right: it knows the order of part one exactly.
  expect(found.councilOrders['part_one_response rowid']?.order).toEqual(truth.partOneOrder);
  expect(found.councilOrders['respondent_session rowid']?.order).toEqual(truth.openOrder);

  // ---- scores ----
  const scores = new Map<string, { channel: string; correct: number }>();
  const councilOrders = {
    ...found.councilOrders,
    // An adversary stronger than the brief: one who also knows the true order of arrival of each part.
    'oracle: true order of part one': { channel: 'oracle', order: truth.partOneOrder },
    'oracle: true order of part two arrival': { channel: 'oracle', order: truth.partTwoOrder },
  };
  for (const [councilName, { channel, order }] of Object.entries(councilOrders)) {
    for (const [rowName, rows] of Object.entries(found.rowOrders)) {
      // The channel is the identifiable side's, unless the row order itself comes from the WAL or the log.
      const pairChannel = channel === 'oracle' ? channel : rowName.startsWith('first WAL frame') ? 'f. WAL' : rowName.includes('log') ? 'e. log' : channel;
      if (rows) scores.set(`${councilName} x ${rowName}`, { channel: pairChannel, correct: correct(rankMatch(order, rows), truthOf) });
    }
  }
  for (const [channel, guess] of Object.entries(found.direct)) scores.set(`${channel}: direct links`, { channel, correct: correct(guess, truthOf) });

  // ---- controls: the same reading of row order against stores that do keep an order ----
  const controls = new Map<string, number>();
  const rowsBy = (councils: readonly string[]) => councils.map((c) => found.rows.find((r) => truthOf(r) === c)!);
  const adversaryPartOne = found.councilOrders['part_one_response rowid']!.order;
  for (const [label, order, councils] of [
    ['rows kept in part-one submission order, read with the part_one_response rowid order', truth.partOneOrder, adversaryPartOne],
    ['rows kept in part-two arrival order, read with the true arrival order', truth.partTwoOrder, truth.partTwoOrder],
  ] as const) {
    for (const journal of ['wal', 'delete'] as const) {
      const orders = leakyOrders(dir, `leaky-${journal}-${controls.size}.db`, rowsBy(order), journal);
      for (const [rowName, rows] of Object.entries(orders)) {
        if (rows && !rowName.endsWith('reversed')) controls.set(`${label} | ${journal} journal | ${rowName}`, correct(rankMatch(councils, rows), truthOf));
      }
    }
  }
  return { scores, controls };
};

describe('the linkage adversary, holding identifiable.db, anonymous.db, anonymous-intake.db, their WAL and shm files and the log (not server.key)', () => {
  it.each(SEEDS.map((seed, i) => [i + 1, seed]))(
    'trial %i (seed %i): 32 CSWOs in a random interleaving leave nothing that links',
    async (n, seed) => {
      // Alternately with the wave open (its answers in the intake) and closed (moved into the archive).
      results.push(await runTrial(seed, n % 2 === 1 ? 'open' : 'closed'));
    },
    60_000,
  );

  it('matches no more part-two rows to councils than chance on any channel, while the controls match nearly all', () => {
    expect(results.length).toBe(TRIALS);
    const total = new Map<string, { channel: string; correct: number }>();
    for (const r of results) {
      for (const [name, s] of r.scores) total.set(name, { channel: s.channel, correct: (total.get(name)?.correct ?? 0) + s.correct });
    }
    const controls = new Map<string, number>();
    for (const r of results) for (const [name, n] of r.controls) controls.set(name, (controls.get(name) ?? 0) + n);

    const bound = chanceBound(TRIALS);
    const byChannel = new Map<string, { name: string; correct: number }[]>();
    for (const [name, s] of total) byChannel.set(s.channel, [...(byChannel.get(s.channel) ?? []), { name, correct: s.correct }]);
    const report = [
      `Correct matches of 32 part-two rows to councils over ${TRIALS} trials (chance: about ${TRIALS}; bound ${bound.toFixed(1)}; a full link: ${32 * TRIALS})`,
      ...[...byChannel.entries()]
        .sort()
        .flatMap(([channel, list]) => [
          `${channel}: ${list.length} attacks, total ${list.reduce((s, x) => s + x.correct, 0)} over all, best ${Math.max(...list.map((x) => x.correct))} (${list.sort((a, b) => b.correct - a.correct)[0]!.name})`,
        ]),
      'controls (leaky stores, same reading):',
      ...[...controls.entries()].map(([name, n]) => `  ${name}: ${n}`),
    ];
    console.info(report.join('\n'));

    for (const channel of ['a. ids, keys and hashes', 'b. storage order', 'c. timestamps', 'd. rowids', 'e. log', 'f. WAL', 'oracle']) {
      expect(byChannel.has(channel), `channel ${channel} was attacked`).toBe(true);
    }
    for (const [name, s] of total) expect(s.correct, `${name}: ${s.correct} correct over ${TRIALS} trials`).toBeLessThanOrEqual(bound);

    // The reading of row order works when there is an order to read: select order and WAL order
    // recover every row; the byte layout recovers nearly all.
    for (const [name, n] of controls) {
      if (/select without ORDER BY|first WAL frame/.test(name)) expect(n, name).toBe(32 * TRIALS);
      // Page splits move some cells, so the layout keeps most of the order, not all: about three rows in
      // four since rows are kept by position (a third of their old size, so more of them share each
      // page that splits); chance is about one row in 32.
      if (/cell allocation/.test(name)) expect(n, name).toBeGreaterThanOrEqual(20 * TRIALS);
    }
    expect([...controls.keys()].some((k) => k.includes('first WAL frame'))).toBe(true);
    expect([...controls.keys()].some((k) => k.includes('cell allocation'))).toBe(true);
  });
});
