import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  authenticateStaff,
  checkStaffSession,
  clientTag,
  findStaffSession,
  signIn,
  signInRefusedMessage,
  signOut,
  touchStaffSession,
  type SignInResult,
} from '../../server/security/staff-sessions.js';
import { looksLikeToken, sha256 } from '../../server/security/tokens.js';
import { openStores, type Stores } from '../../server/storage/open-stores.js';
import { disableStaffUser } from '../../server/storage/staff-user-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';
import { addStaff, auditOf, HOUR, MINUTE, PASSWORD } from './staff-helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const T0 = Date.UTC(2026, 0, 12, 9, 0, 0);
const key = randomBytes(32);

const signedIn = (result: SignInResult) => {
  if (!result.ok) throw new Error(`expected a sign-in, got: ${result.message}`);
  return result;
};

const sessionRows = (stores: Stores) => stores.identifiable.selectFrom('staff_session').selectAll().execute();

describe('signing in', () => {
  it('opens a session for the right password, storing only a hash of the new token, and audits it', async () => {
    const stores = await opener.openIn(tempDir());
    const ann = await addStaff(stores, 'ann@example.org', 'admin');
    const result = signedIn(await signIn(stores.identifiable, { email: ' Ann@Example.ORG ', password: PASSWORD, now: T0 }));
    expect(looksLikeToken(result.token)).toBe(true);
    expect(result.user).toEqual({ id: ann.id, email: 'ann@example.org', role: 'admin' });
    expect(result.expiresAt).toBe(T0 + 8 * HOUR);
    expect(await sessionRows(stores)).toEqual([
      { token_hash: sha256(result.token), user_id: ann.id, created_at: T0, last_seen_at: T0, expires_at: T0 + 8 * HOUR },
    ]);
    const session = await findStaffSession(stores.identifiable, result.token, { now: T0 + MINUTE });
    expect(session).toEqual({
      user: { id: ann.id, email: 'ann@example.org', role: 'admin' },
      createdAt: T0,
      lastSeenAt: T0,
      expiresAt: T0 + 8 * HOUR,
      idleExpiresAt: T0 + 30 * MINUTE,
    });
    expect(await auditOf(stores, ['staff.sign-in'])).toEqual([{ actor: ann.id, action: 'staff.sign-in', detail: { email: 'ann@example.org' } }]);
  });

  it('makes a new token at every sign-in, ends the one the browser held, and sign-out makes a token worthless', async () => {
    const stores = await opener.openIn(tempDir());
    const ann = await addStaff(stores, 'ann@example.org');
    const first = signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 }));
    const second = signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 + 1 }));
    expect(second.token).not.toBe(first.token);
    // Two browsers, two sessions.
    expect(await findStaffSession(stores.identifiable, first.token, { now: T0 + 2 })).toBeDefined();
    expect(await findStaffSession(stores.identifiable, second.token, { now: T0 + 2 })).toBeDefined();

    // Signing in again from the first browser replaces its token (a fixated token never becomes a session).
    const third = signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, previousToken: first.token, now: T0 + 3 }));
    expect(new Set([first.token, second.token, third.token]).size).toBe(3);
    expect(await findStaffSession(stores.identifiable, first.token, { now: T0 + 4 })).toBeUndefined();
    expect(await findStaffSession(stores.identifiable, third.token, { now: T0 + 4 })).toBeDefined();

    expect(await signOut(stores.identifiable, third.token, T0 + 5)).toBe(true);
    expect(await findStaffSession(stores.identifiable, third.token, { now: T0 + 6 })).toBeUndefined();
    expect(await authenticateStaff(stores.identifiable, third.token, { now: T0 + 6 })).toBeUndefined();
    expect(await signOut(stores.identifiable, third.token, T0 + 7)).toBe(false);
    expect((await sessionRows(stores)).map((r) => r.token_hash)).toEqual([sha256(second.token)]);
    expect(await auditOf(stores, ['staff.sign-out'])).toEqual([{ actor: ann.id, action: 'staff.sign-out', detail: { email: 'ann@example.org' } }]);
  });

  it('refuses a wrong password and an unknown email with the same message, and audits both with the email tried, never the password', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, 'ann@example.org');
    const wrong = await signIn(stores.identifiable, { email: 'ann@example.org', password: 'not the password at all', now: T0 });
    const unknown = await signIn(stores.identifiable, { email: 'Nobody@Example.org', password: PASSWORD, now: T0 + 1 });
    expect(wrong).toEqual({ ok: false, reason: 'invalid', message: signInRefusedMessage });
    expect(unknown).toEqual(wrong);
    expect(await sessionRows(stores)).toEqual([]);
    expect(await auditOf(stores)).toEqual([
      { actor: null, action: 'staff.sign-in.failed', detail: { email: 'ann@example.org', reason: 'wrong password' } },
      { actor: null, action: 'staff.sign-in.failed', detail: { email: 'nobody@example.org', reason: 'unknown email' } },
    ]);
    const everything = JSON.stringify(await stores.identifiable.selectFrom('audit_event').selectAll().execute());
    expect(everything).not.toContain('not the password');
    expect(everything).not.toContain(PASSWORD);
  });

  it('refuses a disabled account even with the right password, and disabling ends its sessions', async () => {
    const stores = await opener.openIn(tempDir());
    const ann = await addStaff(stores, 'ann@example.org');
    const session = signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 }));
    expect(await disableStaffUser(stores.identifiable, ann.id)).toBe(true);
    expect(await findStaffSession(stores.identifiable, session.token, { now: T0 + 1 })).toBeUndefined();
    expect(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 + 2 })).toEqual({
      ok: false,
      reason: 'invalid',
      message: signInRefusedMessage,
    });
    expect((await auditOf(stores, ['staff.sign-in.failed'])).map((e) => e.detail)).toEqual([{ email: 'ann@example.org', reason: 'account disabled' }]);
  });

  it('refuses tokens of the wrong shape without a look-up', async () => {
    const stores = await opener.openIn(tempDir());
    for (const token of ['', 'x', 'a'.repeat(44), 'a'.repeat(42) + '=']) {
      expect(await findStaffSession(stores.identifiable, token)).toBeUndefined();
      expect(await signOut(stores.identifiable, token)).toBe(false);
    }
  });
});

describe('session timeouts', () => {
  it('ends a session after 30 minutes without a request; each request restarts the idle time', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, 'ann@example.org');
    const { token } = signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 }));
    // Looking does not count as activity; a request (authenticate) does.
    expect(await findStaffSession(stores.identifiable, token, { now: T0 + 29 * MINUTE })).toBeDefined();
    const active = await authenticateStaff(stores.identifiable, token, { now: T0 + 29 * MINUTE });
    expect(active).toMatchObject({ lastSeenAt: T0 + 29 * MINUTE, idleExpiresAt: T0 + 59 * MINUTE });
    expect((await sessionRows(stores))[0]!.last_seen_at).toBe(T0 + 29 * MINUTE);
    await touchStaffSession(stores.identifiable, token, T0 + 50 * MINUTE);
    expect(await findStaffSession(stores.identifiable, token, { now: T0 + 80 * MINUTE - 1 })).toBeDefined();
    expect(await findStaffSession(stores.identifiable, token, { now: T0 + 80 * MINUTE })).toBeUndefined();
    // The timed-out session is gone from the store, and does not come back.
    expect(await sessionRows(stores)).toEqual([]);
    expect(await authenticateStaff(stores.identifiable, token, { now: T0 + 80 * MINUTE + 1 })).toBeUndefined();
  });

  it('says which timeout ended a session (whichever came first), or that there is none', async () => {
    const stores = await opener.openIn(tempDir());
    const ann = await addStaff(stores, 'ann@example.org');
    const session = async (now: number) => signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now })).token;
    const idle = await session(T0);
    expect(await checkStaffSession(stores.identifiable, idle, { now: T0 + 30 * MINUTE })).toEqual({ ok: false, reason: 'idle' });
    // Active until 20 minutes before the end: the 8 hours end first.
    const absolute = await session(T0);
    await touchStaffSession(stores.identifiable, absolute, T0 + 8 * HOUR - 20 * MINUTE);
    expect(await checkStaffSession(stores.identifiable, absolute, { now: T0 + 8 * HOUR + 5 * MINUTE })).toEqual({ ok: false, reason: 'absolute' });
    // Once reported, the session is gone: asking again finds none.
    expect(await checkStaffSession(stores.identifiable, absolute, { now: T0 + 8 * HOUR + 6 * MINUTE })).toEqual({ ok: false, reason: 'none' });
    expect(await checkStaffSession(stores.identifiable, 'not-a-token')).toEqual({ ok: false, reason: 'none' });
    const disabled = await session(T0);
    await stores.identifiable.updateTable('staff_user').set({ disabled: 1 }).where('id', '=', ann.id).execute();
    expect(await checkStaffSession(stores.identifiable, disabled, { now: T0 + 1 })).toEqual({ ok: false, reason: 'disabled' });
  });

  it('ends a session 8 hours after sign-in however active it is', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, 'ann@example.org');
    const { token } = signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 }));
    for (let t = T0 + 20 * MINUTE; t < T0 + 8 * HOUR; t += 20 * MINUTE) {
      expect(await authenticateStaff(stores.identifiable, token, { now: t })).toBeDefined();
    }
    const last = await authenticateStaff(stores.identifiable, token, { now: T0 + 8 * HOUR - 1 });
    expect(last?.idleExpiresAt).toBe(T0 + 8 * HOUR);
    expect(await authenticateStaff(stores.identifiable, token, { now: T0 + 8 * HOUR })).toBeUndefined();
    expect(await sessionRows(stores)).toEqual([]);
  });

  it('takes other timeouts from the policy', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, 'ann@example.org');
    const policy = { idleMs: 5 * MINUTE, absoluteMs: HOUR };
    const result = signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0, policy }));
    expect(result.expiresAt).toBe(T0 + HOUR);
    expect(await findStaffSession(stores.identifiable, result.token, { now: T0 + 5 * MINUTE, policy })).toBeUndefined();
  });

  it('sweeps sessions that timed out when someone signs in', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, 'ann@example.org');
    await addStaff(stores, 'bob@example.org');
    await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 });
    const bob = signedIn(await signIn(stores.identifiable, { email: 'bob@example.org', password: PASSWORD, now: T0 + HOUR }));
    expect((await sessionRows(stores)).map((r) => r.token_hash)).toEqual([sha256(bob.token)]);
  });
});

describe('the sign-in rate limit (held in the database)', () => {
  it('refuses an email after 5 failures in 15 minutes, even with the right password, and lets it in once the window has passed', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, 'ann@example.org');
    for (let i = 0; i < 5; i++) {
      const result = await signIn(stores.identifiable, { email: 'ann@example.org', password: `guess number ${i}`, now: T0 + i * MINUTE });
      expect(result).toMatchObject({ ok: false, reason: 'invalid' });
    }
    const refused = await signIn(stores.identifiable, { email: 'ANN@example.org', password: PASSWORD, now: T0 + 5 * MINUTE });
    // The oldest failure leaves the window at T0 + 15 minutes.
    expect(refused).toEqual({ ok: false, reason: 'rate-limited', message: 'Too many attempts; try again in 10 minutes', retryAfterMs: 10 * MINUTE });
    expect(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 + 15 * MINUTE - 30_000 })).toMatchObject({
      reason: 'rate-limited',
      message: 'Too many attempts; try again in 1 minute',
    });
    // Refused attempts do not count as failures, so the lock does not grow while someone keeps trying.
    expect(await stores.identifiable.selectFrom('sign_in_attempt').select('at').execute()).toHaveLength(5);
    expect(await auditOf(stores, ['staff.sign-in.refused'])).toEqual([
      { actor: null, action: 'staff.sign-in.refused', detail: { email: 'ann@example.org', reason: 'too many failed attempts' } },
      { actor: null, action: 'staff.sign-in.refused', detail: { email: 'ann@example.org', reason: 'too many failed attempts' } },
    ]);

    // At T0 + 15 minutes the first failure has left the window: 4 remain, so Ann may try again.
    signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 + 15 * MINUTE }));
    // A success clears the account's failures.
    expect(await stores.identifiable.selectFrom('sign_in_attempt').select('at').execute()).toEqual([]);
  });

  it('counts failures for emails that have no account the same way, so the limit does not tell which emails exist', async () => {
    const stores = await opener.openIn(tempDir());
    for (let i = 0; i < 5; i++) await signIn(stores.identifiable, { email: 'nobody@example.org', password: `guess ${i}`, now: T0 });
    expect(await signIn(stores.identifiable, { email: 'nobody@example.org', password: 'guess 6', now: T0 })).toMatchObject({
      reason: 'rate-limited',
      message: 'Too many attempts; try again in 15 minutes',
    });
  });

  it('refuses a client address after 20 failures over any emails, but not the same emails from elsewhere', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, 'ann@example.org');
    const attacker = clientTag(key, '203.0.113.9');
    const office = clientTag(key, '198.51.100.4');
    for (let i = 0; i < 20; i++) {
      await signIn(stores.identifiable, { email: `user${i}@example.org`, password: 'a guess of a password', client: attacker, now: T0 + i * 1000 });
    }
    expect(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, client: attacker, now: T0 + MINUTE })).toMatchObject({
      reason: 'rate-limited',
      // The first failure (at T0) leaves the window at T0 + 15 minutes.
      message: 'Too many attempts; try again in 14 minutes',
    });
    signedIn(await signIn(stores.identifiable, { email: 'ann@example.org', password: PASSWORD, client: office, now: T0 + MINUTE }));
    // The store holds a keyed hash of the address, never the address.
    const clients = await stores.identifiable.selectFrom('sign_in_attempt').select('client').distinct().execute();
    expect(clients).toEqual([{ client: attacker }]);
    expect(JSON.stringify(clients)).not.toContain('203.0.113');
    expect(clientTag(randomBytes(32), '203.0.113.9')).not.toBe(attacker);
  });

  it('holds across servers sharing the database and across restarts', async () => {
    const dir = tempDir();
    const serverA = await opener.openIn(dir);
    await addStaff(serverA, 'ann@example.org');
    for (let i = 0; i < 5; i++) await signIn(serverA.identifiable, { email: 'ann@example.org', password: `guess ${i}`, now: T0 });
    // A second server on the same store refuses at once.
    const serverB = await opener.openIn(dir);
    expect(await signIn(serverB.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 + MINUTE })).toMatchObject({ reason: 'rate-limited' });
    await serverA.close();
    await serverB.close();
    const restarted = await openStores({ dataDir: join(dir, 'data') });
    try {
      expect(await signIn(restarted.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 + 2 * MINUTE })).toMatchObject({ reason: 'rate-limited' });
      signedIn(await signIn(restarted.identifiable, { email: 'ann@example.org', password: PASSWORD, now: T0 + 15 * MINUTE }));
    } finally {
      await restarted.close();
    }
  });

  it('prunes failed attempts older than a day', async () => {
    const stores = await opener.openIn(tempDir());
    await signIn(stores.identifiable, { email: 'old@example.org', password: 'a guess of a password', now: T0 });
    await signIn(stores.identifiable, { email: 'new@example.org', password: 'a guess of a password', now: T0 + 25 * HOUR });
    expect(await stores.identifiable.selectFrom('sign_in_attempt').select('email').execute()).toEqual([{ email: 'new@example.org' }]);
  });
});
