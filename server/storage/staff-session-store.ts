import { sql, type Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';
import type { StaffRole } from './staff-database.js';

/**
 * Staff sessions (keyed by the SHA-256 of the cookie's token; the caller hashes) and failed sign-in
 * attempts. The policy (timeouts, limits) lives in server/staff/staff-sessions.ts.
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

/**
 * What a failed sign-in counts against: the email, for attempts without a valid device cookie for it,
 * or one device cookie (its keyed tag), for attempts that came with one.
 */
export type SignInThrottle = { readonly email: string } | { readonly device: string };

export interface ThrottleState {
  /** Failures since `since`. */
  readonly failures: number;
  /** The newest of them, or undefined when there is none. */
  readonly lastAt: number | undefined;
  /** The highest ordinal of the throttle's attempts (of any age), 0 when there is none. */
  readonly lastOrdinal: number;
}

/** The failures counted against a throttle since `since`, in one read. */
export const signInThrottleState = async (db: Kysely<IdentifiableDatabase>, throttle: SignInThrottle, since: number): Promise<ThrottleState> => {
  let query = db
    .selectFrom('sign_in_attempt')
    .select([
      sql<number | null>`sum(case when at > ${since} then 1 else 0 end)`.as('failures'),
      sql<number | null>`max(case when at > ${since} then at end)`.as('last_at'),
      sql<number | null>`max(ordinal)`.as('last_ordinal'),
    ]);
  query = 'device' in throttle ? query.where('device', '=', throttle.device) : query.where('email', '=', throttle.email).where('device', 'is', null);
  const row = await query.executeTakeFirst();
  return {
    failures: Number(row?.failures ?? 0),
    lastAt: row?.last_at == null ? undefined : Number(row.last_at),
    lastOrdinal: Number(row?.last_ordinal ?? 0),
  };
};

/**
 * Stores an attempt before its password is checked, as a failure until the check says otherwise. Returns
 * false, having written nothing, when another attempt already took this ordinal of the throttle (it saw
 * the same count and is being checked now).
 */
export const claimSignInAttempt = async (
  db: Kysely<IdentifiableDatabase>,
  attempt: { id: string; email: string; client: string | null; device: string | null; ordinal: number; now: number },
): Promise<boolean> => {
  const result = await db
    .insertInto('sign_in_attempt')
    .values({ id: attempt.id, at: attempt.now, email: attempt.email, client: attempt.client, device: attempt.device, ordinal: attempt.ordinal })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
};

/** The times of failed sign-ins from a client since `since`, newest first. */
export const failedSignInTimes = async (db: Kysely<IdentifiableDatabase>, client: string, since: number, limit: number): Promise<number[]> => {
  const rows = await db
    .selectFrom('sign_in_attempt')
    .select('at')
    .where('at', '>', since)
    .where('client', '=', client)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.at));
};

/** An attempt whose password was right was no failure. */
export const deleteSignInAttempt = async (db: Kysely<IdentifiableDatabase>, id: string): Promise<void> => {
  await db.deleteFrom('sign_in_attempt').where('id', '=', id).execute();
};

/** After a successful sign-in with a device cookie, that device's earlier failures no longer count against it. */
export const clearDeviceFailures = async (db: Kysely<IdentifiableDatabase>, device: string): Promise<void> => {
  await db.deleteFrom('sign_in_attempt').where('device', '=', device).execute();
};

export const pruneFailedSignIns = async (db: Kysely<IdentifiableDatabase>, before: number): Promise<void> => {
  await db.deleteFrom('sign_in_attempt').where('at', '<', before).execute();
};
