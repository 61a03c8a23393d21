import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { freePort, startServerProcess } from '../support/server-process.js';
import { met } from './bench-goals.js';
import { drive, prepare } from './submission-bench.js';

/**
 * A respondent's survey page with the largest grid (part two, `pressures`: 17 rows rated), with a session
 * and a saved draft, served by the real server (`server/main.ts`, its own process) at 50 connections over
 * loopback; next to the same bytes served as a constant by a bare `node:http` server (its own process too),
 * which is all a page can cost with no session, no database and no rendering. Then the page's weight on
 * the wire as a browser first fetches it: the HTML (compressed on the fly: this page shows the part-two
 * code but repeats nothing the request chose, and its CSRF token is masked afresh, see
 * server/pages/page-compression.ts) and every linked asset as sent with `Accept-Encoding: gzip, deflate, br`.
 */
const SECTION = 'pressures';
const ENCODINGS = 'gzip, deflate, br';
const WIRE_GOAL = 60 * 1024;

/** A response's body exactly as sent (still compressed): `fetch` would decode it. */
const rawGet = (url: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((done, fail) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });

/** A year: the freshness after which even an immutable asset is asked for again. */
const YEAR_S = 365 * 24 * 60 * 60;

/**
 * What a browser fetches of an asset on a return visit, from the asset's first response: nothing while
 * it is fresh and immutable (`max-age` of a year, `immutable`: not even revalidated on a reload);
 * otherwise a conditional request with its ETag, whose body is what it costs (a 304 has none).
 */
const returnVisit = async (url: string, asset: string, headers: IncomingHttpHeaders): Promise<{ returning: number; why: string }> => {
  const cacheControl = headers['cache-control'] ?? '';
  const maxAge = Number(/(?:^|,)\s*max-age=(\d+)/.exec(cacheControl)?.[1] ?? 0);
  if (/\bimmutable\b/.test(cacheControl) && maxAge >= YEAR_S) return { returning: 0, why: `\`${cacheControl}\`: from the browser's cache, not asked for` };
  const etag = headers.etag;
  const again = await rawGet(`${url}${asset}`, { 'accept-encoding': ENCODINGS, ...(etag ? { 'if-none-match': etag } : {}) });
  return { returning: again.body.length, why: `\`${cacheControl || 'no Cache-Control'}\`: asked again${etag ? ' with its ETag' : ''}, ${again.status}` };
};

/** The bare server: one file's bytes for every request, as text/html. */
const constantServer = `
const { createServer } = require('node:http');
const body = require('node:fs').readFileSync(process.argv[1]);
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.stderr.write('listening\\n'));
`;

const startConstant = async (file: string) => {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', constantServer, file, String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((settle) => child.once('exit', () => settle()));
  await new Promise<void>((done, fail) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (chunk.includes('listening') ? done() : undefined));
    void exited.then(() => fail(new Error('the constant server exited before listening')));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
};

export const runPagesBench = async ({ seconds = 10, councils = 32 } = {}): Promise<string[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'cswo-pages-bench-'));
  const dataDir = join(dir, 'data');
  try {
    const { sessions, path } = await prepare(dataDir, councils, { section: SECTION, saveDraft: true });
    const server = await startServerProcess(dataDir, await freePort());
    try {
      const page = await rawGet(`${server.url}${path}`, { cookie: sessions[0]!.cookie, 'accept-encoding': ENCODINGS });
      if (page.status !== 200) throw new Error(`${path}: ${page.status} ${page.body.toString('utf8').slice(0, 400)}`);
      const encoding = page.headers['content-encoding'];
      // Decoded only to find the assets it links; its size is counted as sent.
      const html = (encoding === 'br' ? brotliDecompressSync(page.body) : encoding === 'gzip' ? gunzipSync(page.body) : page.body).toString('utf8');
      const file = join(dir, 'page.html');
      writeFileSync(file, page.body);
      const constant = await startConstant(file);
      const rows = [];
      try {
        rows.push(
          await drive(
            constant.url,
            sessions,
            { name: 'the same bytes as a constant (bare `node:http`)', method: 'GET', path, acceptEncoding: ENCODINGS, expect: '2xx' },
            seconds,
          ),
        );
      } finally {
        await constant.stop();
      }
      rows.push(
        await drive(
          server.url,
          sessions,
          { name: 'the page (session, draft, rendered, compressed)', method: 'GET', path, asRespondent: true, acceptEncoding: ENCODINGS, expect: '2xx' },
          seconds,
        ),
      );
      const [bare, app] = rows as [(typeof rows)[0], (typeof rows)[0]];

      const assets = [...new Set([...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!))];
      // The page again, as a return visit fetches it: `no-store`, so fetched whole.
      const again = await rawGet(`${server.url}${path}`, { cookie: sessions[0]!.cookie, 'accept-encoding': ENCODINGS });
      const wire = [
        {
          what: `the page's HTML (\`${path}\`, ${encoding ?? 'not compressed'})`,
          bytes: page.body.length,
          returning: again.body.length,
          why: `\`${page.headers['cache-control']}\`: fetched again`,
        },
      ];
      for (const asset of assets) {
        const sent = await rawGet(`${server.url}${asset}`, { 'accept-encoding': ENCODINGS });
        if (sent.status !== 200) throw new Error(`${asset}: ${sent.status}`);
        wire.push({ what: `\`${asset}\``, bytes: sent.body.length, ...(await returnVisit(server.url, asset, sent.headers)) });
      }
      const total = wire.reduce((n, w) => n + w.bytes, 0);
      const assetsAgain = wire.slice(1).reduce((n, w) => n + w.returning, 0);
      const ratio = app.rps / bare.rps;
      return [
        `50 connections, ${seconds} s each, ${sessions.length} respondents, each with their own session and saved draft of part two's \`${SECTION}\` page; SQLite.`,
        '',
        '| response | requests/s | p50 (ms) | p99 (ms) | ratio to the constant | goal | met | unexpected responses |',
        '|---|---:|---:|---:|---:|---|---|---:|',
        `| ${bare.name} | ${bare.rps.toFixed(0)} | ${bare.p50} | ${bare.p99} | 1.00 | — | — | ${bare.unexpected} |`,
        `| ${app.name} | ${app.rps.toFixed(0)} | ${app.p50} | ${app.p99} | ${ratio.toFixed(2)} | ≥ 0.20× the constant, p99 ≤ 50 ms | ${met(ratio >= 0.2 && app.p99 <= 50 && app.unexpected === 0)} | ${app.unexpected} |`,
        '',
        `The page on the wire, as a browser first fetches it (\`Accept-Encoding: ${ENCODINGS}\`; bodies, headers not counted), and on a return visit, as the response's own caching headers let a browser fetch it again:`,
        '',
        '| what | first visit (bytes) | return visit (bytes) | why, on a return visit | goal | met |',
        '|---|---:|---:|---|---|---|',
        ...wire.map((w) => `| ${w.what} | ${w.bytes.toLocaleString('en-GB')} | ${w.returning.toLocaleString('en-GB')} | ${w.why} | — | — |`),
        `| total | ${total.toLocaleString('en-GB')} | — | — | first visit ≤ 60 KB (61,440 bytes) | ${met(total <= WIRE_GOAL)} |`,
        `| the assets on a return visit | — | ${assetsAgain.toLocaleString('en-GB')} | — | 0 bytes | ${met(assetsAgain === 0)} |`,
      ];
    } finally {
      await server.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
