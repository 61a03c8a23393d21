import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import NoticePage from '../../web/respondent/NoticePage.svelte';
import { createApp } from '../../server/app/app.js';
import { pageCompression } from '../../server/pages/page-compression.js';
import { sendNotice, sendPage } from '../../server/pages/send-page.js';
import { credentialCookie, formatPartTwoCode, partTwoCodeOf } from '../../server/respondent/part-two-credential.js';
import { cookies } from '../../server/respondent/respondent-context.js';
import { randomToken } from '../../server/security/tokens.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';
import { csrfOf, pageItems, randomCells, seededRandom, sectionsOf } from './respondent-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * Pages are compressed as the browser accepts, except those that show a person a secret or repeat what
 * the request chose (BREACH); the CSRF tokens they all carry are masked afresh in each response.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const BROWSER = 'gzip, deflate, br, zstd';
/** Issue 16: the first page a respondent sees, with its stylesheets and script, in at most 60 KB. */
const WIRE_GOAL = 61_440;

/** A body as it came (still encoded), and decoded by its Content-Encoding. */
const bodyOf = async (response: Response) => {
  const raw = Buffer.from(await response.arrayBuffer());
  const encoding = response.headers.get('content-encoding');
  const decoded = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
  return { raw, encoding, text: decoded.toString('utf8') };
};

const linkedAssets = (html: string) => [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);

/** An app with wave 2 open and a respondent holding a part-two code, with a saved draft of `pressures`. */
const partTwoApp = async () => {
  const stores = await opener.openIn(tempDir());
  const key = randomBytes(32);
  await replaceRoster(stores.identifiable, WAVE_2, [{ localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' }]);
  await setWaveStatus(stores.identifiable, WAVE_2, 'open');
  const app = createApp({ stores, key, logError: () => {} });
  const code = partTwoCodeOf(key, WAVE_2, randomToken());
  const cookie = `${cookies.partTwo}=${credentialCookie(key, WAVE_2, code)}`;
  const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers: { cookie, ...headers } });
  const pressures = sectionsOf('anonymous').find((s) => s.id === 'pressures')!;
  const form = await (await get('/part-two/pressures')).text();
  const saved = await app.request('/part-two/pressures', {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfOf(form), ...randomCells(pageItems(pressures), seededRandom(1)) }),
  });
  expect(saved.status).toBe(303);
  return { app, code, cookie, get };
};

describe('a page', () => {
  it.each([
    [BROWSER, 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.2, gzip;q=0.8', 'gzip'],
    ['*', 'br'],
    ['identity', null],
    ['*;q=0', null],
    ['', null],
  ])('asked for with Accept-Encoding "%s" is sent as %s, with Vary, no-store and its length', async (accept, encoding) => {
    const t = staffApp(await opener.openIn(tempDir()));
    const plain = await bodyOf(await t.app.request('/staff/sign-in'));
    const response = await t.app.request('/staff/sign-in', { headers: accept ? { 'Accept-Encoding': accept } : {} });
    expect(response.status).toBe(200);
    const sent = await bodyOf(response);
    expect(sent.encoding).toBe(encoding);
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-cswo-page-encoding')).toBeNull();
    if (encoding) expect(Number(response.headers.get('content-length'))).toBe(sent.raw.length);
    // The same page, but for its masked token and the cookie that goes with it.
    const withoutToken = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '');
    expect(withoutToken(sent.text)).toBe(withoutToken(plain.text));
    if (encoding) expect(sent.raw.length).toBeLessThan(plain.raw.length / 2);
  });

  it('asked for with HEAD gets the headers of its GET and no body', async () => {
    const t = staffApp(await opener.openIn(tempDir()));
    const get = await t.app.request('/', { headers: { 'Accept-Encoding': BROWSER } });
    const head = await t.app.request('/', { method: 'HEAD', headers: { 'Accept-Encoding': BROWSER } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-encoding')).toBe('br');
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    expect(head.headers.get('vary')).toBe('Accept-Encoding');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('that an asset or the JSON API already encoded is not encoded again', async () => {
    const t = staffApp(await opener.openIn(tempDir()));
    const page = await bodyOf(await t.app.request('/staff/sign-in'));
    const stylesheet = await t.app.request(linkedAssets(page.text)[1]!, { headers: { 'Accept-Encoding': BROWSER } });
    expect(stylesheet.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await stylesheet.arrayBuffer())).toString('utf8')).toContain('{');
    const api = await t.app.request('/api/definitions/cswo-annual/2', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(api.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(await api.arrayBuffer())).toString('utf8')).hash).toMatch(/^sha256:[0-9a-f]+$/);
  });
});

describe('the largest survey page (part two, pressures: a 17-row grid, with a saved draft)', () => {
  it('is, with its stylesheets and script, within 60 KB on the wire', async () => {
    const t = await partTwoApp();
    const page = await t.get('/part-two/pressures', { 'Accept-Encoding': BROWSER });
    expect(page.status).toBe(200);
    const sent = await bodyOf(page);
    expect(sent.encoding).toBe('br');
    expect(sent.text).toContain('Your private part-two code');
    let bytes = sent.raw.length;
    for (const link of linkedAssets(sent.text))
      bytes += (await (await t.app.request(link, { headers: { 'Accept-Encoding': BROWSER } })).arrayBuffer()).byteLength;
    expect(bytes).toBeLessThanOrEqual(WIRE_GOAL);
    // Control: uncompressed, the HTML alone is most of the goal, and with the assets over it.
    const plain = await bodyOf(await t.get('/part-two/pressures'));
    expect(plain.encoding).toBeNull();
    expect(plain.raw.length - sent.raw.length + bytes).toBeGreaterThan(WIRE_GOAL);
  });

  it('shows the part-two code yet repeats nothing the address chose, so it may be compressed', async () => {
    const t = await partTwoApp();
    const marker = 'zq7reflectedzq7';
    for (const path of [
      `/part-two/pressures?${marker}=${marker}`,
      `/part-two/pressures?x=${marker}#${marker}`,
      `/part-two/${marker}`,
      `/part-two/check?${marker}`,
    ]) {
      const sent = await bodyOf(await t.get(path, { 'Accept-Encoding': BROWSER }));
      expect(sent.text, path).not.toContain(marker);
    }
    // Control: the page does hold the secret that compression must not let anyone guess.
    expect((await bodyOf(await t.get('/part-two/pressures'))).text).toContain(formatPartTwoCode(t.code));
  });
});

describe('a page that shows a secret', () => {
  it('is sent uncompressed whatever the browser accepts: the part-two code on leaving', async () => {
    const t = await partTwoApp();
    const page = await bodyOf(await t.get('/part-two/pressures'));
    const left = await t.app.request('/part-two/leave', {
      method: 'POST',
      headers: { cookie: t.cookie, 'content-type': 'application/x-www-form-urlencoded', 'Accept-Encoding': BROWSER },
      body: new URLSearchParams({ _csrf: /action="\/part-two\/leave"[^>]*><input type="hidden" name="_csrf" value="([^"]+)"/.exec(page.text)![1]! }),
    });
    expect(left.status).toBe(200);
    const sent = await bodyOf(left);
    expect(sent.text).toContain(formatPartTwoCode(t.code));
    expect(sent.encoding).toBeNull();
    expect(left.headers.get('x-cswo-page-encoding')).toBeNull();
  });

  it('is sent uncompressed: new invitation links', async () => {
    const stores = await opener.openIn(tempDir());
    const t = staffApp(stores);
    const admin = await t.signedIn('admin');
    await replaceRoster(stores.identifiable, WAVE_2, [{ localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' }]);
    const path = `/staff/waves/${WAVE_2}/invitations`;
    const form = await t.send(admin.jar, 'GET', path);
    const version = /name="version" value="([^"]+)"/.exec(form.html)![1]!;
    const sent = await t.send(admin.jar, 'POST', path, {
      form: { _csrf: csrfOf(form.html), version, council: 'fife', delivery: 'page' },
      headers: { 'Accept-Encoding': BROWSER },
    });
    expect(sent.status).toBe(200);
    expect(sent.headers.get('content-encoding')).toBeNull();
    expect(sent.html).toMatch(/\/i\/[A-Za-z0-9_-]{43}/);
    // Control: the form before it, with no secret, is compressed.
    const again = await t.app.request(path, { headers: { cookie: admin.jar.header(path)!, 'Accept-Encoding': BROWSER } });
    expect(again.headers.get('content-encoding')).toBe('br');
  });

  it('is marked by the renderer, and the mark never leaves the server', async () => {
    const app = new Hono()
      .use('*', pageCompression())
      .get('/notice', (c) => sendNotice(c, 200, { title: 'Left', paragraphs: ['x'.repeat(2000)] }))
      .get('/with-code', (c) =>
        sendNotice(c, 200, { title: 'Left', paragraphs: ['x'.repeat(2000)], passCode: { code: 'ABCDE', resumeAddress: '/r', privateLink: '/r/ABCDE' } }),
      )
      .get('/secret', (c) => sendPage(c, NoticePage, { title: 'Secret', paragraphs: ['x'.repeat(2000)] }, 200, { secret: true }))
      .get('/echo', (c) => sendPage(c, NoticePage, { title: 'Echo', paragraphs: ['x'.repeat(2000)] }, 200, { reflectsRequest: true }));
    const get = (path: string) => app.request(path, { headers: { 'Accept-Encoding': BROWSER } });
    expect((await get('/notice')).headers.get('content-encoding')).toBe('br');
    for (const path of ['/with-code', '/secret', '/echo']) {
      const response = await get(path);
      expect(response.headers.get('content-encoding'), path).toBeNull();
      expect(response.headers.get('x-cswo-page-encoding'), path).toBeNull();
      expect(response.headers.get('vary'), path).toBeNull();
    }
  });
});

describe('a page that repeats text the address chose', () => {
  it('is sent uncompressed: an audit log filtered by an action the log does not hold, a dashboard asked to compare with an unknown wave', async () => {
    const stores = await opener.openIn(tempDir());
    const t = staffApp(stores);
    const admin = await t.signedIn('admin');
    const get = (path: string) => t.app.request(path, { headers: { cookie: admin.jar.header(path)!, 'Accept-Encoding': BROWSER } });
    const marker = 'zq7reflectedzq7';
    const cases: [string, string | null, number][] = [
      ['/staff/audit', 'br', 200],
      // An action the log holds is listed on the page anyway: nothing of the request's own.
      ['/staff/audit?action=staff.sign-in', 'br', 200],
      [`/staff/audit?action=${marker}`, null, 200],
      [`/staff/audit?action=${marker}&page=2`, null, 404],
      [`/staff/dashboards/${WAVE_2}?compare=${marker}`, null, 400],
      [`/staff/dashboards/${WAVE_2}/sections/${marker}`, null, 404],
    ];
    for (const [path, encoding, status] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      const sent = await bodyOf(response);
      expect(sent.encoding, path).toBe(encoding);
      if (path.includes(marker)) expect(sent.text, `${path}: the control, the marker is on the page`).toContain(marker);
    }
  });
});
