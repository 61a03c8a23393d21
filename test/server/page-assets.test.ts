import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { assetFiles, chooseEncoding } from '../../server/pages/page-assets.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';
import { createSession, findInvitationBySecret, issueInvitation } from '../../server/storage/invitation-store.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import { cookies, sessionLifetimeMs } from '../../server/respondent/respondent-context.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * The pages' stylesheets and scripts: linked by fingerprinted names cached for a year (a return visit fetches
 * no asset), sent compressed as the browser accepts. The pages' own compression: page-compression.test.ts.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const setup = async () => staffApp(await opener.openIn(tempDir()));

/** The asset addresses a page links, in order. */
const linkedAssets = (html: string) => [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);

describe('assets', () => {
  it('are linked by fingerprinted names, served for a year as immutable, compressed with brotli or gzip as accepted', async () => {
    const t = await setup();
    const page = await t.app.request('/staff/sign-in');
    const html = await page.text();
    const links = linkedAssets(html);
    expect(links.map((l) => l.replace(/\.[0-9a-f]{16}\./, '.*.'))).toEqual(['/assets/design-system.*.css', '/assets/survey.*.css', '/assets/enhance.*.js']);
    for (const link of links) {
      const name = link.replace('/assets/', '').replace(/\.[0-9a-f]{16}\./, '.') as keyof typeof assetFiles;
      const original = readFileSync(assetFiles[name]);
      const br = await t.app.request(link, { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } });
      expect(br.status).toBe(200);
      expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(br.headers.get('vary')).toBe('Accept-Encoding');
      const brBytes = Buffer.from(await br.arrayBuffer());
      expect(brotliDecompressSync(brBytes).equals(original)).toBe(true);
      const gz = await t.app.request(link, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(original)).toBe(true);
      const plain = await t.app.request(link);
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(Buffer.from(await plain.arrayBuffer()).equals(original)).toBe(true);
    }
  });

  it('keep the first survey page, as a browser fetches it, under 60 KB on the wire', async () => {
    const stores = await opener.openIn(tempDir());
    const t = staffApp(stores);
    // A CSWO who followed the invitation link: the survey's start page, with its stylesheets and script.
    await replaceRoster(stores.identifiable, WAVE_2, [{ localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' }]);
    await setWaveStatus(stores.identifiable, WAVE_2, 'open');
    const invitation = (await findInvitationBySecret(stores.identifiable, await issueInvitation(stores.identifiable, WAVE_2, 'fife')))!;
    const session = await createSession(stores.identifiable, invitation.id, sessionLifetimeMs);
    const page = await t.app.request('/survey', { headers: { cookie: `${cookies.session}=${session}`, 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(page.status).toBe(200);
    const raw = Buffer.from(await page.arrayBuffer());
    expect(page.headers.get('content-encoding')).toBe('br');
    const html = brotliDecompressSync(raw).toString('utf8');
    expect(html).toContain('Part two');
    let bytes = raw.length;
    for (const link of linkedAssets(html))
      bytes += (await (await t.app.request(link, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } })).arrayBuffer()).byteLength;
    expect(bytes).toBeLessThan(60 * 1024);
    // The stylesheet alone is 177 KB as it is: without compression the page would be well over.
    expect(readFileSync(assetFiles['design-system.css']).length).toBeGreaterThan(150 * 1024);
  });

  it('by their plain names are revalidated with their ETag (304), and another build’s fingerprint is not found', async () => {
    const t = await setup();
    const first = await t.app.request('/assets/survey.css');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    const again = await t.app.request('/assets/survey.css', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await t.app.request('/assets/survey.0000000000000000.css')).status).toBe(404);
    expect((await t.app.request('/assets/package.json')).status).toBe(404);
    expect((await t.app.request('/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('pages are compressed as the browser accepts, and still never stored', async () => {
    const t = await setup();
    const page = await t.app.request('/staff/sign-in', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(page.headers.get('content-encoding')).toBe('br');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });
});

describe('chooseEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.5', 'br'],
    ['gzip;q=0.9, *;q=0.1', 'gzip'],
    ['br;q=x, gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['identity', 'identity'],
    ['', 'identity'],
    [undefined, 'identity'],
  ])('%s -> %s', (header, chosen) => {
    expect(chooseEncoding(header)).toBe(chosen);
  });
});

describe('the published definitions (JSON)', () => {
  it('are compressed when the client accepts gzip: public, and holding no secret', async () => {
    const t = await setup();
    const response = await t.app.request('/api/definitions/cswo-annual/2', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const body = JSON.parse(gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8'));
    expect(body.definition).toMatchObject({ id: 'cswo-annual', version: 2 });
    const plain = await t.app.request('/api/definitions/cswo-annual/2');
    expect(plain.headers.get('content-encoding')).toBeNull();
  });
});
