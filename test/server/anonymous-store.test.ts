import { definitionOfWave, findBundledWave, storedAnswers } from '../../survey-definitions/index.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { countPartTwo, insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { storeFiles } from '../../server/storage/open-stores.js';
import { applyPragmas } from '../../server/storage/sqlite-pragmas.js';
import { withFile } from '../support/sqlite-file.js';
import { useTempDirs } from '../support/temp-dir.js';
import { decodeStoredPartTwo, importRefused, importText, storeOpener, toCsv, totalCounts, WAVE_1, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

/** Spearman's rank correlation of two permutations of 0..n-1 given as rank arrays (no ties). */
const spearman = (a: readonly number[], b: readonly number[]): number => {
  const n = a.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (a[i]! - b[i]!) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
};

/** Correlation between the order `positions` are seen in and their input index (0..n-1 each once). */
const orderCorrelation = (seenInputIndexes: readonly number[]): number => {
  const n = seenInputIndexes.length;
  expect([...seenInputIndexes].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
  return spearman(
    seenInputIndexes.map((_, position) => position),
    seenInputIndexes,
  );
};

const withRawAnonymous = <T>(dir: string, work: (db: Database.Database) => T): T => {
  const db = new Database(storeFiles(join(dir, 'data')).anonymous, { readonly: true, fileMustExist: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
};

const forbiddenColumn = /time|date|token|ip|respondent|session|invit|council|local_authority|email|name|created|updated/i;

const partTwoRows = (n: number) => toCsv([['groups_involved', 'admin_support'], ...Array.from({ length: n }, (_, i) => [String(i), 'shared'])]);

describe('the anonymous store', () => {
  it('has three tables: responses (id, wave_id, answers), part-two passes (drafts and spent) keyed by a hash of their code, and a random generation per wave', async () => {
    const dir = tempDir();
    await (await opener.openIn(dir)).close();
    withRawAnonymous(dir, (db) => {
      const tables = (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((t) => t.name);
      // kysely_migration and kysely_migration_lock are Kysely's schema bookkeeping: they record which
      // migrations ran and when the schema was created, nothing about any response.
      const bookkeeping = ['kysely_migration', 'kysely_migration_lock'];
      expect(tables.filter((t) => !bookkeeping.includes(t))).toEqual(['part_two_pass', 'part_two_response', 'wave_data_version']);
      const columnsOf = (table: string) => (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
      expect(columnsOf('part_two_response')).toEqual(['id', 'wave_id', 'answers']);
      expect(columnsOf('part_two_pass')).toEqual(['credential_hash', 'wave_id', 'spent', 'section', 'answers']);
      // A random generation per wave, renewed by each write, for caches: it says nothing.
      expect(columnsOf('wave_data_version')).toEqual(['wave_id', 'generation']);
      // None of them can be put in arrival order either.
      for (const table of ['part_two_response', 'part_two_pass']) {
        expect(() => db.prepare(`select rowid from ${table}`).all()).toThrow(/no such column: rowid/);
      }
      for (const table of tables.filter((t) => !bookkeeping.includes(t))) {
        for (const { name } of db.pragma(`table_info(${table})`) as { name: string }[]) {
          expect(name, `column ${table}.${name} could identify a respondent or a time`).not.toMatch(forbiddenColumn);
        }
      }
      // Indexes may only cover those columns too.
      const indexed = (
        db.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'part_two_response' and sql is not null").all() as { name: string }[]
      ).flatMap(({ name }) => (db.pragma(`index_info(${name})`) as { name: string }[]).map((c) => c.name));
      expect(indexed).toEqual(['wave_id']);
    });
  });

  it('stores rows WITHOUT ROWID, so there is no insertion sequence to select', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await importText(stores, { wave: WAVE_2, part: 'anonymous' }, partTwoRows(3));
    withRawAnonymous(dir, (db) => {
      expect(() => db.prepare('select rowid from part_two_response').all()).toThrow(/no such column: rowid/);
      const create = db.prepare("select sql from sqlite_master where name = 'part_two_response'").get() as { sql: string };
      expect(create.sql).toMatch(/without rowid\s*$/i);
    });
  });

  it('gives every row a distinct random 128-bit hex key', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await importText(stores, { wave: WAVE_2, part: 'anonymous' }, partTwoRows(200));
    await importText(stores, { wave: WAVE_1, part: 'anonymous' }, partTwoRows(50));
    const ids = withRawAnonymous(dir, (db) => (db.prepare('select id from part_two_response').all() as { id: string }[]).map((r) => r.id));
    expect(ids).toHaveLength(250);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(250);
    // Not a sequence in disguise: sorted keys are not the insertion order.
    expect(new Set(ids.map((id) => id.slice(0, 2))).size).toBeGreaterThan(50);
  });

  it('keeps no trace of the input order: rows read back without ORDER BY are shuffled, and the WAL is emptied', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const n = 200;
    const summary = await importText(stores, { wave: WAVE_2, part: 'anonymous' }, partTwoRows(n));
    expect(summary.imported).toBe(n);

    const wal = `${storeFiles(join(dir, 'data')).anonymous}-wal`;
    // Checked while the store is still open: closing would checkpoint anyway and hide a missing scrub.
    expect(!existsSync(wal) || statSync(wal).size === 0, 'the anonymous WAL still holds the import').toBe(true);

    const seen = withRawAnonymous(dir, (db) =>
      (db.prepare('select answers from part_two_response').all() as { answers: string }[]).map(
        (r) => decodeStoredPartTwo(WAVE_2, r.answers).groups_involved as number,
      ),
    );
    const seenInWave = withRawAnonymous(dir, (db) =>
      (db.prepare('select answers from part_two_response where wave_id = ?').all(WAVE_2) as { answers: string }[]).map(
        (r) => decodeStoredPartTwo(WAVE_2, r.answers).groups_involved as number,
      ),
    );
    // For a random permutation of 200 the standard deviation of r is about 0.07: |r| >= 0.3 is a > 4 sigma event.
    expect(Math.abs(orderCorrelation(seen))).toBeLessThan(0.3);
    expect(Math.abs(orderCorrelation(seenInWave))).toBeLessThan(0.3);
  });

  it('leaves the WAL empty and every row once when many respondents write and scrub at the same time (scrubs are shared)', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const file = storeFiles(join(dir, 'data')).anonymous;
    const n = 40;
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: i, groups_chaired: 7 }]);
        await scrubArrivalOrder(stores.anonymous);
      }),
    );
    // The last write was followed by a scrub that began after it.
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
    const bytes = readFileSync(file).toString('latin1');
    const arrivals = [...bytes.matchAll(/([0-9a-f]{32})2020-06\{"groups_involved":(\d+),"groups_chaired":7\}/g)].map((m) => Number(m[2]));
    expect([...arrivals].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(Math.abs(orderCorrelation(arrivals))).toBeLessThan(0.6);
  });

  it("scrubs only the intake after a respondent's answer: the archive's file is not rewritten, however much it holds", async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const files = storeFiles(join(dir, 'data'));
    // A closed wave's part two in the archive.
    await importText(stores, { wave: WAVE_1, part: 'anonymous' }, partTwoRows(500));
    const archived = readFileSync(files.anonymous);
    const n = 40;
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: i, groups_chaired: 7 }], 'intake');
        expect(await scrubArrivalOrder(stores.anonymous, 'intake')).toBe('done');
      }),
    );
    // The answers are in the intake, once each, in no order of arrival; its WAL is empty.
    expect(!existsSync(`${files.intake}-wal`) || statSync(`${files.intake}-wal`).size === 0).toBe(true);
    const arrivals = [
      ...readFileSync(files.intake)
        .toString('latin1')
        .matchAll(/([0-9a-f]{32})2020-06\{"groups_involved":(\d+),"groups_chaired":7\}/g),
    ].map((m) => Number(m[2]));
    expect([...arrivals].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(Math.abs(orderCorrelation(arrivals))).toBeLessThan(0.6);
    // The archive's bytes are as they were: nothing wrote or rewrote it (the control: a whole scrub,
    // with nothing new to write, does rewrite it).
    expect(readFileSync(files.anonymous).equals(archived)).toBe(true);
    expect(await scrubArrivalOrder(stores.anonymous, 'whole')).toBe('done');
    expect(readFileSync(files.anonymous).equals(archived)).toBe(false);
  });

  it('keeps answers in 8 KiB pages, where a row fits without an overflow page, and moves a store of 4 KiB pages to them when it can', async () => {
    const dir = tempDir();
    let stores = await opener.openIn(dir);
    const files = storeFiles(stores.location);
    await importText(stores, { wave: WAVE_1, part: 'anonymous' }, partTwoRows(300));
    await stores.close();
    const pageSize = (file: string) => withFile(file, (db) => db.pragma('page_size', { simple: true }));
    expect([pageSize(files.anonymous), pageSize(files.intake)]).toEqual([8192, 8192]);
    // A store made before (4 KiB pages), opened while another connection has it: it opens as it is.
    withFile(files.anonymous, (db) => {
      db.pragma('journal_mode = DELETE');
      db.pragma('page_size = 4096');
      db.exec('vacuum');
      db.pragma('journal_mode = WAL');
    });
    const other = new Database(files.anonymous);
    other.prepare('select count(*) from part_two_response').get();
    stores = await opener.openIn(dir);
    expect(await countPartTwo(stores.anonymous, WAVE_1)).toBe(300);
    await stores.close();
    other.close();
    expect(pageSize(files.anonymous)).toBe(4096);
    // Alone with it, the next opening rewrites it in 8 KiB pages, every answer kept, still in WAL mode.
    stores = await opener.openIn(dir);
    expect(await countPartTwo(stores.anonymous, WAVE_1)).toBe(300);
    await stores.close();
    expect(pageSize(files.anonymous)).toBe(8192);
    expect(withFile(files.anonymous, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('keeps no trace of arrival order in the file bytes when answers arrive one at a time', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const n = 200;
    // Each import is its own transaction, like a respondent submitting a form: arrival order = i.
    for (let i = 0; i < n; i++) {
      await importText(
        stores,
        { wave: WAVE_2, part: 'anonymous' },
        toCsv([
          ['groups_chaired', 'groups_involved'],
          ['7', String(i)],
        ]),
      );
    }
    const file = storeFiles(join(dir, 'data')).anonymous;
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
    // The row as stored (by position: survey-definitions/stored-answers.ts), the arrival number in it.
    const stored = storedAnswers(definitionOfWave(findBundledWave(WAVE_2)!), 'anonymous').encode({ groups_involved: 987654321, groups_chaired: 7 });
    const cellPattern = new RegExp(`([0-9a-f]{32})2020-06${stored.replace(/[[\]]/g, '\\$&').replace('987654321', '(\\d+)')}`, 'g');
    // Where each answer physically sits in the database file, as someone copying the file would see it.
    const bytes = readFileSync(file).toString('latin1');
    const cells = [...bytes.matchAll(cellPattern)].map((m) => ({ key: m[1]!, arrival: Number(m[2]) }));
    // Each answer exactly once: no stale copy of a cell left behind in free space.
    expect(cells.map((c) => c.arrival).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    // SQLite keeps rows in key order across pages, but inside a page it places each new cell below the
    // ones already there, so the byte layout is where arrival order would show. After the scrub the
    // layout must depend on the rows alone: the same rows written in the opposite order to a fresh
    // store and vacuumed lie in the file exactly the same way.
    const referenceDir = tempDir();
    await (await opener.openIn(referenceDir)).close();
    const referenceFile = storeFiles(join(referenceDir, 'data')).anonymous;
    const reference = new Database(referenceFile);
    applyPragmas(reference);
    try {
      const rows = withRawAnonymous(
        dir,
        (db) => db.prepare('select id, wave_id, answers from part_two_response').all() as { id: string; wave_id: string; answers: string }[],
      );
      const arrival = (r: { answers: string }) => decodeStoredPartTwo(WAVE_2, r.answers).groups_involved as number;
      const byLateArrival = rows.sort((x, y) => arrival(y) - arrival(x));
      const insert = reference.prepare('insert into part_two_response (id, wave_id, answers) values (?, ?, ?)');
      reference.transaction(() => byLateArrival.forEach((r) => insert.run(r.id, r.wave_id, r.answers)))();
      reference.exec('vacuum');
      reference.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      reference.close();
    }
    const referenceKeys = [...readFileSync(referenceFile).toString('latin1').matchAll(cellPattern)].map((m) => m[1]);
    expect(cells.map((c) => c.key)).toEqual(referenceKeys);
    // And so the byte order says nothing about arrival (|r| >= 0.3 is a > 4 sigma event for n = 200).
    expect(Math.abs(orderCorrelation(cells.map((c) => c.arrival)))).toBeLessThan(0.3);
  });

  it('leaves no refused answer in the WAL or the database file when a large import is refused', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await importText(stores, { wave: WAVE_2, part: 'anonymous' }, toCsv([['final_reflections'], ['kept answer']]));
    // A tiny page cache makes SQLite spill the uncommitted rows to the WAL, as a very large file would.
    await sql`pragma cache_size = 10`.execute(stores.anonymous);
    const rows = Array.from({ length: 2000 }, (_, i) => [String(i), `refused answer ${i}`]);
    const error = await importRefused(
      stores,
      { wave: WAVE_2, part: 'anonymous' },
      toCsv([['groups_involved', 'final_reflections'], ...rows, ['many', 'last']]),
    );
    expect(error.problems).toEqual(['row 2002, column groups_involved: expected a whole number of at least 0, got "many"']);
    expect(await totalCounts(stores)).toEqual({ identifiable: 0, anonymous: 1, allIdentifiable: 0, allAnonymous: 1 });
    const file = storeFiles(join(dir, 'data')).anonymous;
    // Checked with the store still open, as a running server would leave it.
    const wal = existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).toString('latin1') : '';
    expect(wal.includes('refused answer'), 'the WAL still holds refused answers').toBe(false);
    const db = readFileSync(file).toString('latin1');
    expect(db.includes('refused answer')).toBe(false);
    expect(db.includes('kept answer')).toBe(true);
  });

  it.each(['local_authority', 'name', 'email'])('refuses an anonymous CSV with an identifying column %s, naming it', async (column) => {
    const stores = await opener.openIn(tempDir());
    const error = await importRefused(
      stores,
      { wave: WAVE_2, part: 'anonymous' },
      toCsv([
        ['groups_involved', column],
        ['3', column === 'local_authority' ? 'fife' : 'x@y.org'],
      ]),
    );
    expect(error.problems).toEqual([`header: column "${column}" belongs to the identifiable part, not the anonymous part (check --part)`]);
    expect(await totalCounts(stores)).toEqual({ identifiable: 0, anonymous: 0, allIdentifiable: 0, allAnonymous: 0 });
  });

  it('refuses an id column, so a key cannot be smuggled in from elsewhere', async () => {
    const stores = await opener.openIn(tempDir());
    const error = await importRefused(
      stores,
      { wave: WAVE_2, part: 'anonymous' },
      toCsv([
        ['id', 'groups_involved'],
        ['abc', '3'],
      ]),
    );
    expect(error.problems).toEqual(['header: unknown column "id": expected item ids of the anonymous part of cswo-annual@2']);
  });

  it('stores only the answers given, by position in the part, with no item ids', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await importText(
      stores,
      { wave: WAVE_2, part: 'anonymous' },
      toCsv([
        ['groups_involved', 'admin_support', 'covid_reflections'],
        ['4', '', 'hard'],
      ]),
    );
    const rows = withRawAnonymous(dir, (db) => db.prepare('select wave_id, answers from part_two_response').all() as { wave_id: string; answers: string }[]);
    const byPosition = storedAnswers(definitionOfWave(findBundledWave(WAVE_2)!), 'anonymous');
    const at = (id: string) => byPosition.itemIds.indexOf(id);
    const expected: unknown[] = Array.from({ length: at('covid_reflections') + 1 }, () => null);
    expected[at('groups_involved')] = 4;
    expected[at('covid_reflections')] = 'hard';
    expect(rows).toEqual([{ wave_id: WAVE_2, answers: JSON.stringify(expected) }]);
    expect(decodeStoredPartTwo(WAVE_2, rows[0]!.answers)).toEqual({ groups_involved: 4, covid_reflections: 'hard' });
  });
});
