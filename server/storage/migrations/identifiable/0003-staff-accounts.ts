import { sql, type Kysely, type Migration } from 'kysely';
import { isSqlite } from '../../dialect-of.js';
import { epochMs } from '../column-types.js';

const oneOf = (column: string, values: string[]) => sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;

/**
 * Staff accounts, their sessions, failed sign-ins (for a rate limit every server shares) and the audit
 * log. Staff activity only: nothing here refers to a respondent, an invitation or an answer.
 */
export const staffAccounts: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('staff_user')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) =>
        c
          .notNull()
          .unique()
          .check(sql`email = lower(trim(email))`),
      )
      .addColumn('role', 'text', (c) => c.notNull().check(oneOf('role', ['admin', 'analyst', 'researcher'])))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`disabled in (0, 1)`),
      )
      .addColumn('created_at', epochMs(db), (c) => c.notNull())
      .execute();
    // Only a hash of the cookie's token is stored: the database cannot be used to take over a session.
    await db.schema
      .createTable('staff_session')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('staff_user.id').onDelete('cascade'))
      .addColumn('created_at', epochMs(db), (c) => c.notNull())
      .addColumn('last_seen_at', epochMs(db), (c) => c.notNull())
      .addColumn('expires_at', epochMs(db), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('staff_session_user').on('staff_session').column('user_id').execute();
    await db.schema
      .createTable('sign_in_attempt')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', epochMs(db), (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('client', 'text')
      .execute();
    await db.schema.createIndex('sign_in_attempt_email').on('sign_in_attempt').columns(['email', 'at']).execute();
    await db.schema.createIndex('sign_in_attempt_client').on('sign_in_attempt').columns(['client', 'at']).execute();
    // A sequence rather than a random id: a removed event would leave a gap.
    await db.schema
      .createTable('audit_event')
      .addColumn('id', 'integer', (c) => (isSqlite(db) ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity()))
      .addColumn('at', epochMs(db), (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.references('staff_user.id'))
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('audit_event_at').on('audit_event').column('at').execute();
    // Append-only: the store itself refuses to change or remove an event, whoever asks: triggers on
    // SQLite, a trigger function on PostgreSQL (which also refuses TRUNCATE).
    if (isSqlite(db)) {
      await sql`create trigger audit_event_no_update before update on audit_event
        begin select raise(abort, 'audit_event is append-only: an event cannot be changed'); end`.execute(db);
      await sql`create trigger audit_event_no_delete before delete on audit_event
        begin select raise(abort, 'audit_event is append-only: an event cannot be deleted'); end`.execute(db);
    } else {
      await sql`create function audit_event_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_event is append-only: an event cannot be %', case tg_op when 'UPDATE' then 'changed' else 'deleted' end; end $$`.execute(
        db,
      );
      await sql`create trigger audit_event_no_change before update or delete on audit_event
        for each row execute function audit_event_append_only()`.execute(db);
      await sql`create trigger audit_event_no_truncate before truncate on audit_event
        for each statement execute function audit_event_append_only()`.execute(db);
    }
  },
  async down(db: Kysely<any>) {
    for (const table of ['audit_event', 'sign_in_attempt', 'staff_session', 'staff_user']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
