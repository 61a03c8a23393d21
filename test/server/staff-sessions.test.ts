import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import {
  authenticateStaff,
  checkStaffSession,
  clientTag,
  deviceCookieValue,
  findStaffSession,
  recognisedDevice,
  signIn,
  signInRefusedMessage,
  signInWaitFor,
  signOut,
  touchStaffSession,
  type ClientTag,
  type DeviceTag,
  type SignInResult,
} from '../../server/staff/staff-sessions.js';
import { identifiableMigrations } from '../../server/storage/migrations/identifiable/identifiable-migrations.js';
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
      { actor: null, action: 'staff.sign-in.failed', detail: { email: 'ann@example.org', reason: 'wrong password', device: 'not recognised' } },
      { actor: null, action: 'staff.sign-in.failed', detail: { email: 'nobody@example.org', reason: 'unknown email', device: 'not recognised' } },
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
    expect((await auditOf(stores, ['staff.sign-in.failed'])).map((e) => e.detail)).toEqual([
      { email: 'ann@example.org', reason: 'account disabled', device: 'not recognised' },
    ]);
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

describe('sign-in throttling (held in the database)', () => {
  const ANN = 'ann@example.org';
  const attemptRows = (stores: Stores) => stores.identifiable.selectFrom('sign_in_attempt').selectAll().execute();
  /** A wrong password for `email`, which must be checked (not made to wait). */
  const failAt = async (stores: Stores, now: number, extra: { email?: string; client?: ClientTag; device?: DeviceTag } = {}) =>
    expect(await signIn(stores.identifiable, { email: ANN, password: 'a wrong guess', now, ...extra })).toMatchObject({ reason: 'invalid' });

  it('without a device cookie: 5 failures for an email are free, then each attempt waits 1 s, 2 s, 4 s ... after the last failure, up to a minute', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, ANN);
    let t = T0;
    for (let i = 0; i < 5; i++) await failAt(stores, (t += 1000));
    // The next attempt waits 1 s after the fifth failure, whatever its password: none is checked meanwhile.
    expect(await signIn(stores.identifiable, { email: 'ANN@example.org', password: PASSWORD, now: t + 400 })).toEqual({
      ok: false,
      reason: 'rate-limited',
      message: 'Too many attempts; try again in 1 second',
      retryAfterMs: 600,
    });
    // Each failure after the wait doubles the next wait, up to a minute.
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const wait = await signInWaitFor(stores.identifiable, { email: ANN, now: t });
      waits.push(wait!);
      await failAt(stores, (t += wait!));
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(await signIn(stores.identifiable, { email: ANN, password: PASSWORD, now: t })).toMatchObject({
      reason: 'rate-limited',
      message: 'Too many attempts; try again in 1 minute',
      retryAfterMs: 60_000,
    });

    // Refused attempts are neither stored nor audited: the wait does not grow while someone keeps trying,
    // and a flood of them writes nothing.
    const rows = await attemptRows(stores);
    const audit = await auditOf(stores);
    expect(rows).toHaveLength(13);
    expect(audit).toHaveLength(13);
    for (let i = 0; i < 20; i++)
      expect(await signIn(stores.identifiable, { email: ANN, password: PASSWORD, now: t + 59_000 })).toMatchObject({ reason: 'rate-limited' });
    expect(await attemptRows(stores)).toEqual(rows);
    expect(await auditOf(stores)).toEqual(audit);
    expect(audit.every((e) => e.action === 'staff.sign-in.failed')).toBe(true);

    // The right password is checked as soon as the wait is over.
    signedIn(await signIn(stores.identifiable, { email: ANN, password: PASSWORD, now: t + 60_000 }));
  });

  it('an attempt with the email’s device cookie is never slowed by other clients’ failures, only by its own', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, ANN);
    const cookie = deviceCookieValue(key, ANN);
    const device = recognisedDevice(key, cookie, ' Ann@Example.ORG ')!;
    expect(device).toBeDefined();
    // The cookie vouches for its own account only, from this server only, and not once altered.
    expect(recognisedDevice(key, cookie, 'bob@example.org')).toBeUndefined();
    expect(recognisedDevice(randomBytes(32), cookie, ANN)).toBeUndefined();
    expect(recognisedDevice(key, `${cookie.slice(0, 40)}AAA${cookie.slice(43)}`, ANN)).toBeUndefined();
    expect(recognisedDevice(key, undefined, ANN)).toBeUndefined();

    // Someone else guesses at Ann's password, from all over, including her own office's address.
    const office = clientTag(key, '198.51.100.4');
    let t = T0;
    for (let i = 0; i < 9; i++) {
      t += (await signInWaitFor(stores.identifiable, { email: ANN, now: t })) ?? 1000;
      await failAt(stores, t, { client: i % 3 === 0 ? office : clientTag(key, `203.0.113.${i}`) });
    }
    expect(await signInWaitFor(stores.identifiable, { email: ANN, client: office, now: t })).toBe(16_000);
    // Ann's browser is not held up at all.
    expect(await signInWaitFor(stores.identifiable, { email: ANN, client: office, device, now: t })).toBeUndefined();
    signedIn(await signIn(stores.identifiable, { email: ANN, password: PASSWORD, client: office, device, now: t }));

    // The device's own failures count against it alone: 5 free, then it waits too...
    let d = t;
    for (let i = 0; i < 5; i++) await failAt(stores, (d += 1000), { client: office, device });
    expect(await signIn(stores.identifiable, { email: ANN, password: PASSWORD, client: office, device, now: d })).toMatchObject({
      reason: 'rate-limited',
      message: 'Too many attempts; try again in 1 second',
    });
    // ...and do not add to the wait of other clients, which still counts the 9 failures above only.
    expect(await signInWaitFor(stores.identifiable, { email: ANN, now: t + 1000 })).toBe(15_000);
    // Another device of Ann's is not held up by this one.
    const laptop = recognisedDevice(key, deviceCookieValue(key, ANN), ANN)!;
    expect(await signInWaitFor(stores.identifiable, { email: ANN, device: laptop, now: d })).toBeUndefined();

    // A sign-in on the device clears its failures, not those of other clients.
    signedIn(await signIn(stores.identifiable, { email: ANN, password: PASSWORD, client: office, device, now: d + 1000 }));
    const rows = await attemptRows(stores);
    expect(rows.filter((r) => r.device === device)).toEqual([]);
    expect(rows).toHaveLength(9);
    // Stored: a keyed tag of the device and of the address, never the cookie's nonce.
    const stored = JSON.stringify(await stores.identifiable.selectFrom('sign_in_attempt').selectAll().execute());
    expect(stored).not.toContain(cookie.split('.')[0]!);
    expect(stored).not.toContain('198.51.100.4');
  });

  it('audits each failure with whether the browser’s device cookie was recognised', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, ANN);
    const device = recognisedDevice(key, deviceCookieValue(key, ANN), ANN)!;
    await failAt(stores, T0);
    await failAt(stores, T0 + 1, { device });
    expect((await auditOf(stores)).map((e) => e.detail)).toEqual([
      { email: ANN, reason: 'wrong password', device: 'not recognised' },
      { email: ANN, reason: 'wrong password', device: 'recognised' },
    ]);
  });

  it('counts failures for emails that have no account the same way, so the waits do not tell which emails exist', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, ANN);
    const results = async (email: string) => {
      const seen: unknown[] = [];
      for (let i = 0; i < 7; i++) seen.push(await signIn(stores.identifiable, { email, password: `guess ${i}`, now: T0 + i * 500 }));
      return seen;
    };
    const known = await results(ANN);
    expect(await results('nobody@example.org')).toEqual(known);
    expect(known.slice(5)).toEqual([
      { ok: false, reason: 'rate-limited', message: 'Too many attempts; try again in 1 second', retryAfterMs: 500 },
      { ok: false, reason: 'invalid', message: signInRefusedMessage },
    ]);
  });

  it('of several attempts made at once past the free failures, only one has its password checked; a double click among them goes on', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, ANN);
    // A double click, with no failures yet: both are checked.
    const twice = await Promise.all([0, 1].map(() => signIn(stores.identifiable, { email: ANN, password: 'a wrong guess', now: T0 })));
    expect(twice.map((r) => r.ok || r.reason)).toEqual(['invalid', 'invalid']);
    for (let i = 1; i <= 3; i++) await failAt(stores, T0 + i * 1000);
    // Five failures: the next attempt waits a second. Ten sent together when it is over: one is checked.
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(stores.identifiable, { email: ANN, password: `guess ${i}`, now: T0 + 4000 })));
    expect(burst.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(1);
    expect(burst.filter((r) => !r.ok && r.reason === 'rate-limited')).toHaveLength(9);
    expect(await attemptRows(stores)).toHaveLength(6);
  });

  it('refuses a client address without a device cookie after 20 failures over any emails, but not the same emails from elsewhere or from a recognised device', async () => {
    const stores = await opener.openIn(tempDir());
    await addStaff(stores, ANN);
    const attacker = clientTag(key, '203.0.113.9');
    const office = clientTag(key, '198.51.100.4');
    for (let i = 0; i < 20; i++) await failAt(stores, T0 + i * 1000, { email: `user${i}@example.org`, client: attacker });
    expect(await signIn(stores.identifiable, { email: ANN, password: PASSWORD, client: attacker, now: T0 + MINUTE })).toMatchObject({
      reason: 'rate-limited',
      // The first failure (at T0) leaves the window at T0 + 15 minutes.
      message: 'Too many attempts; try again in 14 minutes',
    });
    signedIn(await signIn(stores.identifiable, { email: ANN, password: PASSWORD, client: office, now: T0 + MINUTE }));
    // Ann's own browser at the same address (a shared office connection) is not held up.
    const device = recognisedDevice(key, deviceCookieValue(key, ANN), ANN)!;
    signedIn(await signIn(stores.identifiable, { email: ANN, password: PASSWORD, client: attacker, device, now: T0 + MINUTE }));
    // The store holds a keyed hash of the address, never the address.
    const clients = await stores.identifiable.selectFrom('sign_in_attempt').select('client').distinct().execute();
    expect(clients).toEqual([{ client: attacker }]);
    expect(JSON.stringify(clients)).not.toContain('203.0.113');
    expect(clientTag(randomBytes(32), '203.0.113.9')).not.toBe(attacker);
  });

  it('holds across servers sharing the database and across restarts', async () => {
    const dir = tempDir();
    const serverA = await opener.openIn(dir);
    await addStaff(serverA, ANN);
    for (let i = 0; i < 5; i++) await failAt(serverA, T0);
    // A second server on the same store makes the next attempt wait too.
    const serverB = await opener.openIn(dir);
    expect(await signIn(serverB.identifiable, { email: ANN, password: PASSWORD, now: T0 + 500 })).toMatchObject({ reason: 'rate-limited' });
    await serverA.close();
    await serverB.close();
    const restarted = await openStores({ dataDir: join(dir, 'data') });
    try {
      expect(await signIn(restarted.identifiable, { email: ANN, password: PASSWORD, now: T0 + 500 })).toMatchObject({ reason: 'rate-limited' });
      signedIn(await signIn(restarted.identifiable, { email: ANN, password: PASSWORD, now: T0 + 1000 }));
    } finally {
      await restarted.close();
    }
  });

  it('keeps counting failures stored before the device column existed against their email', async () => {
    const dir = tempDir();
    const stores = await opener.openIn(dir);
    await addStaff(stores, ANN);
    // Back to the schema before migration 0008, with failures written then; then the server starts again.
    const migrator = new Migrator({ db: stores.identifiable, provider: { getMigrations: async () => identifiableMigrations } });
    expect((await migrator.migrateDown()).error).toBeUndefined();
    for (let i = 0; i < 5; i++) {
      await sql`insert into sign_in_attempt (id, at, email, client) values (${`old-${i}`}, ${T0 + i}, ${ANN}, ${null})`.execute(stores.identifiable);
    }
    await stores.close();
    const upgraded = await opener.openIn(dir);
    expect(await signIn(upgraded.identifiable, { email: ANN, password: PASSWORD, now: T0 + 500 })).toMatchObject({ reason: 'rate-limited' });
    await failAt(upgraded, T0 + 1004);
    expect((await attemptRows(upgraded)).map((r) => [r.device, r.ordinal])).toEqual([...Array(5).fill([null, null]), [null, 1]]);
  });

  it('prunes failed attempts older than a day', async () => {
    const stores = await opener.openIn(tempDir());
    await signIn(stores.identifiable, { email: 'old@example.org', password: 'a guess of a password', now: T0 });
    await signIn(stores.identifiable, { email: 'new@example.org', password: 'a guess of a password', now: T0 + 25 * HOUR });
    expect(await stores.identifiable.selectFrom('sign_in_attempt').select('email').execute()).toEqual([{ email: 'new@example.org' }]);
  });
});
