import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';
import { newId } from './part-one-store.js';
import type { StaffRole } from './staff-database.js';

/**
 * Staff sessions (keyed by the SHA-256 of the cookie's token; the caller hashes) and failed sign-in
 * attempts. The policy (timeouts, limits) lives in server/security/staff-sessions.ts.
 */

export interface StaffSessionRow {
  readonly tokenHash: string;
  readonly userId: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly disabled: boolean;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
}

export const insertStaffSession = async (
  db: Kysely<IdentifiableDatabase>,
  session: { tokenHash: string; userId: string; now: number; expiresAt: number },
): Promise<void> => {
  await db
    .insertInto('staff_session')
    .values({ token_hash: session.tokenHash, user_id: session.userId, created_at: session.now, last_seen_at: session.now, expires_at: session.expiresAt })
    .execute();
};

export const findStaffSessionRow = async (db: Kysely<IdentifiableDatabase>, tokenHash: string): Promise<StaffSessionRow | undefined> => {
  const row = await db
    .selectFrom('staff_session')
    .innerJoin('staff_user', 'staff_user.id', 'staff_session.user_id')
    .select([
      'staff_session.token_hash',
      'staff_session.user_id',
      'staff_user.email',
      'staff_user.role',
      'staff_user.disabled',
      'staff_session.created_at',
      'staff_session.last_seen_at',
      'staff_session.expires_at',
    ])
    .where('staff_session.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    row && {
      tokenHash: row.token_hash,
      userId: row.user_id,
      email: row.email,
      role: row.role,
      disabled: Number(row.disabled) === 1,
      createdAt: Number(row.created_at),
      lastSeenAt: Number(row.last_seen_at),
      expiresAt: Number(row.expires_at),
    }
  );
};

export const touchStaffSessionRow = async (db: Kysely<IdentifiableDatabase>, tokenHash: string, now: number): Promise<void> => {
  await db.updateTable('staff_session').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
};

/** Returns whether a session was deleted. */
export const deleteStaffSessionRow = async (db: Kysely<IdentifiableDatabase>, tokenHash: string): Promise<boolean> => {
  const result = await db.deleteFrom('staff_session').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
};

/** Removes sessions past their absolute end or idle for longer than `idleMs`. */
export const deleteExpiredStaffSessions = async (db: Kysely<IdentifiableDatabase>, now: number, idleMs: number): Promise<void> => {
  await db
    .deleteFrom('staff_session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - idleMs)]))
    .execute();
};

export const recordFailedSignIn = async (
  db: Kysely<IdentifiableDatabase>,
  attempt: { email: string; client: string | null; now: number },
): Promise<void> => {
  await db.insertInto('sign_in_attempt').values({ id: newId(), at: attempt.now, email: attempt.email, client: attempt.client }).execute();
};

/** The times of failed sign-ins since `since` for an email or a client, newest first. */
export const failedSignInTimes = async (
  db: Kysely<IdentifiableDatabase>,
  by: { email: string } | { client: string },
  since: number,
  limit: number,
): Promise<number[]> => {
  let query = db.selectFrom('sign_in_attempt').select('at').where('at', '>', since);
  query = 'email' in by ? query.where('email', '=', by.email) : query.where('client', '=', by.client);
  const rows = await query.orderBy('at', 'desc').limit(limit).execute();
  return rows.map((r) => Number(r.at));
};

/** After a successful sign-in the account's earlier failures no longer count against it. */
export const clearFailedSignIns = async (db: Kysely<IdentifiableDatabase>, email: string): Promise<void> => {
  await db.deleteFrom('sign_in_attempt').where('email', '=', email).execute();
};

export const pruneFailedSignIns = async (db: Kysely<IdentifiableDatabase>, before: number): Promise<void> => {
  await db.deleteFrom('sign_in_attempt').where('at', '<', before).execute();
};
