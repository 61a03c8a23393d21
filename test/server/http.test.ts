import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onPostgres } from '../support/test-databases.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app/app.js';
import { startServer, type RunningServer } from '../../server/app/serve.js';
import { createWave } from '../../server/waves/wave-changes.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

/** A stack frame as V8 prints it ("    at fn (file:1:2)"), or a file position. */
const stackTrace = /\n\s+at |\bat .*:\d+:\d+|\.ts:\d+/;

const appWithStores = async (logError: (m: string) => void = () => {}) => createApp({ stores: await opener.openIn(tempDir()), key: randomBytes(32), logError });

const get = async (app: Awaited<ReturnType<typeof appWithStores>>, path: string) => {
  const response = await app.request(path);
  const text = await response.text();
  expect(text, `${path} leaked a stack trace`).not.toMatch(stackTrace);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: response.status, body: JSON.parse(text) };
};

describe('HTTP API', () => {
  it('GET /api/definitions lists cswo-annual@1 and @2 with their hashes', async () => {
    const app = await appWithStores();
    const { status, body } = await get(app, '/api/definitions');
    expect(status).toBe(200);
    expect(body.definitions.map((d: { ref: string }) => d.ref)).toEqual(['cswo-annual@1', 'cswo-annual@2']);
    for (const d of body.definitions) expect(d.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(body.definitions[0].hash).not.toBe(body.definitions[1].hash);
    expect(body.definitions[1]).toMatchObject({ id: 'cswo-annual', version: 2, waves: ['2020-06'], items: { identifiable: 18, anonymous: 25 } });
  });

  it('GET /api/definitions, public, does not tell which waves the store holds: only the bundled 2020 waves are named', async () => {
    const stores = await opener.openIn(tempDir());
    const made = await createWave(
      stores.identifiable,
      { id: '2021-06', name: 'Survey 3', fielded: 'June 2021', definition: 'cswo-annual@2' },
      { actor: null, now: 0 },
    );
    expect(made.ok).toBe(true);
    const app = createApp({ stores, key: randomBytes(32), logError: () => {} });
    const { body } = await get(app, '/api/definitions');
    expect(body.definitions[1]).toMatchObject({ ref: 'cswo-annual@2', waves: ['2020-06'] });
    expect(JSON.stringify(body)).not.toContain('2021-06');
  });

  it('GET /api/definitions/cswo-annual/2 returns the definition with covid_reflections and its hash', async () => {
    const app = await appWithStores();
    const list = (await get(app, '/api/definitions')).body.definitions;
    const { status, body } = await get(app, '/api/definitions/cswo-annual/2');
    expect(status).toBe(200);
    expect(body.hash).toBe(list[1].hash);
    expect(body.definition).toMatchObject({ id: 'cswo-annual', version: 2 });
    const ids = body.definition.parts.flatMap((p: { sections: { items: { id: string }[] }[] }) => p.sections.flatMap((s) => s.items.map((i) => i.id)));
    expect(ids).toContain('covid_reflections');
    expect(ids).toContain('local_authority');
    const v1 = await get(app, '/api/definitions/cswo-annual/1');
    expect(JSON.stringify(v1.body.definition)).not.toContain('covid_reflections');
  });

  it('a version that is not published is a 404 with a JSON error', async () => {
    const app = await appWithStores();
    expect(await get(app, '/api/definitions/cswo-annual/9')).toEqual({ status: 404, body: { error: 'no published definition cswo-annual@9' } });
    expect(await get(app, '/api/definitions/other-survey/1')).toEqual({ status: 404, body: { error: 'no published definition other-survey@1' } });
  });

  it.each([
    ['/api/definitions/cswo-annual/abc', 'version', 'expected a version number such as 2'],
    ['/api/definitions/cswo-annual/0', 'version', 'expected a version number such as 2'],
    ['/api/definitions/cswo-annual/-1', 'version', 'expected a version number such as 2'],
    ['/api/definitions/Bad_Id/1', 'id', 'expected a definition id such as cswo-annual'],
  ])('%s is a 400 naming the field', async (path, field, message) => {
    const app = await appWithStores();
    const { status, body } = await get(app, path);
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'invalid request', problems: [{ field, message }] });
  });

  it.each(['/api', '/api/definitions/cswo-annual/2/extra', '/api/definitions/cswo-annual'])('unknown API path %s is a 404 with a JSON error', async (path) => {
    const app = await appWithStores();
    expect(await get(app, path)).toEqual({ status: 404, body: { error: `no such page: GET ${path}` } });
  });

  it('an unknown page is a 404 HTML page with a title and no stack trace', async () => {
    const app = await appWithStores();
    const response = await app.request('/nope');
    const html = await response.text();
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<title>Page not found');
    expect(html).not.toMatch(stackTrace);
  });

  it('a method the API does not have is a 404 JSON error, not an HTML page', async () => {
    const app = await appWithStores();
    const response = await app.request('/api/definitions', { method: 'POST', body: 'x' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no such page: POST /api/definitions' });
  });

  it('an unexpected error becomes a short 500 JSON message; the log gets method and path, not the details', async () => {
    const logged: string[] = [];
    const app = await appWithStores((m) => logged.push(m));
    app.get('/api/boom', () => {
      throw new Error('secret answer: glasgow_city said "=SUM(1)"');
    });
    const { status, body } = await get(app, '/api/boom');
    expect(status).toBe(500);
    expect(body).toEqual({ error: 'something went wrong on our side; nothing you sent was stored' });
    expect(logged).toEqual(['unexpected error on GET /api/boom: Error']);
  });
});

describe('startServer', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('serves /api/definitions over loopback on a free port and stops cleanly', async () => {
    const dataDir = join(tempDir(), 'data');
    const log: string[] = [];
    running = await startServer({ dataDir, port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: (m) => log.push(m) });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.url).not.toMatch(/:0$/);
    // SQLite files in the data directory, or none when the stores are PostgreSQL databases.
    expect(existsSync(join(dataDir, 'identifiable.db'))).toBe(!onPostgres());
    expect(existsSync(join(dataDir, 'anonymous.db'))).toBe(!onPostgres());
    expect(log).toEqual([
      `CSWO survey platform listening on ${running.url} (data in ${dataDir})`,
      expect.stringMatching(
        new RegExp(
          `^no staff accounts yet: open ${running.url}/staff/setup/[A-Za-z0-9_-]{43} within the hour to create the first administrator \\(the link works once\\)\n` +
            `or create one with  npm run cli -- user add --data ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --role admin --email you@example.org$`,
        ),
      ),
    ]);

    const response = await fetch(`${running.url}/api/definitions`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { definitions: { ref: string }[] };
    expect(body.definitions.map((d) => d.ref)).toEqual(['cswo-annual@1', 'cswo-annual@2']);
    const missing = await fetch(`${running.url}/api/definitions/cswo-annual/9`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no published definition cswo-annual@9' });

    const { url } = running;
    await running.stop();
    running = undefined;
    await expect(fetch(`${url}/api/definitions`)).rejects.toThrow();
  });

  it('refuses a port already in use, saying so', async () => {
    running = await startServer({ dataDir: join(tempDir(), 'data'), port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: () => {} });
    const port = Number(new URL(running.url).port);
    const dataDir = join(tempDir(), 'data');
    await expect(startServer({ dataDir, port, host: '127.0.0.1', seedWhenEmpty: false, log: () => {} })).rejects.toThrow(
      `port ${port} on 127.0.0.1 is already in use: set PORT to another port`,
    );
  });
});
