import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import { listTextReleases } from '../../server/storage/text-release-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { parseCsv, storeOpener, WAVE_2 } from './helpers.js';
import { csrfOf, titleOf } from './respondent-helpers.js';
import { auditOf } from './staff-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/** Analysts read part two's free text and release a question to researchers; the package follows the decision. */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const COMMENTS = ['Budget scrutiny is relentless', 'Too many partnership meetings', 'Recruitment to children’s teams'];
const PATH = `/staff/dashboards/${WAVE_2}/free-text`;

const setup = async () => {
  const stores = await opener.openIn(tempDir());
  // Three respondents with a pressures comment, and one who left it empty.
  await insertPartTwoResponses(stores.anonymous, WAVE_2, [...COMMENTS.map((c) => ({ pressures_comment: c, admin_support: 'yes' })), { admin_support: 'no' }]);
  return { stores, ...staffApp(stores) };
};

const packageColumns = async (t: Awaited<ReturnType<typeof setup>>, jar: { header(path: string): string | undefined }) => {
  const path = `/staff/research/${WAVE_2}/package`;
  const response = await t.app.request(path, { headers: { cookie: jar.header(path) ?? '' } });
  expect(response.status).toBe(200);
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  const [header, ...rows] = parseCsv(strFromU8(files['part-two.csv']!));
  return { header: header!, rows };
};

describe('free-text answers of part two', () => {
  it('shows an analyst every answer of each free-text question with its release state, and audits the reading', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', PATH);
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Free-text answers of Survey 2 (re-issued during COVID-19) – CSWO survey – Social Work Scotland');
    for (const comment of COMMENTS) expect(page.html).toContain(`<li>${comment}</li>`);
    expect(page.html).toContain('Tell us about the pressures behind your ratings');
    expect(page.html).toContain('Not released to researchers</strong> · 3 answers');
    expect(await auditOf(t.stores, ['text.view'])).toEqual([expect.objectContaining({ detail: { wave: WAVE_2 } })]);
  });

  it('refuses a release without the confirmation, naming it in the error summary, and stores nothing', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', PATH);
    const refused = await t.send(jar, 'POST', PATH, { form: { _csrf: csrfOf(page.html), item: 'pressures_comment', decision: 'release' } });
    expect(refused.status).toBe(400);
    expect(titleOf(refused.html)).toMatch(/^Error: /);
    expect(refused.html).toContain(
      '<a href="#confirm-pressures_comment">Confirm that you have read every answer to “Tell us about the pressures behind your ratings” and none could identify anyone</a>',
    );
    expect(refused.html).toContain('id="confirm-pressures_comment-error"');
    expect(await listTextReleases(t.stores.identifiable, WAVE_2)).toEqual([]);
    expect(await auditOf(t.stores, ['text.release'])).toEqual([]);
  });

  it('releases a confirmed question: the package then carries its answers; withdrawing takes them out again', async () => {
    const t = await setup();
    const analyst = await t.signedIn('analyst');
    const researcher = await t.signedIn('researcher');
    expect((await packageColumns(t, researcher.jar)).header).not.toContain('pressures_comment');

    const page = await t.send(analyst.jar, 'GET', PATH);
    const released = await t.send(analyst.jar, 'POST', PATH, {
      form: { _csrf: csrfOf(page.html), item: 'pressures_comment', decision: 'release', confirm: 'yes' },
    });
    expect(released).toMatchObject({ status: 303, location: `${PATH}?done=released&item=pressures_comment` });
    const after = await t.send(analyst.jar, 'GET', released.location!);
    expect(after.html).toContain('is released: researchers');
    expect(after.html).toContain(`Released to researchers by ${analyst.email}`);
    expect(await auditOf(t.stores, ['text.release'])).toEqual([expect.objectContaining({ detail: { wave: WAVE_2, item: 'pressures_comment' } })]);

    const { header, rows } = await packageColumns(t, researcher.jar);
    const column = header.indexOf('pressures_comment');
    expect(column).toBeGreaterThanOrEqual(0);
    expect(
      rows
        .map((r) => r[column])
        .filter(Boolean)
        .sort(),
    ).toEqual([...COMMENTS].sort());
    expect(header).not.toContain('final_reflections');

    const withdrawn = await t.send(analyst.jar, 'POST', PATH, { form: { _csrf: csrfOf(after.html), item: 'pressures_comment', decision: 'withdraw' } });
    expect(withdrawn.status).toBe(303);
    expect((await packageColumns(t, researcher.jar)).header).not.toContain('pressures_comment');
    expect((await auditOf(t.stores, ['text.release', 'text.withdraw'])).map((e) => e.action)).toEqual(['text.release', 'text.withdraw']);
  });

  it('refuses an item that is not a free-text question of the wave, and a form without its token', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', PATH);
    for (const item of ['admin_support', 'no_such_item', '']) {
      const sent = await t.send(jar, 'POST', PATH, { form: { _csrf: csrfOf(page.html), item, decision: 'release', confirm: 'yes' } });
      expect(sent.status, item).toBe(400);
      expect(sent.html).toContain('Nothing was changed');
    }
    const forged = await t.send(jar, 'POST', PATH, { form: { item: 'pressures_comment', decision: 'release', confirm: 'yes' } });
    expect(forged.status).toBe(403);
    expect(await listTextReleases(t.stores.identifiable, WAVE_2)).toEqual([]);
  });

  it('is closed to researchers', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('researcher');
    expect((await t.send(jar, 'GET', PATH)).status).toBe(403);
  });
});
