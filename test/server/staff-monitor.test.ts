import { afterEach, describe, expect, it } from 'vitest';
import { identifiableViewAction } from '../../server/waves/wave-changes.js';
import { insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import { findInvitationBySecret, issueInvitation } from '../../server/storage/invitation-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { savePartOneDraft } from '../../server/storage/part-one-draft-store.js';
import { insertPartOneResponses } from '../../server/storage/part-one-store.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_1, WAVE_2 } from './helpers.js';
import { CookieJar, titleOf, pageText } from './respondent-helpers.js';
import { auditOf } from './staff-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/** The admin response-rate monitor: /staff/waves and /staff/waves/:wave/responses. */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

/** A marker in part-two answers: it must never reach a staff page. */
const PART_TWO_MARKER = 'part-two-marker-9f3c';

/** A roster of four; three invited; one draft of part one, one submission; three part-two answers. */
const seed = async (stores: Stores) => {
  const db = stores.identifiable;
  await replaceRoster(db, WAVE_2, [
    { localAuthority: 'angus', name: 'Ann Angus', email: 'ann@angus.gov.uk' },
    { localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' },
    { localAuthority: 'moray', name: 'Mo Moray', email: 'mo@moray.gov.uk' },
    { localAuthority: 'stirling', name: 'Stuart Stirling', email: 'stuart@stirling.gov.uk' },
  ]);
  await setWaveStatus(db, WAVE_2, 'open');
  await issueInvitation(db, WAVE_2, 'angus');
  const fife = (await findInvitationBySecret(db, await issueInvitation(db, WAVE_2, 'fife')))!;
  await issueInvitation(db, WAVE_2, 'moray');
  await savePartOneDraft(db, fife.id, { answers: { local_authority: 'fife' }, section: 'about_you' });
  await insertPartOneResponses(db, WAVE_2, [{ localAuthority: 'moray', answers: { local_authority: 'moray' } }]);
  await insertPartTwoResponses(stores.anonymous, WAVE_2, [{ comment: PART_TWO_MARKER }, { comment: PART_TWO_MARKER }, { comment: PART_TWO_MARKER }]);
};

const setup = async () => {
  const stores = await opener.openIn(tempDir());
  await seed(stores);
  return { stores, ...staffApp(stores) };
};

const text = pageText;

/** The body rows of the page's table, cell texts (the row header first). */
const tableRows = (html: string): string[][] => {
  const body = /<tbody>([^]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([^]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>([^]*?)<\/t[hd]>/g)].map((c) => text(c[1]!)));
};

const columnHeadings = (html: string): string[] => {
  const head = /<thead>([^]*?)<\/thead>/.exec(html)?.[1] ?? '';
  return [...head.matchAll(/<th scope="col">([^]*?)<\/th>/g)].map((c) => text(c[1]!));
};

describe('GET /staff/waves/:wave/responses', () => {
  it('shows the wave status, each council on the roster with invited and part one, part two only as the total, and audits the view', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('admin');
    const page = await t.send(jar, 'GET', `/staff/waves/${WAVE_2}/responses`);
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Responses: Survey 2 (re-issued during COVID-19) – CSWO survey – Social Work Scotland');
    expect(page.html).toMatch(/<caption>Part one by council on the roster<\/caption>/);
    expect(columnHeadings(page.html)).toEqual(['Council', 'Name', 'Invited', 'Part one', 'Email']);
    const rows = tableRows(page.html);
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['Ann Angus', 'yes', 'not started', 'none'],
      ['Fiona Fife', 'yes', 'in progress', 'none'],
      ['Mo Moray', 'yes', 'submitted', 'none'],
      ['Stuart Stirling', 'no', 'not started', 'none'],
    ]);
    for (const row of rows) expect(row[0]).not.toBe('');
    const all = text(page.html);
    expect(all).toContain('Wave status open to answers');
    expect(all).toContain('Councils on the roster 4 (3 invited)');
    expect(all).toContain('Part one 1 submitted, 1 in progress, 2 not started');
    expect(all).toContain('Part two answers 3 in total');

    // Part two: the total once, nothing per council, no answer.
    expect(page.html).not.toContain(PART_TWO_MARKER);
    expect(columnHeadings(page.html).some((h) => /part two/i.test(h))).toBe(false);
    expect(rows.every((r) => r.length === 5)).toBe(true);
    expect(rows.flat().some((cell) => /part two|\b3\b/i.test(cell))).toBe(false);

    // The view showed names: written to the audit log with who looked.
    const staff = await t.stores.identifiable.selectFrom('staff_user').select(['id']).where('email', '=', 'admin@example.org').executeTakeFirstOrThrow();
    expect(await auditOf(t.stores, [identifiableViewAction])).toEqual([
      { actor: staff.id, action: 'identifiable.view', detail: { page: 'wave responses', wave: WAVE_2 } },
    ]);
  });

  it('shows a wave without a roster as not opened, with no table', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('admin');
    const page = await t.send(jar, 'GET', `/staff/waves/${WAVE_1}/responses`);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('Wave status not opened yet');
    expect(text(page.html)).toContain('This wave has no roster yet.');
    expect(page.html).not.toContain('<table');
  });

  it('an unknown wave is a 404 page with a way back to the waves, and is not audited', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('admin');
    const page = await t.send(jar, 'GET', '/staff/waves/1999-01/responses');
    expect(page.status).toBe(404);
    expect(titleOf(page.html)).toBe('Wave not found – CSWO survey – Social Work Scotland');
    expect(page.html).toContain('href="/staff/waves"');
    expect(await auditOf(t.stores, [identifiableViewAction])).toEqual([]);
  });
});

describe('GET /staff/waves', () => {
  it('lists every wave of the registry with its status and counts, each linking to its monitor', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('admin');
    const page = await t.send(jar, 'GET', '/staff/waves');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<caption>Waves and their responses<\/caption>/);
    expect(columnHeadings(page.html)).toEqual([
      'Wave',
      'Status',
      'Councils on the roster',
      'Invited',
      'Part one submitted',
      'Part two answers (total)',
      'Manage',
    ]);
    expect(tableRows(page.html)).toEqual([
      ['Survey 1 (January 2020)', 'not opened yet', '0', '0', '0', '0', 'Roster and invitations of Survey 1 Open to answers : Survey 1'],
      [
        'Survey 2 (re-issued during COVID-19) (June 2020)',
        'open to answers',
        '4',
        '3',
        '1',
        '3',
        'Roster and invitations of Survey 2 (re-issued during COVID-19) Close to answers : Survey 2 (re-issued during COVID-19)',
      ],
    ]);
    // Opening is a form (one click); closing is a link to the page that asks first.
    expect(page.html).toContain(`action="/staff/waves/${WAVE_1}/open"`);
    expect(page.html).toContain(`href="/staff/waves/${WAVE_2}/close"`);
    expect(page.html).not.toContain(`action="/staff/waves/${WAVE_2}/close"`);
    expect(page.html).toContain(`href="/staff/waves/${WAVE_1}/responses"`);
    expect(page.html).toContain(`href="/staff/waves/${WAVE_2}/responses"`);
    expect(page.html).not.toContain('Fiona Fife');
    expect(page.html).not.toContain(PART_TWO_MARKER);
  });

  it('says a wave whose answers were imported has no roster or invitations, rather than 0 submitted', async () => {
    const stores = await opener.openIn(tempDir());
    await insertPartOneResponses(stores.identifiable, WAVE_1, [
      { localAuthority: 'angus', answers: { local_authority: 'angus' } },
      { localAuthority: 'fife', answers: { local_authority: 'fife' } },
    ]);
    await insertPartTwoResponses(stores.anonymous, WAVE_1, [{ comment: PART_TWO_MARKER }, { comment: PART_TWO_MARKER }]);
    // A wave with a roster whose part one was partly imported says both.
    await seed(stores);
    await insertPartOneResponses(stores.identifiable, WAVE_2, [{ localAuthority: 'highland', answers: { local_authority: 'highland' } }]);
    const t = { stores, ...staffApp(stores) };
    const { jar } = await t.signedIn('admin');
    const rows = tableRows((await t.send(jar, 'GET', '/staff/waves')).html);
    expect(rows[0]!.slice(1, 6)).toEqual(['not opened yet', 'none: answers imported', 'none: answers imported', '2 imported', '2']);
    expect(rows[1]!.slice(1, 6)).toEqual(['open to answers', '4', '3', '1, and 1 imported', '3']);
    const monitor = text((await t.send(jar, 'GET', `/staff/waves/${WAVE_1}/responses`)).html);
    expect(monitor).toContain('Councils on the roster none: the answers were imported, not sent through invitations');
    expect(monitor).toContain('Part one 2 imported');
    expect(monitor).toContain("This wave's answers were imported from a file, so it has no roster or invitations to follow.");
    expect(monitor).not.toContain('0 submitted');
  });

  it('is linked from the staff home page of an admin only', async () => {
    const t = await setup();
    const admin = await t.signedIn('admin');
    expect((await t.send(admin.jar, 'GET', '/staff')).html).toContain('<a class="ds_link" href="/staff/waves">Response rates</a>');
    const analyst = await t.signedIn('analyst');
    const home = (await t.send(analyst.jar, 'GET', '/staff')).html;
    expect(home).not.toContain('href="/staff/waves"');
    expect(home).not.toContain('Response rates');
  });
});

describe('access to the monitor', () => {
  it('is refused to analysts and researchers (403) and without a session (401), with no audit of a view', async () => {
    const t = await setup();
    for (const path of ['/staff/waves', `/staff/waves/${WAVE_2}/responses`]) {
      for (const role of ['analyst', 'researcher'] as const) {
        const { jar } = await t.signedIn(role, `${role}-${path.length}@example.org`);
        const refused = await t.send(jar, 'GET', path);
        expect(refused.status, `${path} as ${role}`).toBe(403);
        expect(refused.html).not.toContain('Fiona Fife');
      }
      const nobody = await t.send(new CookieJar(), 'GET', path);
      expect(nobody.status, `${path} without a session`).toBe(401);
      expect(nobody.html).not.toContain('Fiona Fife');
    }
    expect(await auditOf(t.stores, [identifiableViewAction])).toEqual([]);
  });
});
