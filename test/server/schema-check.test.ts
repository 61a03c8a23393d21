import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Migration } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app/serve.js';
import { insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import { migrateToLatest } from '../../server/storage/migrate.js';
import { anonymousMigrations } from '../../server/storage/migrations/anonymous/anonymous-migrations.js';
import { identifiableMigrations } from '../../server/storage/migrations/identifiable/identifiable-migrations.js';
import { storeFiles } from '../../server/storage/open-stores.js';
import { openPostgres } from '../../server/storage/postgres-stores.js';
import { runMigrationsInto } from '../../server/storage/schema-description.js';
import { schemaProblems } from '../../server/storage/schema-check.js';
import { applyPragmas, StoreStartupError } from '../../server/storage/sqlite-pragmas.js';
import { useTempDirs } from '../support/temp-dir.js';
import { databasesFor, onPostgres } from '../support/test-databases.js';
import { cli, storeOpener, WAVE_2 } from './helpers.js';

/**
 * The schema check (issue 11, item 4) on both databases: a store must hold exactly what its migrations
 * make. Each attack is made on a real store, which is then opened the way the server and the command
 * line open it; the refusal must name the object. Dialect-specific statements are written for each.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

type Which = 'identifiable' | 'anonymous';
const migrationsOf: Record<Which, Record<string, Migration>> = { identifiable: identifiableMigrations, anonymous: anonymousMigrations };

/** Runs statements on one store of `dir`, as someone holding the files or the database could. */
const tamper = async (dir: string, which: Which, statements: readonly string[]) => {
  const stores = await opener.openIn(dir);
  for (const statement of statements) await sql.raw(statement).execute(stores[which]);
  await stores.close();
};

/** The store itself, opened without openStores (so without its check), as an adversary would reach it. */
const rawStore = async (dir: string, which: Which): Promise<Kysely<any>> => {
  const dataDir = join(dir, 'data');
  if (onPostgres()) {
    const urls = await databasesFor(dataDir);
    return openPostgres(which === 'identifiable' ? urls.databaseUrl : urls.anonymousDatabaseUrl, which);
  }
  mkdirSync(dataDir, { recursive: true });
  const handle = new Database(storeFiles(dataDir)[which]);
  applyPragmas(handle);
  return new Kysely<any>({ dialect: new SqliteDialect({ database: handle }) });
};

const refusal = opener.refusalIn;

const expectRefusal = (message: string, which: Which, phrase: string) => {
  expect(message).toContain(phrase);
  expect(message).toMatch(new RegExp(`^the ${which} store .*: refusing to open it$`));
  expect(message).not.toContain('\n');
};

/** A trigger that records when each part-two answer arrives, in a table of its own: the attack of issue 11. */
const arrivalTrigger = () =>
  onPostgres()
    ? [
        'create table part_two_arrival_log (at timestamptz not null)',
        `create function part_two_arrival_log() returns trigger language plpgsql as $$
           begin insert into part_two_arrival_log values (clock_timestamp()); return new; end $$`,
        'create trigger part_two_arrival after insert on part_two_response for each row execute function part_two_arrival_log()',
      ]
    : [
        'create table part_two_arrival_log (at text not null)',
        `create trigger part_two_arrival after insert on part_two_response
           begin insert into part_two_arrival_log values (strftime('%Y-%m-%d %H:%M:%f', 'now')); end`,
      ];

/** A trigger that does nothing much, so that only the trigger is extra (PostgreSQL: a built-in function). */
const bareTrigger = (name: string, table: string) =>
  onPostgres()
    ? [`create trigger ${name} before update on ${table} for each row execute function suppress_redundant_updates_trigger()`]
    : [`create trigger ${name} after insert on ${table} begin select 1; end`];

interface Attack {
  readonly name: string;
  readonly statements: () => string[];
  readonly phrase: () => string;
}

const attacks: Record<Which, Attack[]> = {
  anonymous: [
    {
      name: 'an extra trigger',
      statements: () => bareTrigger('part_two_seen', 'part_two_response'),
      phrase: () => 'holds a trigger part_two_seen on part_two_response that this platform does not make',
    },
    {
      name: 'an extra table',
      statements: () => ['create table part_two_arrival_log (at text)'],
      phrase: () => 'holds a table part_two_arrival_log that this platform does not make',
    },
    {
      name: 'an extra index',
      statements: () => ['create index part_two_response_answers on part_two_response (answers)'],
      phrase: () => 'holds an index part_two_response_answers on part_two_response that this platform does not make',
    },
    {
      name: 'an extra view',
      statements: () => ['create view part_two_latest as select id from part_two_response'],
      phrase: () => 'holds a view part_two_latest that this platform does not make',
    },
    {
      name: 'an extra column',
      statements: () => ['alter table part_two_response add column arrived_at text'],
      phrase: () => 'holds a column arrived_at in part_two_response that this platform does not make',
    },
    {
      name: 'a dropped index',
      statements: () => ['drop index part_two_response_wave'],
      phrase: () => 'lacks the index part_two_response_wave on part_two_response that this platform makes',
    },
    {
      name: 'an altered index',
      statements: () => ['drop index part_two_response_wave', 'create index part_two_response_wave on part_two_response (answers)'],
      phrase: () => 'holds an index part_two_response_wave on part_two_response that is not as this platform makes it',
    },
  ],
  identifiable: [
    {
      name: 'an extra trigger',
      statements: () => bareTrigger('part_one_seen', 'part_one_response'),
      phrase: () => 'holds a trigger part_one_seen on part_one_response that this platform does not make',
    },
    {
      name: 'an extra table',
      statements: () => ['create table part_one_arrival_log (at text)'],
      phrase: () => 'holds a table part_one_arrival_log that this platform does not make',
    },
    {
      name: 'an extra index',
      statements: () => ['create index roster_email on roster (email)'],
      phrase: () => 'holds an index roster_email on roster that this platform does not make',
    },
    {
      name: 'an extra view',
      statements: () => ['create view council_answers as select local_authority, answers from part_one_response'],
      phrase: () => 'holds a view council_answers that this platform does not make',
    },
    {
      name: 'an extra column',
      statements: () => ['alter table part_one_response add column submitted_at text'],
      phrase: () => 'holds a column submitted_at in part_one_response that this platform does not make',
    },
    {
      name: 'a dropped index',
      statements: () => ['drop index staff_session_user'],
      phrase: () => 'lacks the index staff_session_user on staff_session that this platform makes',
    },
    {
      name: 'an altered trigger',
      // The audit log's guard, replaced by one that lets events be deleted.
      statements: () =>
        onPostgres()
          ? [
              'drop trigger audit_event_no_change on audit_event',
              'create trigger audit_event_no_change before update on audit_event for each row execute function audit_event_append_only()',
            ]
          : ['drop trigger audit_event_no_delete', 'create trigger audit_event_no_delete before delete on audit_event begin select 1; end'],
      phrase: () => `holds a trigger ${onPostgres() ? 'audit_event_no_change' : 'audit_event_no_delete'} on audit_event that is not as this platform makes it`,
    },
  ],
};

describe('the schema check on opening the stores', () => {
  it('opens a fresh pair of stores, and opens them again: each is exactly what its migrations make', async () => {
    const dir = tempDir();
    await (await opener.openIn(dir)).close();
    const stores = await opener.openIn(dir);
    expect(await schemaProblems(stores.identifiable, identifiableMigrations)).toEqual([]);
    expect(await schemaProblems(stores.anonymous, anonymousMigrations)).toEqual([]);
  });

  it('the attack works when nothing checks: a trigger added to the anonymous store records when each answer arrives', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', arrivalTrigger());
    const raw = await rawStore(dir, 'anonymous');
    try {
      await insertPartTwoResponses(raw, WAVE_2, [{ groups_involved: '3' }]);
      const logged = (await sql<{ at: unknown }>`select at from part_two_arrival_log`.execute(raw)).rows;
      expect(logged).toHaveLength(1);
      expect(String(logged[0]!.at)).toMatch(new RegExp(String(new Date().getUTCFullYear())));
    } finally {
      await raw.destroy();
    }
  });

  it('refuses that anonymous store, naming the trigger, before it can record anything', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', arrivalTrigger());
    const message = await refusal(dir);
    expectRefusal(message, 'anonymous', 'the anonymous store holds a trigger part_two_arrival on part_two_response that this platform does not make');
    expect(message).toContain('table part_two_arrival_log');
    const raw = await rawStore(dir, 'anonymous');
    try {
      expect((await sql`select * from part_two_arrival_log`.execute(raw)).rows).toEqual([]);
    } finally {
      await raw.destroy();
    }
  });

  for (const which of ['anonymous', 'identifiable'] as const) {
    for (const attack of attacks[which]) {
      it(`refuses ${attack.name} in the ${which} store, naming it`, async () => {
        const dir = tempDir();
        await tamper(dir, which, attack.statements());
        expectRefusal(await refusal(dir), which, attack.phrase());
      });
    }
  }

  it('refuses the migrations table replaced by a view, before reading it', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', [
      'alter table kysely_migration rename to kysely_migration_kept',
      'create view kysely_migration as select * from kysely_migration_kept',
    ]);
    expectRefusal(await refusal(dir), 'anonymous', 'holds a view kysely_migration that this platform does not make');
  });

  it('refuses a store that records a migration this version does not have', async () => {
    const dir = tempDir();
    await tamper(dir, 'identifiable', ["insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')"]);
    expectRefusal(await refusal(dir), 'identifiable', 'records migration 9999-from-the-future, which this version of the platform does not have');
  });

  it('names objects safely: a hostile name cannot break the one-line message', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', ['create table "log\nerror: all is well" (at text)']);
    const message = await refusal(dir);
    expectRefusal(message, 'anonymous', 'holds a table "log\\nerror: all is well" that this platform does not make');
  });

  it('the command line refuses with one line and exit code 1, no stack trace', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', arrivalTrigger());
    const result = await cli(dir, ['status', '--data', join(dir, 'data'), '--wave', WAVE_2]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: the anonymous store holds a trigger part_two_arrival on part_two_response that this platform does not make.*: refusing to open it\n$/,
    );
    expect(result.stdout).toBe('');
  });

  it('the server refuses to start on such a store', async () => {
    const dir = tempDir();
    await tamper(dir, 'anonymous', arrivalTrigger());
    const starting = startServer({ dataDir: join(dir, 'data'), port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: () => {} });
    const outcome = await starting.then(
      async (server) => {
        await server.stop();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(StoreStartupError);
    expect((outcome as Error).message).toContain('holds a trigger part_two_arrival on part_two_response');
  });
});

describe('the schema check before migrating', () => {
  /** Brings one store of `dir` to an older migration level, as an older version of the platform left it. */
  const storeAt = async (dir: string, which: Which, count: number, extra: readonly string[] = []) => {
    const raw = await rawStore(dir, which);
    try {
      await runMigrationsInto(raw, migrationsOf[which], Object.keys(migrationsOf[which]).sort().slice(0, count));
      for (const statement of extra) await sql.raw(statement).execute(raw);
    } finally {
      await raw.destroy();
    }
  };

  const applied = async (dir: string, which: Which) => {
    const raw = await rawStore(dir, which);
    try {
      return (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(raw)).rows.map((r) => r.name);
    } finally {
      await raw.destroy();
    }
  };

  it('opens stores at an older migration level that hold nothing extra, and migrates them', async () => {
    const dir = tempDir();
    await storeAt(dir, 'identifiable', 3);
    await storeAt(dir, 'anonymous', 1);
    const stores = await opener.openIn(dir);
    expect(await schemaProblems(stores.identifiable, identifiableMigrations)).toEqual([]);
    expect(await schemaProblems(stores.anonymous, anonymousMigrations)).toEqual([]);
    await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ groups_involved: '3' }]);
    await stores.close();
    expect(await applied(dir, 'identifiable')).toEqual(Object.keys(identifiableMigrations).sort());
    expect(await applied(dir, 'anonymous')).toEqual(Object.keys(anonymousMigrations).sort());
  });

  /** A trigger on the migrations table: it would run during the next migration. */
  const migrationWatcher = () =>
    onPostgres()
      ? [
          'create table migration_log (at timestamptz not null)',
          `create function migration_log() returns trigger language plpgsql as $$ begin insert into migration_log values (clock_timestamp()); return new; end $$`,
          'create trigger migration_seen after insert on kysely_migration for each row execute function migration_log()',
        ]
      : [
          'create table migration_log (at text not null)',
          `create trigger migration_seen after insert on kysely_migration begin insert into migration_log values (strftime('%s', 'now')); end`,
        ];

  it('the control: a trigger added to a store at an older level runs during its next migration when nothing checks', async () => {
    const dir = tempDir();
    await storeAt(dir, 'anonymous', 2, migrationWatcher());
    const raw = await rawStore(dir, 'anonymous');
    try {
      await migrateToLatest(raw, anonymousMigrations, 'anonymous');
      expect((await sql`select * from migration_log`.execute(raw)).rows.length).toBeGreaterThan(0);
    } finally {
      await raw.destroy();
    }
  });

  it('refuses it against the schema of the migrations it has had, before any migration runs', async () => {
    const dir = tempDir();
    await storeAt(dir, 'identifiable', 3);
    await storeAt(dir, 'anonymous', 2, migrationWatcher());
    expectRefusal(await refusal(dir), 'anonymous', 'holds a trigger migration_seen on kysely_migration that this platform does not make');
    // Neither store was migrated: the refusal came first.
    expect(await applied(dir, 'anonymous')).toEqual(Object.keys(anonymousMigrations).sort().slice(0, 2));
    expect(await applied(dir, 'identifiable')).toEqual(Object.keys(identifiableMigrations).sort().slice(0, 3));
    const raw = await rawStore(dir, 'anonymous');
    try {
      expect((await sql`select * from migration_log`.execute(raw)).rows).toEqual([]);
    } finally {
      await raw.destroy();
    }
  });

  it('refuses a store never migrated that already holds something: a file or database prepared elsewhere', async () => {
    const dir = tempDir();
    const raw = await rawStore(dir, 'anonymous');
    try {
      await sql.raw('create table part_two_response (id text primary key, wave_id text not null, answers text not null)').execute(raw);
      for (const statement of arrivalTrigger()) await sql.raw(statement).execute(raw);
    } finally {
      await raw.destroy();
    }
    expectRefusal(await refusal(dir), 'anonymous', 'holds a trigger part_two_arrival on part_two_response that this platform does not make');
  });

  it('refuses a store at an older level that already holds a table a later migration makes', async () => {
    const dir = tempDir();
    await storeAt(dir, 'anonymous', 2, ['create table wave_data_version (wave_id text primary key, generation text not null)']);
    expectRefusal(await refusal(dir), 'anonymous', 'holds a table wave_data_version that this platform does not make');
  });
});
