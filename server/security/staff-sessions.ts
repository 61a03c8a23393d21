import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from '../storage/database.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import {
  clearFailedSignIns,
  deleteExpiredStaffSessions,
  deleteStaffSessionRow,
  failedSignInTimes,
  findStaffSessionRow,
  insertStaffSession,
  pruneFailedSignIns,
  recordFailedSignIn,
  touchStaffSessionRow,
} from '../storage/staff-session-store.js';
import { findStaffCredentials, normaliseEmail, setStaffPasswordHash, type StaffRole } from '../storage/staff-user-store.js';
import { hashPassword, passwordNeedsRehash, unknownUserHash, verifyPassword } from './passwords.js';
import { hmac, looksLikeToken, randomToken, sha256 } from './tokens.js';

/**
 * Staff sign-in and sessions. The cookie carries a random token; the store keeps only its SHA-256.
 * Every sign-in makes a new token (so a token planted before sign-in is worthless) and ends the one
 * the browser presented, if any. A session ends after `idleMs` without a request or `absoluteMs` after
 * sign-in, whichever comes first. Failed sign-ins are counted in the database, not in memory, so the
 * limit holds across restarts and across several servers sharing a database.
 */
export interface StaffSessionPolicy {
  readonly idleMs: number;
  readonly absoluteMs: number;
  /** Failed sign-ins for one email within `failureWindowMs` after which sign-in is refused. */
  readonly maxFailuresPerEmail: number;
  /** The same for one client address (higher: an office may share an address). */
  readonly maxFailuresPerClient: number;
  readonly failureWindowMs: number;
}

export const defaultStaffSessionPolicy: StaffSessionPolicy = Object.freeze({
  idleMs: 30 * 60_000,
  absoluteMs: 8 * 60 * 60_000,
  maxFailuresPerEmail: 5,
  maxFailuresPerClient: 20,
  failureWindowMs: 15 * 60_000,
});

/** Failed attempts are kept this long at least, then pruned. */
const attemptRetentionMs = 24 * 60 * 60_000;

declare const clientTagBrand: unique symbol;
/** A keyed hash of a client address: the address itself is never stored. Make one with `clientTag`. */
export type ClientTag = string & { readonly [clientTagBrand]: true };

/**
 * The key is the server key, which never enters the database: without it, the stored tag cannot be
 * turned back into an address by trying all of them.
 */
export const clientTag = (key: Buffer, address: string): ClientTag => hmac(key, 'staff-sign-in-client', address) as ClientTag;

export const signInRefusedMessage = 'The email address or password is not right';

export const tooManyAttemptsMessage = (retryAfterMs: number): string => {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many attempts; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`;
};

export interface SignedInStaff {
  readonly id: string;
  readonly email: string;
  readonly role: StaffRole;
}

export type SignInResult =
  | { readonly ok: true; readonly token: string; readonly user: SignedInStaff; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: 'invalid'; readonly message: string }
  | { readonly ok: false; readonly reason: 'rate-limited'; readonly message: string; readonly retryAfterMs: number };

export interface SignInRequest {
  readonly email: string;
  readonly password: string;
  /** The caller's client address as a `clientTag`; omitted when unknown (then only the email is limited). */
  readonly client?: ClientTag;
  /** The session token the browser already holds, if any: it is ended, whoever it belonged to. */
  readonly previousToken?: string;
  readonly now?: number;
  readonly policy?: Partial<StaffSessionPolicy>;
}

const policyOf = (policy?: Partial<StaffSessionPolicy>): StaffSessionPolicy => ({ ...defaultStaffSessionPolicy, ...policy });

/**
 * When the oldest of the failures that hold the limit leaves the window; undefined when under the limit.
 * `times` are the newest `limit` failures inside the window, newest first.
 */
const blockedUntil = (times: readonly number[], limit: number, windowMs: number): number | undefined =>
  times.length >= limit ? times[limit - 1]! + windowMs : undefined;

/** Refusal time left for an email or a client, or undefined when either may try now. */
export const signInBlockedFor = async (
  db: Kysely<IdentifiableDatabase>,
  { email, client, now = Date.now(), policy }: { email: string; client?: ClientTag; now?: number; policy?: Partial<StaffSessionPolicy> },
): Promise<number | undefined> => {
  const p = policyOf(policy);
  const since = now - p.failureWindowMs;
  const byEmail = blockedUntil(await failedSignInTimes(db, { email: emailKey(email) }, since, p.maxFailuresPerEmail), p.maxFailuresPerEmail, p.failureWindowMs);
  const byClient = client
    ? blockedUntil(await failedSignInTimes(db, { client }, since, p.maxFailuresPerClient), p.maxFailuresPerClient, p.failureWindowMs)
    : undefined;
  const until = Math.max(byEmail ?? -Infinity, byClient ?? -Infinity);
  return until > now ? until - now : undefined;
};

/** The email as counted and logged: normalised, and cut short so nobody can fill the store with one. */
const emailKey = (email: string) => normaliseEmail(email).slice(0, 320);

export const signIn = async (db: Kysely<IdentifiableDatabase>, request: SignInRequest): Promise<SignInResult> => {
  const now = request.now ?? Date.now();
  const p = policyOf(request.policy);
  const email = emailKey(request.email);

  const retryAfterMs = await signInBlockedFor(db, { email, client: request.client, now, policy: p });
  if (retryAfterMs !== undefined) {
    // No password check at all while refused, so a flood of guesses costs no hashing either.
    await appendAuditEvent(db, { at: now, actor: null, action: 'staff.sign-in.refused', detail: { email, reason: 'too many failed attempts' } });
    return { ok: false, reason: 'rate-limited', message: tooManyAttemptsMessage(retryAfterMs), retryAfterMs };
  }

  // The same argon2 work whether or not the email has an account, and whether or not it is disabled.
  const account = await findStaffCredentials(db, email);
  const passwordRight = await verifyPassword(account?.passwordHash ?? unknownUserHash, request.password);
  if (!account || !passwordRight || account.user.disabled) {
    const reason = !account ? 'unknown email' : !passwordRight ? 'wrong password' : 'account disabled';
    await db.transaction().execute(async (trx) => {
      await recordFailedSignIn(trx, { email, client: request.client ?? null, now });
      await pruneFailedSignIns(trx, now - Math.max(attemptRetentionMs, p.failureWindowMs));
      // The email tried, never the password.
      await appendAuditEvent(trx, { at: now, actor: null, action: 'staff.sign-in.failed', detail: { email, reason } });
    });
    return { ok: false, reason: 'invalid', message: signInRefusedMessage };
  }

  const { user } = account;
  const token = randomToken();
  const expiresAt = now + p.absoluteMs;
  const rehash = passwordNeedsRehash(account.passwordHash) ? await hashPassword(request.password) : undefined;
  await db.transaction().execute(async (trx) => {
    if (request.previousToken && looksLikeToken(request.previousToken)) await deleteStaffSessionRow(trx, sha256(request.previousToken));
    await deleteExpiredStaffSessions(trx, now, p.idleMs);
    await insertStaffSession(trx, { tokenHash: sha256(token), userId: user.id, now, expiresAt });
    await clearFailedSignIns(trx, email);
    if (rehash) await setStaffPasswordHash(trx, user.id, rehash);
    await appendAuditEvent(trx, { at: now, actor: user.id, action: 'staff.sign-in', detail: { email: user.email } });
  });
  return { ok: true, token, user: { id: user.id, email: user.email, role: user.role }, expiresAt };
};

export interface StaffSession {
  readonly user: SignedInStaff;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** The absolute end. */
  readonly expiresAt: number;
  /** When it ends if no request comes before. */
  readonly idleExpiresAt: number;
}

/** Why a token opens no session: there is none, its account is disabled, or which timeout ended it. */
export type StaffSessionEnd = 'none' | 'disabled' | 'idle' | 'absolute';

export type StaffSessionCheck =
  | { readonly ok: true; readonly session: StaffSession }
  | { readonly ok: false; readonly reason: StaffSessionEnd };

/**
 * The session a token opens or, when it opens none, why: no such session (or a token of the wrong
 * shape), a disabled account, or the timeout that ended it (`idle` or `absolute`, whichever came first).
 * A session that has ended is deleted. Does not count as activity: see `touch`.
 */
export const checkStaffSession = async (
  db: Kysely<IdentifiableDatabase>,
  token: string,
  { now = Date.now(), policy }: { now?: number; policy?: Partial<StaffSessionPolicy> } = {},
): Promise<StaffSessionCheck> => {
  if (!looksLikeToken(token)) return { ok: false, reason: 'none' };
  const p = policyOf(policy);
  const row = await findStaffSessionRow(db, sha256(token));
  if (!row) return { ok: false, reason: 'none' };
  const idleEnd = row.lastSeenAt + p.idleMs;
  if (row.disabled || now >= row.expiresAt || now >= idleEnd) {
    await deleteStaffSessionRow(db, row.tokenHash);
    return { ok: false, reason: row.disabled ? 'disabled' : idleEnd < row.expiresAt ? 'idle' : 'absolute' };
  }
  return {
    ok: true,
    session: {
      user: { id: row.userId, email: row.email, role: row.role },
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      expiresAt: row.expiresAt,
      idleExpiresAt: Math.min(row.expiresAt, idleEnd),
    },
  };
};

/**
 * The session a token opens, or undefined when there is none, it has timed out (idle or absolute) or
 * its account is disabled; a timed-out session is deleted. Does not count as activity: see `touch`.
 */
export const findStaffSession = async (
  db: Kysely<IdentifiableDatabase>,
  token: string,
  options: { now?: number; policy?: Partial<StaffSessionPolicy> } = {},
): Promise<StaffSession | undefined> => {
  const check = await checkStaffSession(db, token, options);
  return check.ok ? check.session : undefined;
};

/** Records activity on a session (restarting its idle time); the absolute end does not move. */
export const touchStaffSession = async (db: Kysely<IdentifiableDatabase>, token: string, now = Date.now()): Promise<void> => {
  if (looksLikeToken(token)) await touchStaffSessionRow(db, sha256(token), now);
};

/**
 * What a staff request does: check the session and, if it is valid, count the request as activity.
 * When it is not, says why (so a page can tell a timed-out user what happened).
 */
export const resumeStaffSession = async (
  db: Kysely<IdentifiableDatabase>,
  token: string,
  options: { now?: number; policy?: Partial<StaffSessionPolicy> } = {},
): Promise<StaffSessionCheck> => {
  const now = options.now ?? Date.now();
  const check = await checkStaffSession(db, token, { ...options, now });
  if (!check.ok) return check;
  await touchStaffSession(db, token, now);
  const idleMs = policyOf(options.policy).idleMs;
  return { ok: true, session: { ...check.session, lastSeenAt: now, idleExpiresAt: Math.min(check.session.expiresAt, now + idleMs) } };
};

/** `resumeStaffSession` without the reason: the session, or undefined. */
export const authenticateStaff = async (
  db: Kysely<IdentifiableDatabase>,
  token: string,
  options: { now?: number; policy?: Partial<StaffSessionPolicy> } = {},
): Promise<StaffSession | undefined> => {
  const check = await resumeStaffSession(db, token, options);
  return check.ok ? check.session : undefined;
};

/** Ends the session (the row is deleted, so the token is worthless). Returns whether there was one. */
export const signOut = async (db: Kysely<IdentifiableDatabase>, token: string, now = Date.now()): Promise<boolean> => {
  if (!looksLikeToken(token)) return false;
  const row = await findStaffSessionRow(db, sha256(token));
  if (!row) return false;
  await db.transaction().execute(async (trx) => {
    await deleteStaffSessionRow(trx, row.tokenHash);
    await appendAuditEvent(trx, { at: now, actor: row.userId, action: 'staff.sign-out', detail: { email: row.email } });
  });
  return true;
};
