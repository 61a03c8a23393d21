import { afterEach, describe, expect, it } from 'vitest';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { auditPageSize } from '../../server/accounts/audit-log-page.js';
import { appendAuditEvent, countAuditEvents } from '../../server/storage/audit-log-store.js';
import { findStaffUserByEmail } from '../../server/storage/staff-user-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';
import { CookieJar, titleOf, pageText } from './respondent-helpers.js';
import { staffApp, T0 } from './staff-web-helpers.js';

/** The audit log page: newest first, who and when, filtered by action, a page at a time; admins only. */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const setup = async () => {
  const stores = await opener.openIn(tempDir());
  const t = staffApp(stores);
  const admin = await t.signedIn('admin');
  const adminId = (await findStaffUserByEmail(stores.identifiable, admin.email))!.id;
  return { stores, ...t, admin, adminId, csrf: csrfToken(t.key, admin.token) };
};

const text = pageText;
const tableRows = (html: string): string[][] => {
  const body = /<tbody>([^]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([^]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([^]*?)<\/t[hd]>/g)].map((c) => text(c[1]!)));
};
const hrefs = (html: string) => [...html.matchAll(/<a class="ds_pagination__link[^"]*" href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

describe('GET /staff/audit', () => {
  it('lists events newest first: when (UK time, exact instant in datetime), who, the action and its details', async () => {
    const t = await setup();
    const summer = Date.UTC(2026, 6, 1, 8, 30, 0);
    await appendAuditEvent(t.stores.identifiable, { actor: null, action: 'wave.create', detail: { wave: '2021-06', via: 'command line' }, at: summer });
    await t.send(t.admin.jar, 'POST', `/staff/waves/${WAVE_2}/open`, { form: { _csrf: t.csrf } });
    await t.signIn(new CookieJar(), 'nobody@example.org', 'wrong password entirely');

    const page = await t.send(t.admin.jar, 'GET', '/staff/audit');
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Audit log – CSWO survey – Social Work Scotland');
    const rows = tableRows(page.html);
    expect(rows.map((r) => r[2])).toEqual(['staff.sign-in.failed', 'wave.open', 'wave.create', 'staff.sign-in']);
    expect(rows[1]).toEqual(['12 Jan 2026, 09:00:00 GMT', 'admin@example.org', 'wave.open', 'wave: 2020-06; from: not opened; to: open']);
    expect(rows[2]).toEqual(['1 Jul 2026, 09:30:00 BST', 'command line', 'wave.create', 'wave: 2021-06; via: command line']);
    expect(rows[0]![1]).toBe('not signed in');
    expect(rows[0]![3]).toContain('email: nobody@example.org');
    expect(page.html).toContain(`<time datetime="${new Date(summer).toISOString()}">`);
    expect(page.html).toContain(`<time datetime="${new Date(T0).toISOString()}">`);
    expect(text(page.html)).toContain('4 events, newest first');
  });

  it('filters by action with a GET form whose choices are the actions in the log', async () => {
    const t = await setup();
    await t.send(t.admin.jar, 'POST', `/staff/waves/${WAVE_2}/open`, { form: { _csrf: t.csrf } });
    await t.send(t.admin.jar, 'POST', `/staff/waves/${WAVE_2}/close`, { form: { _csrf: t.csrf, confirm: 'yes' } });
    const all = await t.send(t.admin.jar, 'GET', '/staff/audit');
    expect(all.html).toMatch(/<form method="get" action="\/staff\/audit"/);
    expect([...all.html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual(['', 'staff.sign-in', 'wave.close', 'wave.open']);
    const opened = await t.send(t.admin.jar, 'GET', '/staff/audit?action=wave.open');
    expect(tableRows(opened.html).map((r) => r[2])).toEqual(['wave.open']);
    expect(opened.html).toMatch(/<option value="wave.open" selected/);
    expect(text(opened.html)).toContain('1 event of the action wave.open, newest first');
    const none = await t.send(t.admin.jar, 'GET', '/staff/audit?action=download.package');
    expect(none.status).toBe(200);
    expect(text(none.html)).toContain('No events of the action download.package.');
  });

  it('pages through a long log, keeping the filter; a page past the end or not a number is a 404', async () => {
    const t = await setup();
    for (let i = 0; i < 2 * auditPageSize + 10; i++)
      await appendAuditEvent(t.stores.identifiable, { actor: t.adminId, action: 'identifiable.view', detail: { n: i }, at: T0 + i });
    const first = await t.send(t.admin.jar, 'GET', '/staff/audit?action=identifiable.view');
    expect(tableRows(first.html)).toHaveLength(auditPageSize);
    expect(tableRows(first.html)[0]![3]).toBe(`n: ${2 * auditPageSize + 9}`);
    expect(hrefs(first.html)).toEqual(['/staff/audit?action=identifiable.view&page=2']);
    const second = await t.send(t.admin.jar, 'GET', '/staff/audit?action=identifiable.view&page=2');
    expect(titleOf(second.html)).toBe('Audit log (page 2 of 3) – CSWO survey – Social Work Scotland');
    expect(hrefs(second.html)).toEqual(['/staff/audit?action=identifiable.view', '/staff/audit?action=identifiable.view&page=3']);
    const last = await t.send(t.admin.jar, 'GET', '/staff/audit?action=identifiable.view&page=3');
    expect(tableRows(last.html).map((r) => r[3])).toEqual(Array.from({ length: 10 }, (_, i) => `n: ${9 - i}`));
    for (const page of ['4', '0', 'two', '1e3'])
      expect((await t.send(t.admin.jar, 'GET', `/staff/audit?action=identifiable.view&page=${page}`)).status, `page=${page}`).toBe(404);
  });

  it('is for admins only, and reading it writes nothing to it', async () => {
    const t = await setup();
    const before = await countAuditEvents(t.stores.identifiable);
    await t.send(t.admin.jar, 'GET', '/staff/audit');
    expect(await countAuditEvents(t.stores.identifiable)).toBe(before);
    for (const role of ['analyst', 'researcher'] as const) {
      const other = await t.signedIn(role);
      expect((await t.send(other.jar, 'GET', '/staff/audit')).status).toBe(403);
    }
    expect((await t.send(new CookieJar(), 'GET', '/staff/audit')).status).toBe(401);
    expect((await t.send(t.admin.jar, 'GET', '/staff')).html).toContain('<a class="ds_link" href="/staff/audit">Audit log</a>');
  });
});
