import { sql } from 'kysely';
import { onPostgres } from '../support/test-databases.js';
import { afterEach, describe, expect, it } from 'vitest';
import { doubleSubmitToken } from '../../server/http/double-submit-csrf.js';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { signInRequestLimit } from '../../server/accounts/session-pages.js';
import { clientTag, signInRefusedMessage } from '../../server/staff/staff-sessions.js';
import { looksLikeToken, randomToken, sha256, unmaskToken } from '../../server/security/tokens.js';
import { staffCookies } from '../../server/staff/staff-context.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { disableStaffUser } from '../../server/storage/staff-user-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';
import { CookieJar, csrfOf, errorSummaryTargets, idsOf, titleOf } from './respondent-helpers.js';
import { addStaff, auditOf, HOUR, MINUTE, PASSWORD } from './staff-helpers.js';
import { staffApp, T0 } from './staff-web-helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const setup = async (options: Parameters<typeof staffApp>[1] = {}) => {
  const stores = await opener.openIn(tempDir());
  return { stores, ...staffApp(stores, options) };
};

/** A Set-Cookie header's attributes, lower-cased names. */
const cookieAttributes = (header: string) => {
  const [pair, ...parts] = header.split(';').map((p) => p.trim());
  const attributes = Object.fromEntries(parts.map((p) => [p.split('=')[0]!.toLowerCase(), p.includes('=') ? p.slice(p.indexOf('=') + 1) : true]));
  return { name: pair!.slice(0, pair!.indexOf('=')), value: pair!.slice(pair!.indexOf('=') + 1), attributes };
};
const setCookie = (setCookies: readonly string[], name: string) => setCookies.map(cookieAttributes).find((c) => c.name === name);

const h1Of = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1]?.trim();

/** The visible text of the error summary's links, in order. */
const summaryMessages = (html: string) => {
  const summary = /<div class="ds_error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]!);
};

/** Every row of every table of the identifiable store, as text. */
const everythingStored = async (stores: Stores) => {
  const tables = onPostgres()
    ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(stores.identifiable)
    : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(stores.identifiable);
  const rows: unknown[] = [];
  for (const { name } of tables.rows) rows.push(name, ...(await sql`select * from ${sql.table(name)}`.execute(stores.identifiable)).rows);
  return JSON.stringify(rows);
};

const sessionCount = async (stores: Stores) => (await stores.identifiable.selectFrom('staff_session').selectAll().execute()).length;

describe('GET /staff/sign-in', () => {
  it('shows the form with its fields labelled, one button, and a signed double-submit token', async () => {
    const t = await setup();
    const page = await t.send(new CookieJar(), 'GET', '/staff/sign-in');
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Sign in – CSWO survey – Social Work Scotland');
    expect(h1Of(page.html)).toBe('Sign in');
    expect(page.html).toMatch(/<label class="ds_label" for="email">Email address<\/label>/);
    expect(page.html).toMatch(/<label class="ds_label" for="password">Password<\/label>/);
    expect(page.html).toMatch(/<input[^>]*type="email"[^>]*id="email"[^>]*autocomplete="username"/);
    expect(page.html).toMatch(/<input[^>]*type="password"[^>]*id="password"[^>]*value=""[^>]*autocomplete="current-password"/);
    expect(page.html.match(/<button/g)).toHaveLength(1);
    expect(page.html).not.toContain('ds_error-summary');
    // The form's token is the HMAC of the cookie's value under the server key, masked afresh.
    const cookie = setCookie(page.setCookies, staffCookies.signIn)!;
    expect(cookie.attributes).toMatchObject({ path: '/staff/sign-in', httponly: true, secure: true, samesite: 'Strict', 'max-age': '3600' });
    expect(unmaskToken(csrfOf(page.html))).toBe(unmaskToken(doubleSubmitToken(t.key, cookie.value)));
    // No session yet, and every showing has its own value.
    expect(setCookie(page.setCookies, staffCookies.session)).toBeUndefined();
    const again = await t.send(new CookieJar(), 'GET', '/staff/sign-in');
    expect(setCookie(again.setCookies, staffCookies.signIn)!.value).not.toBe(cookie.value);
  });
});

describe('POST /staff/sign-in', () => {
  it('re-renders missing or malformed input with a 400, an error summary first and inline errors, and never echoes the password', async () => {
    const t = await setup();
    const jar = new CookieJar();
    const empty = await t.signIn(jar, '', '');
    expect(empty.status).toBe(400);
    expect(titleOf(empty.html)).toMatch(/^Error: Sign in – /);
    expect(summaryMessages(empty.html)).toEqual(['Enter your email address', 'Enter your password']);
    expect(errorSummaryTargets(empty.html)).toEqual(['email', 'password']);
    expect(empty.html.indexOf('ds_error-summary')).toBeLessThan(empty.html.indexOf('<h1'));
    for (const field of ['email', 'password']) {
      expect(idsOf(empty.html)).toContain(field);
      expect(empty.html).toMatch(new RegExp(`id="${field}-error"><span class="visually-hidden">Error:</span> Enter your`));
      expect(empty.html).toMatch(new RegExp(`<input class="ds_input ds_input--error"[^>]*id="${field}"[^>]*aria-describedby="${field}-error"`));
    }

    const secret = 'my very secret passphrase';
    const malformed = await t.signIn(jar, 'ann at example.org', secret);
    expect(malformed.status).toBe(400);
    expect(summaryMessages(malformed.html)).toEqual(['Enter an email address in the correct format, like name@example.org']);
    expect(malformed.html).toContain('value="ann at example.org"');
    expect(malformed.html).not.toContain(secret);
    // Input that is not even an attempt is neither counted nor audited.
    expect(await auditOf(t.stores)).toEqual([]);
    expect(await t.stores.identifiable.selectFrom('sign_in_attempt').selectAll().execute()).toEqual([]);
  });

  it('gives one generic message for a wrong password, an unknown email and a disabled account, audits them with the client tag, never the password', async () => {
    const t = await setup();
    await addStaff(t.stores, 'ann@example.org', 'admin');
    const bob = await addStaff(t.stores, 'bob@example.org', 'analyst');
    await disableStaffUser(t.stores.identifiable, bob.id);
    const wrong = 'Tr0ub4dor&3 is not it';
    const pages = [
      await t.signIn(new CookieJar(), 'ann@example.org', wrong, { address: '203.0.113.9' }),
      await t.signIn(new CookieJar(), 'nobody@example.org', wrong, { address: '203.0.113.9' }),
      await t.signIn(new CookieJar(), 'bob@example.org', PASSWORD, { address: '203.0.113.9' }),
    ];
    const withoutToken = (html: string) => html.replace(/name="_csrf" value="[^"]+"/, '').replace(/value="[^"]*@example.org"/, '');
    for (const page of pages) {
      expect(page.status).toBe(400);
      expect(titleOf(page.html)).toMatch(/^Error: Sign in/);
      expect(summaryMessages(page.html)).toEqual([signInRefusedMessage]);
      expect(errorSummaryTargets(page.html)).toEqual(['email']);
      expect(setCookie(page.setCookies, staffCookies.session)).toBeUndefined();
      // Nothing on the page tells which of the three it was.
      expect(withoutToken(page.html)).toBe(withoutToken(pages[0]!.html));
    }
    expect(pages[0]!.html).toContain('value="ann@example.org"');
    expect(pages[0]!.html).not.toContain(wrong);
    expect(await sessionCount(t.stores)).toBe(0);
    expect(await auditOf(t.stores)).toEqual([
      { actor: null, action: 'staff.sign-in.failed', detail: { email: 'ann@example.org', reason: 'wrong password', device: 'not recognised' } },
      { actor: null, action: 'staff.sign-in.failed', detail: { email: 'nobody@example.org', reason: 'unknown email', device: 'not recognised' } },
      { actor: null, action: 'staff.sign-in.failed', detail: { email: 'bob@example.org', reason: 'account disabled', device: 'not recognised' } },
    ]);
    // The address is counted by its keyed tag, never stored as such.
    const attempts = await t.stores.identifiable.selectFrom('sign_in_attempt').select(['email', 'client']).execute();
    expect(attempts.map((a) => a.client)).toEqual(Array(3).fill(clientTag(t.key, '203.0.113.9')));
    const stored = await everythingStored(t.stores);
    for (const text of [wrong, PASSWORD, '203.0.113.9']) expect(stored).not.toContain(text);
    expect(t.logged).toEqual([]);
  });

  it('after 5 failures for an email makes the next attempt wait (429, "try again in N seconds", Retry-After) without checking or writing anything, then lets the right password in', async () => {
    const t = await setup();
    await addStaff(t.stores, 'ann@example.org');
    for (let i = 0; i < 5; i++) {
      t.clock.now = T0 + i * 1000;
      expect((await t.signIn(new CookieJar(), 'ann@example.org', `guess number ${i}`, { address: `203.0.113.${i}` })).status).toBe(400);
    }
    const attempts = await t.stores.identifiable.selectFrom('sign_in_attempt').selectAll().execute();
    const audit = await auditOf(t.stores);
    // The fifth failure was at T0 + 4 s: the next attempt waits until T0 + 5 s, with the right password too.
    t.clock.now = T0 + 4500;
    const refused = await t.signIn(new CookieJar(), 'ann@example.org', PASSWORD, { address: '198.51.100.7' });
    expect(refused.status).toBe(429);
    expect(summaryMessages(refused.html)).toEqual(['Too many attempts; try again in 1 second']);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(setCookie(refused.setCookies, staffCookies.session)).toBeUndefined();
    expect(setCookie(refused.setCookies, staffCookies.device)).toBeUndefined();
    // The same page for an email without an account.
    for (let i = 0; i < 5; i++) await t.signIn(new CookieJar(), 'nobody@example.org', `guess number ${i}`, { address: `192.0.2.${i}` });
    const nobody = await t.signIn(new CookieJar(), 'nobody@example.org', PASSWORD, { address: '198.51.100.7' });
    expect(nobody.status).toBe(429);
    expect(summaryMessages(nobody.html)).toEqual(summaryMessages(refused.html));
    // Refused attempts are not stored, not audited, not even counted against the address.
    const afterNobody = { attempts: await t.stores.identifiable.selectFrom('sign_in_attempt').selectAll().execute(), audit: await auditOf(t.stores) };
    for (let i = 0; i < 10; i++) expect((await t.signIn(new CookieJar(), 'ann@example.org', PASSWORD, { address: '198.51.100.7' })).status).toBe(429);
    expect(await t.stores.identifiable.selectFrom('sign_in_attempt').selectAll().execute()).toEqual(afterNobody.attempts);
    expect(await auditOf(t.stores)).toEqual(afterNobody.audit);
    expect(afterNobody.attempts.slice(0, 5)).toEqual(attempts);
    expect(afterNobody.audit.slice(0, 5)).toEqual(audit);
    expect(await auditOf(t.stores, ['staff.sign-in.refused'])).toEqual([]);
    // Once the wait is over, the right password works.
    t.clock.now = T0 + 5000;
    expect(await t.signIn(new CookieJar(), 'ann@example.org', PASSWORD, { address: '198.51.100.7' })).toMatchObject({ status: 303, location: '/staff' });
  });

  it('gives the browser a device cookie at sign-in, kept after sign-out, with which it is never slowed by failures elsewhere', async () => {
    const t = await setup();
    await addStaff(t.stores, 'ann@example.org', 'admin');
    await addStaff(t.stores, 'bob@example.org', 'analyst');
    const ann = new CookieJar();
    const sent = await t.signIn(ann, 'ann@example.org', PASSWORD, { address: '198.51.100.4' });
    expect(sent.status).toBe(303);
    const device = setCookie(sent.setCookies, staffCookies.device)!;
    expect(device.attributes).toEqual({ path: '/staff/sign-in', httponly: true, secure: true, samesite: 'Strict', 'max-age': String(365 * 24 * 60 * 60) });
    // Sign-out ends the session, not the device cookie.
    const home = await t.send(ann, 'GET', '/staff');
    const out = await t.send(ann, 'POST', '/staff/sign-out', { form: { _csrf: csrfOf(home.html) } });
    expect(setCookie(out.setCookies, staffCookies.device)).toBeUndefined();
    expect(ann.value(staffCookies.device)).toBe(device.value);

    // Someone guesses at Ann's password from elsewhere and from her office's own address.
    for (let i = 0; i < 12; i++) {
      t.clock.now += MINUTE;
      expect((await t.signIn(new CookieJar(), 'ann@example.org', `guess ${i}`, { address: i % 2 ? '198.51.100.4' : `203.0.113.${i}` })).status).toBe(400);
    }
    expect((await t.signIn(new CookieJar(), 'ann@example.org', PASSWORD, { address: '198.51.100.4' })).status).toBe(429);
    // Ann's browser signs in at once, and gets a new device cookie.
    const again = await t.signIn(ann, 'ann@example.org', PASSWORD, { address: '198.51.100.4' });
    expect(again).toMatchObject({ status: 303, location: '/staff' });
    expect(setCookie(again.setCookies, staffCookies.device)!.value).not.toBe(device.value);

    // Her cookie does nothing for another account tried from her browser.
    for (let i = 0; i < 5; i++) expect((await t.signIn(new CookieJar(), 'bob@example.org', `guess ${i}`, { address: `192.0.2.${i}` })).status).toBe(400);
    expect((await t.signIn(ann, 'bob@example.org', PASSWORD, { address: '198.51.100.4' })).status).toBe(429);
    // Nor does a cookie copied and altered.
    const forged = new CookieJar();
    forged.set(staffCookies.device, `${device.value.slice(0, -3)}AAA`, '/staff/sign-in');
    expect((await t.signIn(forged, 'ann@example.org', PASSWORD, { address: '198.51.100.4' })).status).toBe(429);
    expect((await auditOf(t.stores, ['staff.sign-in.failed'])).map((e) => e.detail.device)).toEqual(Array(17).fill('not recognised'));
  });

  it('counts password checks per address (30 in 15 minutes) and refuses more without a write; forms refused earlier are not counted', async () => {
    const t = await setup();
    await addStaff(t.stores, 'ann@example.org');
    const jar = new CookieJar();
    // Each page shown comes with a fresh token, as a person re-sending the form would use.
    let page = await t.send(jar, 'GET', '/staff/sign-in');
    const post = async (address: string, password: string, form: Record<string, string> = {}) =>
      (page = await t.send(jar, 'POST', '/staff/sign-in', { form: { _csrf: csrfOf(page.html), email: 'ann@example.org', password, ...form }, address }));
    // Forms that never reach a password check write nothing at all.
    for (let i = 0; i < 40; i++) expect((await post('198.51.100.1', '')).status).toBe(400);
    for (let i = 0; i < 10; i++) expect((await post('198.51.100.1', PASSWORD, { _csrf: 'x' })).status).toBe(403);
    expect(await t.stores.identifiable.selectFrom('rate_limit').selectAll().execute()).toEqual([]);
    // Every password check counts, right or wrong; a refused request does not.
    for (let i = 0; i < signInRequestLimit.limit; i++) {
      page = await t.send(jar, 'GET', '/staff/sign-in');
      expect((await post('198.51.100.1', i % 10 === 0 ? 'a wrong guess' : PASSWORD)).status, `attempt ${i + 1}`).toBe(i % 10 === 0 ? 400 : 303);
    }
    const counted = await t.stores.identifiable.selectFrom('rate_limit').selectAll().execute();
    expect(counted.map((r) => r.hits)).toEqual([signInRequestLimit.limit]);
    const audit = await auditOf(t.stores);
    page = await t.send(jar, 'GET', '/staff/sign-in');
    const refused = await post('198.51.100.1', PASSWORD);
    expect(refused.status).toBe(429);
    expect(summaryMessages(refused.html)).toEqual(['Too many attempts; try again in 15 minutes']);
    expect(Number(refused.headers.get('retry-after'))).toBe(15 * 60);
    expect(await t.stores.identifiable.selectFrom('rate_limit').selectAll().execute()).toEqual(counted);
    expect(await auditOf(t.stores)).toEqual(audit);
    // Another address is not held up, and the page itself is never limited.
    page = await t.send(jar, 'GET', '/staff/sign-in');
    expect((await post('198.51.100.2', PASSWORD)).status).toBe(303);
    expect((await t.send(jar, 'GET', '/staff/sign-in', { address: '198.51.100.1' })).status).toBe(200);
  });

  it('on success sets a new session cookie (httpOnly, Secure, SameSite=Strict, Path=/staff), clears the form cookie, audits, and sends to /staff', async () => {
    const t = await setup();
    const ann = await addStaff(t.stores, 'ann@example.org', 'researcher');
    const jar = new CookieJar();
    const sent = await t.signIn(jar, ' Ann@Example.org ', PASSWORD, { address: '192.0.2.4' });
    expect(sent).toMatchObject({ status: 303, location: '/staff' });
    const session = setCookie(sent.setCookies, staffCookies.session)!;
    expect(session.attributes).toEqual({ path: '/staff', httponly: true, secure: true, samesite: 'Strict' });
    expect(looksLikeToken(session.value)).toBe(true);
    expect(setCookie(sent.setCookies, staffCookies.signIn)!.attributes).toMatchObject({ path: '/staff/sign-in', 'max-age': '0' });
    // Only the token's hash is stored.
    expect((await t.stores.identifiable.selectFrom('staff_session').select('token_hash').execute()).map((r) => r.token_hash)).toEqual([sha256(session.value)]);
    expect(await auditOf(t.stores)).toEqual([{ actor: ann.id, action: 'staff.sign-in', detail: { email: 'ann@example.org' } }]);

    const home = await t.send(jar, 'GET', '/staff');
    expect(home.status).toBe(200);
    expect(titleOf(home.html)).toBe('Staff home – CSWO survey – Social Work Scotland');
    expect(home.html).toContain('Signed in as <strong class="staff-account__email">ann@example.org</strong> (Researcher)');
    // The researcher sees what a researcher will be able to do, and nothing else.
    expect(home.html).toContain('<a class="ds_link" href="/staff/research">Research downloads</a>');
    expect(home.html).not.toContain('Response rates');
    expect(home.html).not.toContain('Staff accounts');
    // Every area has its page now: nothing says the pages are still to come.
    expect(home.html).not.toContain('Until these pages arrive');
    expect(home.html).not.toContain('(coming)');
    expect(unmaskToken(csrfOf(home.html))).toBe(unmaskToken(csrfToken(t.key, session.value)));
  });

  it('lists each role its own areas on the home page', async () => {
    const t = await setup();
    const areas = async (role: 'admin' | 'analyst' | 'researcher') => {
      const { jar } = await t.signedIn(role);
      const html = (await t.send(jar, 'GET', '/staff')).html;
      return [...html.matchAll(/<li>(?:\s|<!--[^]*?-->)*<a class="ds_link" href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    };
    const admin = await areas('admin');
    expect(admin.slice(0, 3)).toEqual(['Response rates', 'Tables, charts and wave comparisons', 'Research downloads']);
    expect(admin.length).toBeGreaterThan(3);
    expect(await areas('analyst')).toEqual(['Tables, charts and wave comparisons', 'Survey definitions']);
    expect(await areas('researcher')).toEqual(['Research downloads']);
  });
});

describe('session rotation', () => {
  it('makes a new token at every sign-in and ends the one the browser held', async () => {
    const t = await setup();
    const { jar, token: first } = await t.signedIn('admin', 'ann@example.org');
    expect((await t.signIn(jar, 'ann@example.org')).status).toBe(303);
    const second = jar.value(staffCookies.session)!;
    expect(second).not.toBe(first);
    expect((await t.send(jar, 'GET', '/staff')).status).toBe(200);
    const old = new CookieJar();
    old.set(staffCookies.session, first, '/staff');
    expect((await t.send(old, 'GET', '/staff')).status).toBe(401);
    expect(await sessionCount(t.stores)).toBe(1);
  });

  it('does not accept a token set in the browser before sign-in, whether made up or an attacker’s own session', async () => {
    const t = await setup();
    const attacker = await t.signedIn('analyst', 'mallory@example.org');
    await addStaff(t.stores, 'ann@example.org', 'admin');
    for (const planted of [randomToken(), attacker.token]) {
      const victim = new CookieJar();
      victim.set(staffCookies.session, planted, '/staff');
      expect((await t.signIn(victim, 'ann@example.org')).status).toBe(303);
      const issued = victim.value(staffCookies.session)!;
      expect(issued).not.toBe(planted);
      // The planted token opens nothing: not the victim's session, and not any more the attacker's.
      const withPlanted = new CookieJar();
      withPlanted.set(staffCookies.session, planted, '/staff');
      expect((await t.send(withPlanted, 'GET', '/staff')).status).toBe(401);
      expect((await t.send(victim, 'GET', '/staff')).html).toContain('Signed in as <strong class="staff-account__email">ann@example.org</strong>');
    }
  });
});

describe('POST /staff/sign-out', () => {
  it('ends the session, clears the cookie, audits, and shows the signed-out page', async () => {
    const t = await setup();
    const { jar, token } = await t.signedIn('analyst', 'ann@example.org');
    const home = await t.send(jar, 'GET', '/staff');
    const out = await t.send(jar, 'POST', '/staff/sign-out', { form: { _csrf: csrfOf(home.html) } });
    expect(out.status).toBe(200);
    expect(h1Of(out.html)).toBe('You have signed out');
    expect(out.html).toContain('href="/staff/sign-in"');
    expect(out.html).not.toContain('Signed in as');
    expect(setCookie(out.setCookies, staffCookies.session)!.attributes).toMatchObject({ path: '/staff', 'max-age': '0' });
    expect(jar.value(staffCookies.session)).toBeUndefined();
    expect(await sessionCount(t.stores)).toBe(0);
    expect((await auditOf(t.stores, ['staff.sign-out'])).map((e) => e.detail)).toEqual([{ email: 'ann@example.org' }]);
    // The token is worthless now, even sent again by hand.
    const replay = new CookieJar();
    replay.set(staffCookies.session, token, '/staff');
    expect((await t.send(replay, 'GET', '/staff')).status).toBe(401);
    expect((await t.send(replay, 'POST', '/staff/sign-out', { form: { _csrf: csrfToken(t.key, token) } })).status).toBe(401);
  });
});

describe('timeouts', () => {
  it('after 30 minutes without a request sends to the sign-in page, which says why; each request restarts the time', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('admin');
    for (const minutes of [29, 58, 87]) {
      t.clock.now = T0 + minutes * MINUTE;
      expect((await t.send(jar, 'GET', '/staff')).status).toBe(200);
    }
    t.clock.now = T0 + (87 + 30) * MINUTE;
    const ended = await t.send(jar, 'GET', '/staff');
    expect(ended).toMatchObject({ status: 303, location: '/staff/sign-in?ended=idle' });
    expect(setCookie(ended.setCookies, staffCookies.session)!.attributes).toMatchObject({ 'max-age': '0' });
    const page = await t.send(jar, 'GET', ended.location!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('You were signed out after 30 minutes without activity');
    expect(await sessionCount(t.stores)).toBe(0);
  });

  it('8 hours after sign-in sends to the sign-in page however active the session was, for a form too', async () => {
    const t = await setup();
    const { jar, token } = await t.signedIn('analyst');
    for (let minutes = 25; minutes < 8 * 60; minutes += 25) {
      t.clock.now = T0 + minutes * MINUTE;
      expect((await t.send(jar, 'GET', '/staff')).status, `after ${minutes} minutes`).toBe(200);
    }
    t.clock.now = T0 + 8 * HOUR;
    const ended = await t.send(jar, 'POST', '/staff/sign-out', { form: { _csrf: csrfToken(t.key, token) } });
    expect(ended).toMatchObject({ status: 303, location: '/staff/sign-in?ended=absolute' });
    expect((await t.send(jar, 'GET', ended.location!)).html).toContain('You were signed out because a session lasts 8 hours at most');
    // The query string says only which timeout; anything else shows no message.
    expect((await t.send(jar, 'GET', '/staff/sign-in?ended=%3Cscript%3E')).html).not.toContain('ds_inset-text');
  });
});

describe('CSRF', () => {
  it('refuses a sign-in without its cookie, with a token of another cookie, a stale form, or from another site, and shows the form again', async () => {
    const t = await setup();
    await addStaff(t.stores, 'ann@example.org');
    const jar = new CookieJar();
    const token = csrfOf((await t.send(jar, 'GET', '/staff/sign-in')).html);
    const other = new CookieJar();
    const otherToken = csrfOf((await t.send(other, 'GET', '/staff/sign-in')).html);
    const form = { email: 'ann@example.org', password: PASSWORD };
    const attempts: [string, CookieJar, Record<string, string>, Record<string, string>?][] = [
      ['no cookie', new CookieJar(), { ...form, _csrf: token }],
      ['no token', jar, form],
      ["another cookie's token", jar, { ...form, _csrf: otherToken }],
      ['another site', jar, { ...form, _csrf: token }, { origin: 'https://evil.example' }],
    ];
    for (const [why, browser, body, headers] of attempts) {
      const refused = await t.send(browser, 'POST', '/staff/sign-in', { form: body, headers });
      expect(refused.status, why).toBe(403);
      expect(summaryMessages(refused.html), why).toEqual(['The sign-in page had expired. Enter your email address and password again.']);
      expect(setCookie(refused.setCookies, staffCookies.session), why).toBeUndefined();
    }
    // An hour later the same page's form is stale, though the browser still sends its cookie.
    const fresh = new CookieJar();
    const freshToken = csrfOf((await t.send(fresh, 'GET', '/staff/sign-in')).html);
    t.clock.now = T0 + HOUR + 1;
    expect((await t.send(fresh, 'POST', '/staff/sign-in', { form: { ...form, _csrf: freshToken } })).status).toBe(403);
    expect(await auditOf(t.stores)).toEqual([]);
    expect(await sessionCount(t.stores)).toBe(0);
    // The page shown after a refusal works.
    const retry = await t.send(fresh, 'GET', '/staff/sign-in');
    expect((await t.send(fresh, 'POST', '/staff/sign-in', { form: { ...form, _csrf: csrfOf(retry.html) } })).status).toBe(303);
  });

  it('refuses a signed-in form without the token derived from its session, or from another site, and changes nothing', async () => {
    const t = await setup();
    const ann = await t.signedIn('admin', 'ann@example.org');
    const bob = await t.signedIn('admin', 'bob@example.org');
    const attempts: [string, Record<string, string>, Record<string, string>?][] = [
      ['no token', {}],
      ["another session's token", { _csrf: csrfToken(t.key, bob.token) }],
      ['the session token itself', { _csrf: ann.token }],
      ['another site', { _csrf: csrfToken(t.key, ann.token) }, { origin: 'https://evil.example' }],
    ];
    for (const [why, form, headers] of attempts) {
      const refused = await t.send(ann.jar, 'POST', '/staff/sign-out', { form, headers });
      expect(refused.status, why).toBe(403);
      expect(h1Of(refused.html), why).toBe('This form has expired');
    }
    expect(await sessionCount(t.stores)).toBe(2);
    expect((await t.send(ann.jar, 'GET', '/staff')).status).toBe(200);
  });
});

describe('refusals', () => {
  it('a staff page without a live session is a 401 page with a sign-in link; the wrong role is a 403 page; neither shows a stack trace', async () => {
    const t = await setup({ extend: (app, { requireRole }) => app.get('/staff/probe', requireRole('admin'), (c) => c.text('admin only')) });
    for (const cookie of [undefined, 'not-a-token', randomToken()]) {
      const jar = new CookieJar();
      if (cookie) jar.set(staffCookies.session, cookie, '/staff');
      const refused = await t.send(jar, 'GET', '/staff');
      expect(refused.status).toBe(401);
      expect(titleOf(refused.html)).toMatch(/^Sign in to see this page/);
      expect(refused.html).toContain('<a class="ds_link" href="/staff/sign-in">Sign in</a>');
      // A browser that sent a session that is gone is told so.
      expect(refused.html.includes('Your session has ended'), `cookie ${cookie}`).toBe(cookie !== undefined);
    }
    const analyst = await t.signedIn('analyst');
    const forbidden = await t.send(analyst.jar, 'GET', '/staff/probe');
    expect(forbidden.status).toBe(403);
    expect(h1Of(forbidden.html)).toBe('You do not have access to this page');
    expect(forbidden.html).toContain('Your account (analyst) cannot use this page');
    const admin = await t.signedIn('admin');
    expect(await (await t.app.request('/staff/probe', { headers: { cookie: admin.jar.header('/staff/probe')! } })).text()).toBe('admin only');

    // A disabled account's session stops working at once.
    const user = (await t.stores.identifiable.selectFrom('staff_user').select('id').where('email', '=', 'analyst@example.org').executeTakeFirstOrThrow()).id;
    await disableStaffUser(t.stores.identifiable, user);
    expect((await t.send(analyst.jar, 'GET', '/staff')).status).toBe(401);
    // An address under /staff that does not exist is a staff 404 page.
    const missing = await t.send(admin.jar, 'GET', '/staff/no-such-page');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('href="/staff"');
  });
});
