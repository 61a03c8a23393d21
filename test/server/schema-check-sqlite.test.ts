import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { seedBundledData } from '../../server/csv/bundled-data.js';
import { storeFiles } from '../../server/storage/open-stores.js';
import { withFile } from '../support/sqlite-file.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, storeOpener } from './helpers.js';

/**
 * The schema check where only SQLite has something to say: objects named like SQLite's own (which no
 * statement may create, but anyone editing the file's bytes can), the statistics tables ANALYZE makes,
 * and backups, which are SQLite files: restore refuses a backup whose store holds the attack trigger.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

type Which = 'identifiable' | 'anonymous' | 'intake';

/** A fresh data directory, with `statements` run on one store through the file, and every connection closed. */
const dataDirWith = async (which: Which, statements: readonly string[]) => {
  const dir = tempDir();
  const stores = await opener.openIn(dir);
  await stores.close();
  withFile(storeFiles(stores.location)[which], (db) => {
    for (const statement of statements) db.exec(statement);
  });
  return { dir, dataDir: stores.location, file: storeFiles(stores.location)[which] };
};

/**
 * Renames an object by editing the file's bytes: SQLite refuses names starting `sqlite_` to every
 * statement (and better-sqlite3 to writable_schema), but reads whatever the file holds.
 */
const renameInFile = (file: string, from: string, to: string) => {
  expect(from).toHaveLength(to.length);
  const bytes = readFileSync(file);
  let count = 0;
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) {
    bytes.write(to, at, 'latin1');
    count++;
  }
  expect(count).toBeGreaterThan(0);
  writeFileSync(file, bytes);
};

const refusal = opener.refusalIn;

const arrivalTrigger = [
  'create table part_two_arrival_log (at text not null)',
  `create trigger part_two_arrival after insert on part_two_response
     begin insert into part_two_arrival_log values (strftime('%Y-%m-%d %H:%M:%f', 'now')); end`,
];

/** What the trigger recorded after one answer is written straight into the file (no check in the way). */
const arrivalsAfterOneAnswer = (file: string, logTable: string) =>
  withFile(file, (db) => {
    db.prepare("insert into part_two_response (id, wave_id, answers) values ('a1', '2020-06', '{}')").run();
    return db.prepare(`select at from ${logTable}`).all() as { at: string }[];
  });

describe('the schema check on SQLite', () => {
  it('accepts the statistics tables ANALYZE makes, in every store', async () => {
    const { dir } = await dataDirWith('anonymous', ['analyze']);
    const dataDir = join(dir, 'data');
    for (const file of [storeFiles(dataDir).identifiable, storeFiles(dataDir).intake]) withFile(file, (db) => db.exec('analyze'));
    for (const file of Object.values(storeFiles(dataDir))) {
      expect(withFile(file, (db) => db.prepare("select name from sqlite_master where name like 'sqlite_stat%'").all()).length).toBeGreaterThan(0);
    }
    await opener.openIn(dir);
  });

  it('the control: a trigger given an internal name by editing the file still runs, and records arrivals', async () => {
    const { file } = await dataDirWith('anonymous', [
      'create table zqlite_arrivals (at text)',
      `create trigger zqlite_autoindex_part_two_response_7 after insert on part_two_response
         begin insert into zqlite_arrivals values (strftime('%s', 'now')); end`,
    ]);
    renameInFile(file, 'zqlite_autoindex_part_two_response_7', 'sqlite_autoindex_part_two_response_7');
    renameInFile(file, 'zqlite_arrivals', 'sqlite_arrivals');
    const copy = `${file}.copy`;
    copyFileSync(file, copy);
    expect(arrivalsAfterOneAnswer(copy, 'sqlite_arrivals')).toHaveLength(1);
  });

  it('refuses that trigger, named as SQLite would name an index: no name is trusted for being internal', async () => {
    const { dir, file } = await dataDirWith('anonymous', [
      'create table zqlite_arrivals (at text)',
      `create trigger zqlite_autoindex_part_two_response_7 after insert on part_two_response
         begin insert into zqlite_arrivals values (strftime('%s', 'now')); end`,
    ]);
    renameInFile(file, 'zqlite_autoindex_part_two_response_7', 'sqlite_autoindex_part_two_response_7');
    renameInFile(file, 'zqlite_arrivals', 'sqlite_arrivals');
    const message = await refusal(dir);
    expect(message).toContain('the anonymous store holds a trigger sqlite_autoindex_part_two_response_7 on part_two_response that this platform does not make');
    expect(message).toContain('table sqlite_arrivals');
  });

  it("refuses the anonymous intake (anonymous-intake.db, the open waves' part two) holding an arrival trigger, which would time each answer", async () => {
    const { dir, file } = await dataDirWith('intake', arrivalTrigger);
    // The control: the trigger does record each answer written into that file.
    const copy = `${file}.copy`;
    copyFileSync(file, copy);
    expect(arrivalsAfterOneAnswer(copy, 'part_two_arrival_log')).toHaveLength(1);
    const message = await refusal(dir);
    expect(message).toMatch(/^the anonymous intake store holds a trigger part_two_arrival on part_two_response that this platform does not make/);
  });

  it('refuses a sqlite_sequence table in the anonymous store, where no migration makes one', async () => {
    const { dir, file } = await dataDirWith('anonymous', ['create table zqlite_sequence(name,seq)']);
    renameInFile(file, 'zqlite_sequence', 'sqlite_sequence');
    expect(await refusal(dir)).toBe('the anonymous store holds a table sqlite_sequence that this platform does not make: refusing to open it');
  });

  it('refuses a statistics table that is not as SQLite makes it', async () => {
    const { dir, file } = await dataDirWith('identifiable', ['create table zqlite_stat1(tbl,idx,stat,seen_at)']);
    renameInFile(file, 'zqlite_stat1', 'sqlite_stat1');
    expect(await refusal(dir)).toContain('the identifiable store holds a column seen_at in sqlite_stat1 that this platform does not make');
  });
});

describe('backup and restore with the schema check', () => {
  /** A backup of a seeded data directory, and the same backup with the attack trigger added to its anonymous store. */
  const backups = async () => {
    const stores = await opener.openIn(tempDir());
    await seedBundledData(stores);
    await stores.close();
    const clean = join(tempDir(), 'clean.zip');
    const made = await cli(stores.location, ['backup', '--data', stores.location, '--out', clean]);
    expect(made.code, made.stderr).toBe(0);
    const members = unzipSync(readFileSync(clean));
    const work = tempDir();
    const anonymous = join(work, 'anonymous.db');
    writeFileSync(anonymous, members['anonymous.db']!);
    withFile(anonymous, (db) => {
      for (const statement of arrivalTrigger) db.exec(statement);
    });
    const evil = join(work, 'evil.zip');
    writeFileSync(
      evil,
      zipSync({ 'backup.json': members['backup.json']!, 'identifiable.db': members['identifiable.db']!, 'anonymous.db': readFileSync(anonymous) }),
    );
    return { clean, evil, anonymous };
  };

  it('the control: the anonymous store in the doctored backup records when answers arrive', async () => {
    const { anonymous } = await backups();
    expect(arrivalsAfterOneAnswer(anonymous, 'part_two_arrival_log')).toHaveLength(1);
  });

  it('refuses to restore it, naming the trigger, and leaves the data directory as it was', async () => {
    const { clean, evil } = await backups();
    const target = await opener.openIn(tempDir());
    await target.close();
    const files = storeFiles(target.location);
    const before = Object.values(files).map((f) => readFileSync(f));
    const listing = readdirSync(target.location).sort();

    const refused = await cli(target.location, ['restore', '--data', target.location, '--from', evil, '--replace']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: the anonymous store in the backup holds a trigger part_two_arrival on part_two_response that this platform does not make; ' +
        'it holds a table part_two_arrival_log that this platform does not make: refusing to restore it\n',
    );
    expect(Object.values(files).map((f) => readFileSync(f))).toEqual(before);
    expect(readdirSync(target.location).sort()).toEqual(listing);

    const empty = join(tempDir(), 'data');
    expect((await cli(empty, ['restore', '--data', empty, '--from', evil])).code).toBe(1);
    for (const file of Object.values(storeFiles(empty))) expect(existsSync(file)).toBe(false);

    // The same backup untouched restores.
    const restored = await cli(target.location, ['restore', '--data', target.location, '--from', clean, '--replace']);
    expect(restored.code, restored.stderr).toBe(0);
  });

  it('refuses to back up a store holding it, naming it, and writes no backup', async () => {
    const stores = await opener.openIn(tempDir());
    for (const statement of arrivalTrigger) await sql.raw(statement).execute(stores.anonymous);
    await stores.close();
    const out = join(tempDir(), 'b.zip');
    const refused = await cli(stores.location, ['backup', '--data', stores.location, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: the anonymous store holds a trigger part_two_arrival on part_two_response that this platform does not make');
    expect(refused.stderr).toMatch(/: refusing to back it up \(a restore would refuse it too\)\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
