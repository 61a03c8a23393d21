import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from '../storage/database.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { newId } from '../storage/part-one-store.js';
import {
  claimSignInAttempt,
  clearDeviceFailures,
  deleteExpiredStaffSessions,
  deleteSignInAttempt,
  deleteStaffSessionRow,
  failedSignInTimes,
  findStaffSessionRow,
  insertStaffSession,
  pruneFailedSignIns,
  signInThrottleState,
  touchStaffSessionRow,
  type SignInThrottle,
} from '../storage/staff-session-store.js';
import { findStaffCredentials, normaliseEmail, setStaffPasswordHash, type StaffRole } from '../storage/staff-user-store.js';
import { hashPassword, passwordNeedsRehash, unknownUserHash, verifyPassword } from '../security/passwords.js';
import { hmac, looksLikeToken, randomToken, sameText, sha256 } from '../security/tokens.js';

/** What signing in and out writes to the audit log. */
export const staffSessionAuditActions = { signIn: 'staff.sign-in', signInFailed: 'staff.sign-in.failed', signOut: 'staff.sign-out' } as const;

/**
 * Staff sign-in and sessions. The cookie carries a random token; the store keeps only its SHA-256.
 * Every sign-in makes a new token (so a token planted before sign-in is worthless) and ends the one
 * the browser presented, if any. A session ends after `idleMs` without a request or `absoluteMs` after
 * sign-in, whichever comes first.
 *
 * Failed sign-ins slow guessing down without ever locking the right password out for long (OWASP's
 * device cookies). A browser that has signed in to an account holds a device cookie bound to that
 * email; its attempts count only its own failures. Every other attempt at the email shares one count,
 * and past `freeFailures` each must wait a growing delay after the last failure (1 s, 2 s, 4 s, ... up to
 * `maxDelayMs`), then its password is checked as usual. Such attempts are also limited per client
 * address. Failures are counted in the database, not in memory, so the limits hold across restarts
 * and across several servers sharing a database. A refused attempt checks no password and writes
 * nothing, so a flood of them costs neither hashing nor writes.
 */

export interface StaffSessionPolicy {
  readonly idleMs: number;
  readonly absoluteMs: number;
  /** Failures within `failureWindowMs` (of an email without its device cookie, or of one device) that cost no wait. */
  readonly freeFailures: number;
  /** The wait after the first failure past the free ones; each further failure doubles it, up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Failures from one client address within `failureWindowMs` after which it is refused until the oldest leaves the window (high: an
   * office may share an address).
   */
  readonly maxFailuresPerClient: number;
  readonly failureWindowMs: number;
}

export const defaultStaffSessionPolicy: StaffSessionPolicy = Object.freeze({
  idleMs: 30 * 60_000,
  absoluteMs: 8 * 60 * 60_000,
  freeFailures: 5,
  firstDelayMs: 1000,
  maxDelayMs: 60_000,
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

declare const deviceTagBrand: unique symbol;
/** A keyed hash of a valid device cookie's nonce: what failures are counted under. Make one with `recognisedDevice`. */
export type DeviceTag = string & { readonly [deviceTagBrand]: true };

/** The email as counted, bound and logged: normalised, and cut short so nobody can fill the store with one. */
const emailKey = (email: string) => normaliseEmail(email).slice(0, 320);

const deviceMac = (key: Buffer, nonce: string, email: string) => hmac(key, 'staff-device-cookie', `${nonce}\u0000${emailKey(email)}`);

/**
 * A new device cookie's value for a browser that has just signed in as `email`: a random nonce and an
 * HMAC under the server key binding it to the email, so it vouches for that account only.
 */
export const deviceCookieValue = (key: Buffer, email: string): string => {
  const nonce = randomToken();
  return `${nonce}.${deviceMac(key, nonce, email)}`;
};

/**
 * The device a cookie names when this server issued it for this email; undefined for no cookie, a forged
 * or altered one, or one issued for another account. The tag is keyed, so the stored value says nothing
 * of the nonce.
 */
export const recognisedDevice = (key: Buffer, cookie: string | undefined, email: string): DeviceTag | undefined => {
  const parts = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? '');
  if (!parts || !sameText(parts[2]!, deviceMac(key, parts[1]!, email))) return undefined;
  return hmac(key, 'staff-sign-in-device', parts[1]!) as DeviceTag;
};

export const signInRefusedMessage = 'The email address or password is not right';

export const tooManyAttemptsMessage = (retryAfterMs: number): string => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  if (seconds < 60) return `Too many attempts; try again in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(retryAfterMs / 60_000);
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

export interface SignInAttempt {
  readonly email: string;
  /** The caller's client address as a `clientTag`; omitted when unknown (then no address limit applies). */
  readonly client?: ClientTag;
  /** The device cookie, when the browser sent one valid for this email (`recognisedDevice`). */
  readonly device?: DeviceTag;
  readonly now?: number;
  readonly policy?: Partial<StaffSessionPolicy>;
}

export interface SignInRequest extends SignInAttempt {
  readonly password: string;
  /** The session token the browser already holds, if any: it is ended, whoever it belonged to. */
  readonly previousToken?: string;
}

const policyOf = (policy?: Partial<StaffSessionPolicy>): StaffSessionPolicy => ({ ...defaultStaffSessionPolicy, ...policy });

/**
 * When the oldest of the failures that hold the limit leaves the window; undefined when under the limit.
 * `times` are the newest `limit` failures inside the window, newest first.
 */
const blockedUntil = (times: readonly number[], limit: number, windowMs: number): number | undefined =>
  times.length >= limit ? times[limit - 1]! + windowMs : undefined;

/** The growing delay: none for the free failures, then the first delay after the last failure, doubling with each further one. */
const delayedUntil = (failures: number, lastAt: number | undefined, p: StaffSessionPolicy): number | undefined =>
  lastAt === undefined || failures < p.freeFailures ? undefined : lastAt + Math.min(p.maxDelayMs, p.firstDelayMs * 2 ** (failures - p.freeFailures));

interface AttemptCheck {
  /** How long the attempt must wait (ms), or undefined when it may go on now. */
  readonly waitMs: number | undefined;
  readonly throttle: SignInThrottle;
  /** The ordinal an attempt made now takes in its throttle. */
  readonly ordinal: number;
}

/** Reads (never writes) what an attempt counts against and whether it must wait. */
const checkAttempt = async (db: Kysely<IdentifiableDatabase>, { email, client, device, now = Date.now(), policy }: SignInAttempt): Promise<AttemptCheck> => {
  const p = policyOf(policy);
  const since = now - p.failureWindowMs;
  const throttle: SignInThrottle = device ? { device } : { email: emailKey(email) };
  const state = await signInThrottleState(db, throttle, since);
  const byThrottle = delayedUntil(state.failures, state.lastAt, p);
  // A recognised device is never held up by what other clients did, the ones at its address included.
  const byClient =
    client && !device ? blockedUntil(await failedSignInTimes(db, client, since, p.maxFailuresPerClient), p.maxFailuresPerClient, p.failureWindowMs) : undefined;
  const until = Math.max(byThrottle ?? -Infinity, byClient ?? -Infinity);
  return { waitMs: until > now ? until - now : undefined, throttle, ordinal: state.lastOrdinal + 1 };
};

/** How long this attempt must wait before its password may be checked (ms), or undefined when it may go on now. Reads only. */
export const signInWaitFor = async (db: Kysely<IdentifiableDatabase>, attempt: SignInAttempt): Promise<number | undefined> =>
  (await checkAttempt(db, attempt)).waitMs;

const rateLimited = (retryAfterMs: number): SignInResult => ({
  ok: false,
  reason: 'rate-limited',
  message: tooManyAttemptsMessage(retryAfterMs),
  retryAfterMs,
});

export const signIn = async (db: Kysely<IdentifiableDatabase>, request: SignInRequest): Promise<SignInResult> => {
  const now = request.now ?? Date.now();
  const p = policyOf(request.policy);
  const email = emailKey(request.email);
  const device = request.device ?? null;

  // While it must wait, an attempt checks no password (no oracle, no hashing) and writes nothing: the
  // failures that led here are audited already. An attempt that may go on is stored, as a failure,
  // before its password is checked; its ordinal is unique, so of several attempts that saw the same
  // count at once only one is stored, and the others look again, now counting it (a double click among
  // the free failures goes on; past them, it waits like any other attempt).
  const attemptId = newId();
  for (let look = 1; ; look++) {
    const check = await checkAttempt(db, { ...request, email, now, policy: p });
    if (check.waitMs !== undefined) return rateLimited(check.waitMs);
    if (await claimSignInAttempt(db, { id: attemptId, email, client: request.client ?? null, device, ordinal: check.ordinal, now })) break;
    if (look === 3) return rateLimited(p.firstDelayMs);
  }

  // The same argon2 work whether or not the email has an account, and whether or not it is disabled.
  const account = await findStaffCredentials(db, email);
  const passwordRight = await verifyPassword(account?.passwordHash ?? unknownUserHash, request.password);
  if (!account || !passwordRight || account.user.disabled) {
    const reason = !account ? 'unknown email' : !passwordRight ? 'wrong password' : 'account disabled';
    await db.transaction().execute(async (trx) => {
      await pruneFailedSignIns(trx, now - Math.max(attemptRetentionMs, p.failureWindowMs));
      // The email tried, never the password; and whether it came from a browser that had signed in to it.
      await appendAuditEvent(trx, {
        at: now,
        actor: null,
        action: staffSessionAuditActions.signInFailed,
        detail: { email, reason, device: device ? 'recognised' : 'not recognised' },
      });
    });
    return { ok: false, reason: 'invalid', message: signInRefusedMessage };
  }

  const { user } = account;
  const token = randomToken();
  const expiresAt = now + p.absoluteMs;
  const rehash = passwordNeedsRehash(account.passwordHash) ? await hashPassword(request.password) : undefined;
  await db.transaction().execute(async (trx) => {
    await deleteSignInAttempt(trx, attemptId);
    // Failures made elsewhere keep counting against the email: a sign-in here does not let guessers start afresh.
    if (device) await clearDeviceFailures(trx, device);
    if (request.previousToken && looksLikeToken(request.previousToken)) await deleteStaffSessionRow(trx, sha256(request.previousToken));
    await deleteExpiredStaffSessions(trx, now, p.idleMs);
    await insertStaffSession(trx, { tokenHash: sha256(token), userId: user.id, now, expiresAt });
    if (rehash) await setStaffPasswordHash(trx, user.id, rehash);
    await appendAuditEvent(trx, { at: now, actor: user.id, action: staffSessionAuditActions.signIn, detail: { email: user.email } });
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

export type StaffSessionCheck = { readonly ok: true; readonly session: StaffSession } | { readonly ok: false; readonly reason: StaffSessionEnd };

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
    await appendAuditEvent(trx, { at: now, actor: row.userId, action: staffSessionAuditActions.signOut, detail: { email: row.email } });
  });
  return true;
};
