import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstRunLink } from '../../server/staff/first-run-setup.js';
import { startServer, type RunningServer } from '../../server/app/serve.js';
import { listAuditEvents } from '../../server/storage/audit-log-store.js';
import { findStaffUserByEmail } from '../../server/storage/staff-user-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli } from './helpers.js';
import { csrfOf, pageText, stackTrace, titleOf } from './respondent-helpers.js';

/**
 * Issue 18, first run: while a store has no staff account the server prints a one-time setup link (an
 * hour, one use) that opens a page creating the first administrator; the command line stays.
 */
const tempDir = useTempDirs();
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});
const PASSWORD = 'a long and memorable staff passphrase';

const start = async (dataDir: string) => {
  const log: string[] = [];
  server = await startServer({ dataDir, port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: (m) => log.push(m) });
  const link = /open (http:\/\/\S+\/staff\/setup\/[A-Za-z0-9_-]{43}) within the hour/.exec(log.join('\n'))?.[1];
  return { log, link, url: server.url };
};

/** The form at `url` as a browser gets it: its CSRF cookie and the token in the page. */
const formAt = async (url: string) => {
  const page = await fetch(url);
  const html = await page.text();
  return {
    status: page.status,
    html,
    cookie: page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    csrf: csrfOf(html),
  };
};

const post = async (url: string, fields: Record<string, string>, form?: { cookie: string; csrf: string }) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: form ? { cookie: form.cookie } : {},
    body: new URLSearchParams({ ...(form ? { _csrf: form.csrf } : {}), ...fields }),
    redirect: 'manual',
  });
  const html = await response.text();
  expect(html).not.toMatch(stackTrace);
  return { status: response.status, html, location: response.headers.get('location') };
};

describe('first-run setup (issue 18)', () => {
  it('prints a link that creates the first administrator once; then it and any other link are refused', async () => {
    const dataDir = join(tempDir(), 'data');
    const { link, url } = await start(dataDir);
    expect(link).toBeDefined();
    const form = await formAt(link!);
    expect(form.status).toBe(200);
    expect(titleOf(form.html)).toBe('Create the first administrator – CSWO survey – Social Work Scotland');
    // Without the form's token (another site's form): refused, nothing made.
    expect((await post(link!, { email: 'eve@sws.example', password: PASSWORD, confirm: PASSWORD })).status).toBe(403);

    const short = await post(link!, { email: 'ada@sws.example', password: 'short', confirm: 'short' }, form);
    expect(short.status).toBe(400);
    expect(titleOf(short.html)).toMatch(/^Error: /);
    expect(pageText(short.html)).toContain('The password is too short');
    expect(short.html).toContain('value="ada@sws.example"');
    expect(short.html).not.toContain('value="short"');

    const made = await post(link!, { email: 'Ada@SWS.example', password: PASSWORD, confirm: PASSWORD }, form);
    expect(made.status).toBe(303);
    expect(made.location).toBe('/staff/sign-in?setup=done');
    expect(pageText(await (await fetch(`${url}${made.location}`)).text())).toContain('The first administrator account is made: sign in with it.');
    const admin = await findStaffUserByEmail(server!.stores.identifiable, 'ada@sws.example');
    expect(admin?.role).toBe('admin');
    const added = (await listAuditEvents(server!.stores.identifiable)).filter((e) => e.action === 'staff.user.add');
    expect(added.map((e) => e.detail)).toEqual([{ email: 'ada@sws.example', role: 'admin', via: 'first-run setup' }]);

    // Once used, the link is refused, as is any other.
    const again = await fetch(link!);
    expect(again.status).toBe(404);
    expect(pageText(await again.text())).toContain('This setup link does not work');
    expect((await post(link!, { email: 'eve@sws.example', password: PASSWORD, confirm: PASSWORD }, form)).status).toBe(404);
    expect((await fetch(`${url}/staff/setup/${'A'.repeat(43)}`)).status).toBe(404);
    expect(await findStaffUserByEmail(server!.stores.identifiable, 'eve@sws.example')).toBeUndefined();
  });

  it('closes the page once an account exists however it was made, and prints no link when the store has one', async () => {
    const cwd = tempDir();
    const dataDir = join(cwd, 'data');
    const { link } = await start(dataDir);
    const added = await cli(cwd, ['user', 'add', '--data', dataDir, '--role', 'admin', '--email', 'ann@sws.example'], `${PASSWORD}\n`);
    expect(added.code, added.stderr).toBe(0);
    const closed = await fetch(link!);
    expect(closed.status).toBe(409);
    expect(pageText(await closed.text())).toContain('An administrator exists already');
    await server!.stop();
    server = undefined;
    const { log, link: none, url } = await start(dataDir);
    expect(none).toBeUndefined();
    expect(log.join('\n')).not.toContain('no staff accounts yet');
    expect((await fetch(`${url}/staff/setup/${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('a link stops opening after its hour, and a wrong token never opens it', () => {
    const link = firstRunLink(1_000);
    expect(link.opens(link.token, 1_000 + 3_599_999)).toBe(true);
    expect(link.opens(link.token, 1_000 + 3_600_000)).toBe(false);
    expect(link.opens(`${link.token.slice(0, -1)}${link.token.endsWith('A') ? 'B' : 'A'}`, 2_000)).toBe(false);
    expect(link.take(link.token, 2_000)).toBe(true);
    expect(link.take(link.token, 2_000)).toBe(false);
  });
});
