import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStores, storeFiles } from '../../server/storage/open-stores.js';
import { applyPragmas, checkPragmas, StoreStartupError } from '../../server/storage/sqlite-pragmas.js';
import { useTempDirs } from '../support/temp-dir.js';
import { importText, storeOpener, toCsv, totalCounts, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

/** journal_mode=wal is a property of the file, so a fresh connection sees it too. */
const journalModeOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('journal_mode', { simple: true });
  } finally {
    db.close();
  }
};

describe('openStores', () => {
  it('creates a missing data directory and the two store files', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    expect(existsSync(dataDir)).toBe(false);
    const stores = await openStores({ dataDir });
    try {
      const files = storeFiles(dataDir);
      expect(files.identifiable).toBe(join(dataDir, 'identifiable.db'));
      expect(files.anonymous).toBe(join(dataDir, 'anonymous.db'));
      expect(statSync(dataDir).isDirectory()).toBe(true);
      expect(statSync(files.identifiable).isFile()).toBe(true);
      expect(statSync(files.anonymous).isFile()).toBe(true);
      expect(stores.location).toBe(dataDir);
      // Answers are readable by the service's user only.
      expect(statSync(files.identifiable).mode & 0o777).toBe(0o600);
      expect(statSync(files.anonymous).mode & 0o777).toBe(0o600);
    } finally {
      await stores.close();
    }
  });

  it('keeps identifiable and anonymous tables in their own files', async () => {
    const dataDir = join(tempDir(), 'data');
    await (await openStores({ dataDir })).close();
    const tables = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return (
          db.prepare("select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by name").all() as {
            name: string;
          }[]
        ).map((r) => r.name);
      } finally {
        db.close();
      }
    };
    const files = storeFiles(dataDir);
    expect(tables(files.identifiable)).toEqual([
      'audit_event',
      'definition_draft',
      'invitation',
      'invitation_link',
      'mail_outbox',
      'mail_template',
      'part_one_draft',
      'part_one_response',
      'privacy_notice',
      'published_definition',
      'rate_limit',
      'respondent_session',
      'roster',
      'sign_in_attempt',
      'staff_session',
      'staff_user',
      'text_release',
      'wave',
      'wave_data_version',
      'wave_retention',
      'wave_status',
    ]);
    expect(tables(files.anonymous)).toEqual(['part_two_pass', 'part_two_response', 'wave_data_version']);
  });

  it.each(['identifiable', 'anonymous'] as const)('sets and keeps the safety pragmas on the %s store', async (which) => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    const db = stores[which];
    const pragma = async (name: string) => {
      const result = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db);
      return Object.values(result.rows[0] ?? {})[0];
    };
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('secure_delete')).toBe(1);
    expect(journalModeOf(storeFiles(join(dir, 'data'))[which])).toBe('wal');
  });

  it('is idempotent: opening again keeps the data and runs each migration once', async () => {
    const dir = tempDir();
    const first = await opener.openIn(dir);
    await importText(first, { wave: WAVE_2, part: 'identifiable' }, toCsv([['local_authority'], ['fife']]));
    await importText(first, { wave: WAVE_2, part: 'anonymous' }, toCsv([['groups_involved'], ['3']]));
    await first.close();

    const second = await opener.openIn(dir);
    await second.close();
    const third = await opener.openIn(dir);
    expect(await totalCounts(third)).toEqual({ identifiable: 1, anonymous: 1, allIdentifiable: 1, allAnonymous: 1 });
    const migrations = async (db: Kysely<any>) =>
      (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
    expect(await migrations(third.identifiable)).toEqual([
      '0001-part-one-response',
      '0002-respondent-journey',
      '0003-staff-accounts',
      '0004-waves',
      '0005-text-release',
      '0006-rate-limits',
      '0007-data-version',
      '0008-sign-in-devices',
      '0009-part-two-receipt',
      '0010-wave-closing-date',
      '0011-published-definitions',
      '0012-definition-drafts',
      '0013-invitations-by-email',
      '0014-privacy-notice',
      '0015-wave-retention',
    ]);
    expect(await migrations(third.anonymous)).toEqual(['0001-part-two-response', '0002-part-two-drafts', '0003-data-version', '0004-part-two-pass']);
  });

  it('refuses to start, naming the path, when the data directory cannot be created', async () => {
    const dir = tempDir();
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const attempt = openStores({ dataDir: join(blocker, 'data') });
    await expect(attempt).rejects.toBeInstanceOf(StoreStartupError);
    await expect(openStores({ dataDir: join(blocker, 'data') })).rejects.toThrow(/cannot create the data directory .*a-file/);
  });
});

describe('checkPragmas', () => {
  const rawConnection = (configure: (db: Database.Database) => void) => {
    const db = new Database(join(tempDir(), 'raw.db'));
    applyPragmas(db);
    configure(db);
    return db;
  };

  const refusal = (db: Database.Database): StoreStartupError => {
    try {
      checkPragmas(db, 'test');
    } catch (error) {
      expect(error).toBeInstanceOf(StoreStartupError);
      return error as StoreStartupError;
    } finally {
      db.close();
    }
    throw new Error('checkPragmas accepted a connection it should refuse');
  };

  it('accepts a connection with the expected pragmas', () => {
    const db = rawConnection(() => {});
    try {
      expect(() => checkPragmas(db, 'test')).not.toThrow();
    } finally {
      db.close();
    }
  });

  it('refuses journal_mode=DELETE, naming the pragma and its value', () => {
    const error = refusal(rawConnection((db) => db.pragma('journal_mode = DELETE')));
    expect(error.message).toMatch(/^refusing to open the test store: /);
    expect(error.message).toContain('journal_mode is delete');
    expect(error.message).not.toContain('synchronous');
  });

  it('refuses synchronous=NORMAL, naming the pragma', () => {
    const error = refusal(rawConnection((db) => db.pragma('synchronous = NORMAL')));
    expect(error.message).toContain('synchronous is 1, expected FULL');
    expect(error.message).not.toContain('journal_mode');
  });

  it('refuses foreign_keys=OFF and secure_delete=OFF, listing both', () => {
    const error = refusal(
      rawConnection((db) => {
        db.pragma('foreign_keys = OFF');
        db.pragma('secure_delete = OFF');
      }),
    );
    expect(error.message).toContain('foreign_keys is 0');
    expect(error.message).toContain('secure_delete is 0');
  });

  it('refuses an in-memory database, which cannot use WAL', () => {
    const db = new Database(':memory:');
    applyPragmas(db);
    const error = refusal(db);
    expect(error.message).toContain('journal_mode is memory');
  });
});
