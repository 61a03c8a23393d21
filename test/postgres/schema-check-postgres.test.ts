import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreStartupError } from '../../server/storage/sqlite-pragmas.js';
import { useTempDirs } from '../support/temp-dir.js';
import { databasesFor, onPostgres } from '../support/test-databases.js';
import { storeOpener } from '../server/helpers.js';

/**
 * The schema check where PostgreSQL has more that can run code on a write than SQLite: functions, rules,
 * row policies, triggers it makes itself for foreign keys, publications, and other schemas on the
 * search path that the app's unqualified names could be made to resolve to.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

type Which = 'identifiable' | 'anonymous';

const tamper = async (dir: string, which: Which, statements: readonly string[]) => {
  const stores = await opener.openIn(dir);
  for (const statement of statements) await sql.raw(statement).execute(stores[which]);
  await stores.close();
};

const refusal = async (dir: string): Promise<string> => {
  try {
    await opener.openIn(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(StoreStartupError);
    const message = (error as Error).message;
    expect(message).toMatch(/: refusing to open it$/);
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the stores opened, but they should have been refused');
};

/** A plain client on one store's database, outside the app and its check. */
const client = async (dir: string, which: Which) => {
  const urls = await databasesFor(join(dir, 'data'));
  const c = new pg.Client({ connectionString: which === 'identifiable' ? urls.databaseUrl : urls.anonymousDatabaseUrl });
  await c.connect();
  return c;
};

const insertAnswer = "insert into part_two_response (id, wave_id, answers) values ('a1', '2020-06', '{}')";

describe('the schema check on PostgreSQL', () => {
  it('runs in the postgres project', () => {
    expect(onPostgres()).toBe(true);
  });

  it('lets servers starting together on fresh databases all open: each sees a migration whole or not at all', async () => {
    const dir = tempDir();
    const opened = await Promise.allSettled([opener.openIn(dir), opener.openIn(dir), opener.openIn(dir)]);
    expect(opened.map((o) => (o.status === 'rejected' ? String(o.reason) : 'opened'))).toEqual(['opened', 'opened', 'opened']);
  });

  it('leaves no scratch schema behind, whether it accepts or refuses', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', ['create table part_two_arrival_log (at timestamptz)']);
    await refusal(dir);
    const c = await client(dir, 'anonymous');
    try {
      expect((await c.query("select nspname from pg_namespace where nspname like 'cswo_schema_check_%'")).rows).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('refuses an extra function', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', ["create function part_two_clock() returns timestamptz language sql as 'select clock_timestamp()'"]);
    expect(await refusal(dir)).toBe('the anonymous store holds a function part_two_clock() that this platform does not make: refusing to open it');
  });

  it('the control: a rule added to part two announces every arrival to a listener when nothing checks', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', ['create rule part_two_notify as on insert to part_two_response do also notify part_two_arrivals']);
    const listener = await client(dir, 'anonymous');
    const writer = await client(dir, 'anonymous');
    try {
      const heard = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.channel)));
      await listener.query('listen part_two_arrivals');
      await writer.query(insertAnswer);
      expect(await heard).toBe('part_two_arrivals');
    } finally {
      await listener.end();
      await writer.end();
    }
  });

  it('refuses that rule, naming it', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', ['create rule part_two_notify as on insert to part_two_response do also notify part_two_arrivals']);
    expect(await refusal(dir)).toBe(
      'the anonymous store holds a rule part_two_notify on part_two_response that this platform does not make: refusing to open it',
    );
  });

  it('refuses a row policy, and row security turned on', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', ['alter table part_two_response enable row level security', 'create policy part_two_all on part_two_response using (true)']);
    const message = await refusal(dir);
    expect(message).toContain('the anonymous store holds a policy part_two_all on part_two_response that this platform does not make');
    expect(message).toContain('holds a table part_two_response that is not as this platform makes it');
  });

  it('refuses a publication of part two, which would stream each arrival to a subscriber', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', ['create publication part_two_feed for table part_two_response']);
    expect(await refusal(dir)).toBe(
      'the anonymous store holds a publication part_two_feed of part_two_response that this platform does not make: refusing to open it',
    );
  });

  it('refuses the audit log function rewritten to let events be changed', async () => {
    const dir = tempDir();
    await tamper(dir, 'identifiable', ['create or replace function audit_event_append_only() returns trigger language plpgsql as $$ begin return new; end $$']);
    expect(await refusal(dir)).toBe(
      'the identifiable store holds a function audit_event_append_only() that is not as this platform makes it: refusing to open it',
    );
  });

  it('refuses the audit log trigger disabled', async () => {
    const dir = tempDir();
    await tamper(dir, 'identifiable', ['alter table audit_event disable trigger audit_event_no_change']);
    expect(await refusal(dir)).toBe(
      'the identifiable store holds a trigger audit_event_no_change on audit_event that is not as this platform makes it: refusing to open it',
    );
  });

  it('compares the triggers PostgreSQL makes for foreign keys too: disabled, they are refused', async () => {
    const dir = tempDir();
    await tamper(dir, 'identifiable', ['alter table invitation disable trigger all']);
    const message = await refusal(dir);
    expect(message).toMatch(/holds a trigger RI_FKey_\w+ that PostgreSQL made for constraint \w+ on invitation that is not as this platform makes it/);
  });

  it('refuses a trigger named as PostgreSQL names its own: no name is trusted for being internal', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', [
      'create trigger "RI_ConstraintTrigger_a_16999" before update on part_two_response for each row execute function suppress_redundant_updates_trigger()',
    ]);
    expect(await refusal(dir)).toBe(
      'the anonymous store holds a trigger RI_ConstraintTrigger_a_16999 on part_two_response that this platform does not make: refusing to open it',
    );
  });

  it('refuses a function in another schema on the search path', async () => {
    const dir = tempDir();
    const c = await client(dir, 'anonymous');
    try {
      const database = (await c.query<{ d: string }>('select current_database() as d')).rows[0]!.d;
      await tamper(dir, 'anonymous', [
        'create schema part_two_extra',
        "create function part_two_extra.part_two_clock() returns timestamptz language sql as 'select clock_timestamp()'",
        `alter database ${database} set search_path = public, part_two_extra`,
      ]);
    } finally {
      await c.end();
    }
    expect(await refusal(dir)).toBe(
      'the anonymous store holds a function part_two_clock() in schema part_two_extra (on its search path) that this platform does not make: refusing to open it',
    );
  });

  it("refuses a schema named after the app's role, which would come first on the search path", async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', ['create schema authorization current_user', 'create view part_two_response as select * from public.part_two_response']);
    // The app's unqualified names would now reach the view; its own tables are the other schema's.
    expect(await refusal(dir)).toMatch(
      /^the anonymous store holds a view part_two_response that this platform does not make; .* in schema public \(on its search path\)/,
    );
  });
});
