import Database from 'better-sqlite3';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAuditEvent, listAuditEvents } from '../../server/storage/audit-log-store.js';
import { storeFiles } from '../../server/storage/open-stores.js';
import { countStaffUsers, DuplicateStaffEmail, findStaffUserByEmail, insertStaffUser, listStaffUsers } from '../../server/storage/staff-user-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';
import { addStaff } from './staff-helpers.js';
import pg from 'pg';
import { databasesFor, onPostgres } from '../support/test-databases.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

describe('the audit log', () => {
  it('is append-only: the store refuses UPDATE and DELETE of an event', async () => {
    const stores = await opener.openIn(tempDir());
    await appendAuditEvent(stores.identifiable, { at: 1, actor: null, action: 'test.first', detail: { n: 1 } });
    await appendAuditEvent(stores.identifiable, { at: 2, actor: null, action: 'test.second' });
    const db = stores.identifiable;
    await expect(db.updateTable('audit_event').set({ action: 'test.changed' }).where('action', '=', 'test.first').execute()).rejects.toThrow(
      'audit_event is append-only: an event cannot be changed',
    );
    await expect(db.deleteFrom('audit_event').where('action', '=', 'test.first').execute()).rejects.toThrow(
      'audit_event is append-only: an event cannot be deleted',
    );
    await expect(sql`delete from audit_event`.execute(db)).rejects.toThrow('append-only');
    // Nor inside a transaction that tries to slip a change in with other work.
    await expect(
      db.transaction().execute(async (trx) => {
        await appendAuditEvent(trx, { at: 3, actor: null, action: 'test.third' });
        await trx.updateTable('audit_event').set({ detail: '{}' }).execute();
      }),
    ).rejects.toThrow('append-only');
    expect((await listAuditEvents(db)).map(({ id, at, action, detail }) => ({ id, at, action, detail }))).toEqual([
      { id: 1, at: 1, action: 'test.first', detail: { n: 1 } },
      { id: 2, at: 2, action: 'test.second', detail: {} },
    ]);
  });

  it('refuses changes from any other connection to the store too', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await appendAuditEvent(stores.identifiable, { actor: null, action: 'test.event' });
    await stores.close();
    if (onPostgres()) {
      const raw = new pg.Client({ connectionString: (await databasesFor(join(dir, 'data'))).databaseUrl });
      await raw.connect();
      try {
        await expect(raw.query("update audit_event set action = 'x'")).rejects.toThrow(/append-only: an event cannot be changed/);
        await expect(raw.query('delete from audit_event')).rejects.toThrow(/append-only: an event cannot be deleted/);
        await expect(raw.query('truncate audit_event')).rejects.toThrow(/append-only/);
        expect((await raw.query('select action from audit_event')).rows).toEqual([{ action: 'test.event' }]);
      } finally {
        await raw.end();
      }
      return;
    }
    const raw = new Database(storeFiles(join(dir, 'data')).identifiable);
    try {
      expect(() => raw.prepare("update audit_event set action = 'x'").run()).toThrow(/append-only/);
      expect(() => raw.prepare('delete from audit_event').run()).toThrow(/append-only/);
      const triggers = raw.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_event' order by name").all();
      expect(triggers).toEqual([{ name: 'audit_event_no_delete' }, { name: 'audit_event_no_update' }]);
    } finally {
      raw.close();
    }
  });

  it('numbers events in sequence and filters by action and time', async () => {
    const stores = await opener.openIn(tempDir());
    for (const [at, action] of [
      [10, 'a'],
      [20, 'b'],
      [30, 'a'],
    ] as const)
      await appendAuditEvent(stores.identifiable, { at, actor: null, action });
    const events = await listAuditEvents(stores.identifiable);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3]);
    expect((await listAuditEvents(stores.identifiable, { actions: ['a'] })).map((e) => e.at)).toEqual([10, 30]);
    expect((await listAuditEvents(stores.identifiable, { since: 20 })).map((e) => e.action)).toEqual(['b', 'a']);
    expect((await listAuditEvents(stores.identifiable, { limit: 1 })).map((e) => e.action)).toEqual(['a']);
  });
});

describe('staff accounts in the store', () => {
  it('keeps emails lower-cased and unique, whatever the case they are given in', async () => {
    const stores = await opener.openIn(tempDir());
    const ann = await addStaff(stores, '  Ann@Example.ORG ', 'admin');
    expect(ann).toMatchObject({ email: 'ann@example.org', role: 'admin', disabled: false });
    expect(ann.id).toMatch(/^[0-9a-f]{32}$/);
    await expect(addStaff(stores, 'ANN@example.org')).rejects.toThrow(DuplicateStaffEmail);
    expect(await findStaffUserByEmail(stores.identifiable, 'ann@EXAMPLE.org')).toEqual(ann);
    expect(await countStaffUsers(stores.identifiable)).toBe(1);
    // The schema enforces it even for a writer that forgets to normalise.
    await expect(
      stores.identifiable
        .insertInto('staff_user')
        .values({ id: 'x', email: 'Bob@example.org', role: 'admin', password_hash: 'h', disabled: 0, created_at: 0 })
        .execute(),
    ).rejects.toThrow(/CHECK constraint|violates check constraint/);
    await expect(
      stores.identifiable
        .insertInto('staff_user')
        .values({ id: 'y', email: 'bob@example.org', role: 'owner' as 'admin', password_hash: 'h', disabled: 0, created_at: 0 })
        .execute(),
    ).rejects.toThrow(/CHECK constraint|violates check constraint/);
  });

  it('never hands out password hashes when listing or finding accounts', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, 'ann@example.org');
    await insertStaffUser(stores.identifiable, { email: 'bob@example.org', role: 'researcher', passwordHash: '$argon2id$fake' });
    const listed = await listStaffUsers(stores.identifiable);
    expect(listed.map((u) => Object.keys(u).sort())).toEqual([
      ['createdAt', 'disabled', 'email', 'id', 'role'],
      ['createdAt', 'disabled', 'email', 'id', 'role'],
    ]);
    expect(JSON.stringify(listed)).not.toContain('argon2');
  });

  it('has staff tables with staff columns only, nothing that could refer to a respondent', async () => {
    const stores = await opener.openIn(tempDir());
    const columns = async (table: string) =>
      onPostgres()
        ? (
            await sql<{
              name: string;
            }>`select column_name as name from information_schema.columns where table_name = ${table} order by ordinal_position`.execute(stores.identifiable)
          ).rows.map((c) => c.name)
        : (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(stores.identifiable)).rows.map((c) => c.name);
    expect(await columns('staff_user')).toEqual(['id', 'email', 'role', 'password_hash', 'disabled', 'created_at']);
    expect(await columns('staff_session')).toEqual(['token_hash', 'user_id', 'created_at', 'last_seen_at', 'expires_at']);
    expect(await columns('sign_in_attempt')).toEqual(['id', 'at', 'email', 'client', 'device', 'ordinal']);
    expect(await columns('audit_event')).toEqual(['id', 'at', 'actor', 'action', 'detail']);
    const references = async (table: string) =>
      onPostgres()
        ? (
            await sql<{ table: string }>`select ccu.table_name as table from information_schema.table_constraints tc
              join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
              where tc.table_name = ${table} and tc.constraint_type = 'FOREIGN KEY'`.execute(stores.identifiable)
          ).rows.map((f) => f.table)
        : (await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${table})`.execute(stores.identifiable)).rows.map((f) => f.table);
    for (const table of ['staff_user', 'staff_session', 'sign_in_attempt', 'audit_event']) {
      expect((await references(table)).every((t) => t === 'staff_user')).toBe(true);
    }
    expect(await references('staff_session')).toEqual(['staff_user']);
  });
});
