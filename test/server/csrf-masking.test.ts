import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { csrfProtection, csrfToken, csrfTokenMatches } from '../../server/http/csrf-protection.js';
import { doubleSubmitCookieValue, doubleSubmitToken, signedDoubleSubmit } from '../../server/http/double-submit-csrf.js';
import { hmac, maskToken, randomToken, unmaskToken } from '../../server/security/tokens.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';
import { CookieJar, csrfOf } from './respondent-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * CSRF form values are masked afresh in every response (mask||token XOR mask), so that a compressed page
 * holds no constant secret for an observer of response sizes to guess (BREACH). Verified by unmasking.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

/** Every value that differs from `value` in one bit of what it decodes to, re-encoded. */
const oneBitAway = (value: string): string[] => {
  const bytes = Buffer.from(value, 'base64url');
  const altered: string[] = [];
  for (let i = 0; i < bytes.length; i++)
    for (let bit = 0; bit < 8; bit++) {
      const copy = Buffer.from(bytes);
      copy[i] = copy[i]! ^ (1 << bit);
      altered.push(copy.toString('base64url'));
    }
  return altered;
};

/** The value with its last character changed in the spare bits base64url leaves there: the same bytes, spelled differently. */
const respelled = (value: string): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(value.at(-1)!);
  return value.slice(0, -1) + alphabet[last ^ 1];
};

describe('maskToken and unmaskToken', () => {
  it('give a new value each time, each carrying the token', () => {
    const token = randomToken();
    const a = maskToken(token);
    const b = maskToken(token);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(a).not.toContain(token);
    expect(unmaskToken(a)).toBe(token);
    expect(unmaskToken(b)).toBe(token);
  });

  it('never use a mask twice, however many are drawn (they come from the random source in blocks)', () => {
    const token = randomToken();
    const masks = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const sent = maskToken(token);
      expect(unmaskToken(sent)).toBe(token);
      masks.add(Buffer.from(sent, 'base64url').subarray(0, 32).toString('hex'));
    }
    expect(masks.size).toBe(1000);
  });

  it('read no value that maskToken could not have made', () => {
    const masked = maskToken(randomToken());
    const respelling = respelled(masked);
    // Control: the respelling decodes to the very same bytes, so only the check of its spelling refuses it.
    expect(Buffer.from(respelling, 'base64url').equals(Buffer.from(masked, 'base64url'))).toBe(true);
    for (const bad of ['', randomToken(), masked.slice(1), `${masked}A`, `${masked.slice(0, -1)}=`, masked.replace(/.$/, '+'), respelling])
      expect(unmaskToken(bad), bad).toBeUndefined();
  });

  it('refuse to mask what is not a 32-byte token', () => {
    expect(() => maskToken('short')).toThrow(/expected a token of 32 bytes/);
  });
});

describe('the session-derived token (csrfProtection)', () => {
  const key = randomBytes(32);
  const app = new Hono()
    .use(
      '*',
      csrfProtection(
        key,
        () => 'the session',
        (c: Context) => c.text('refused', 403),
      ),
    )
    .get('/', (c) => c.text(csrfToken(key, 'the session')))
    .post('/', (c) => c.text('done'));
  const post = (value: string) => app.request('/', { method: 'POST', body: new URLSearchParams({ _csrf: value }) });

  it('differs in every render of the same form, and each render is accepted', async () => {
    const first = await (await app.request('/')).text();
    const second = await (await app.request('/')).text();
    expect(first).not.toBe(second);
    expect((await post(first)).status).toBe(200);
    expect((await post(second)).status).toBe(200);
  });

  it('is refused when one bit is altered, when sent unmasked, or when it is another session’s', async () => {
    const good = csrfToken(key, 'the session');
    const altered = oneBitAway(good);
    expect(altered).toHaveLength(64 * 8);
    for (const bad of altered) expect(csrfTokenMatches(key, 'the session', bad), bad).toBe(false);
    expect((await post(altered[0]!)).status).toBe(403);
    expect((await post(altered.at(-1)!)).status).toBe(403);
    expect((await post(respelled(good))).status).toBe(403);
    // The token as it was before masking (an HMAC of the session) is no longer a form value.
    expect((await post(hmac(key, 'csrf', 'the session'))).status).toBe(403);
    expect((await post(csrfToken(key, 'another session'))).status).toBe(403);
  });
});

describe('the signed double submit', () => {
  const key = randomBytes(32);
  const now = () => Date.UTC(2026, 0, 12);
  const form = signedDoubleSubmit({ key, cookie: 'form', path: '/', maxAgeMs: 3_600_000, now });
  const app = new Hono().post(
    '/',
    form.protect((c) => c.text('refused', 403)),
    (c) => c.text('done'),
  );
  const value = doubleSubmitCookieValue(now());
  const post = (csrf: string) => app.request('/', { method: 'POST', headers: { cookie: `form=${value}` }, body: new URLSearchParams({ _csrf: csrf }) });

  it('masks the form value afresh for the same cookie, and each is accepted; the cookie stays as it is', async () => {
    const first = doubleSubmitToken(key, value);
    const second = doubleSubmitToken(key, value);
    expect(first).not.toBe(second);
    expect((await post(first)).status).toBe(200);
    expect((await post(second)).status).toBe(200);
    const issuer = new Hono().get('/', (c) => c.text(form.issue(c)));
    const issued = await issuer.request('/');
    const cookie = /^form=([^;]+)/.exec(issued.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(unmaskToken(await issued.text())).toBe(hmac(key, 'csrf-double-submit', cookie!));
  });

  it('is refused when one bit of the form value is altered, or when sent unmasked', async () => {
    const good = doubleSubmitToken(key, value);
    for (const bad of [oneBitAway(good)[0]!, oneBitAway(good)[300]!, oneBitAway(good).at(-1)!, respelled(good), hmac(key, 'csrf-double-submit', value)])
      expect((await post(bad)).status, bad).toBe(403);
  });
});

describe('on the pages', () => {
  it('a staff page’s forms carry a new value on every showing, each accepted, and a value one bit away is refused', async () => {
    const t = staffApp(await opener.openIn(tempDir()));
    const admin = await t.signedIn('admin', 'ann@example.org');
    const first = csrfOf((await t.send(admin.jar, 'GET', '/staff/waves')).html);
    const second = csrfOf((await t.send(admin.jar, 'GET', '/staff/waves')).html);
    expect(first).not.toBe(second);
    // An empty new wave: refused for its fields (400), so the token was accepted; a bad token is a 403.
    for (const csrf of [first, second]) expect((await t.send(admin.jar, 'POST', '/staff/waves', { form: { _csrf: csrf } })).status).toBe(400);
    expect((await t.send(admin.jar, 'POST', '/staff/waves', { form: { _csrf: oneBitAway(first)[17]! } })).status).toBe(403);
  });

  it('the sign-in page’s value differs in every showing, and one bit away is refused', async () => {
    const t = staffApp(await opener.openIn(tempDir()));
    const jar = new CookieJar();
    const first = csrfOf((await t.send(jar, 'GET', '/staff/sign-in')).html);
    const refused = await t.send(jar, 'POST', '/staff/sign-in', { form: { _csrf: oneBitAway(first)[5]!, email: 'a@example.org', password: 'x' } });
    expect(refused.status).toBe(403);
    const again = csrfOf(refused.html);
    expect(again).not.toBe(first);
    // The refusal's fresh form works: a wrong password is refused for the password (401), not the token.
    expect((await t.send(jar, 'POST', '/staff/sign-in', { form: { _csrf: again, email: 'a@example.org', password: 'x' } })).status).not.toBe(403);
  });
});
