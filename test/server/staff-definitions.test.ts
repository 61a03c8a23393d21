import { afterEach, describe, expect, it } from 'vitest';
import { countPartTwo } from '../../server/storage/anonymous-store.js';
import { countAuditEvents } from '../../server/storage/audit-log-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';
import { csrfOf, titleOf } from './respondent-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/** Admins and analysts page through a definition as a respondent would; the preview stores nothing. */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const BASE = '/staff/definitions/cswo-annual%402/preview';

const setup = async () => {
  const stores = await opener.openIn(tempDir());
  return { stores, ...staffApp(stores) };
};

describe('the preview of a survey definition', () => {
  it('lists every version with its preview, and starts a preview at the first section of part one', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const list = await t.send(jar, 'GET', '/staff/definitions');
    expect(list.status).toBe(200);
    expect(titleOf(list.html)).toBe('Survey definitions – CSWO survey – Social Work Scotland');
    expect(list.html).toContain(`href="${BASE}"`);
    const start = await t.send(jar, 'GET', BASE);
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe(`${BASE}/identifiable/about_you`);
    const page = await t.send(jar, 'GET', `${BASE}/identifiable/about_you`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Preview of cswo-annual@2');
    expect(page.html).toContain('nothing you enter is stored');
    expect(page.html).not.toContain('Your answers are saved');
    expect(page.html).toContain('Part one: About your job: section 1 of 5');
  });

  it('checks a page as the survey does: a wrong answer is refused with the error summary, and nothing is stored or logged', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('admin');
    const page = await t.send(jar, 'GET', `${BASE}/anonymous/links`);
    const before = { audit: await countAuditEvents(t.stores.identifiable), partTwo: await countPartTwo(t.stores.anonymous, WAVE_2) };
    const refused = await t.send(jar, 'POST', `${BASE}/anonymous/links`, { form: { _csrf: csrfOf(page.html), groups_involved: 'lots' } });
    expect(refused.status).toBe(400);
    expect(titleOf(refused.html)).toMatch(/^Error: /);
    expect(refused.html).toContain('ds_error-summary');
    expect(refused.html).toContain('value="lots"');
    const sent = await t.send(jar, 'POST', `${BASE}/anonymous/links`, { form: { _csrf: csrfOf(page.html), groups_involved: '3', groups_chaired: '1' } });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${BASE}/anonymous/leaders`);
    expect({ audit: await countAuditEvents(t.stores.identifiable), partTwo: await countPartTwo(t.stores.anonymous, WAVE_2) }).toEqual(before);
  });

  it('goes from the last section of part one to part two, and from the last of part two to the end', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const last = await t.send(jar, 'GET', `${BASE}/identifiable/contract_section`);
    const next = await t.send(jar, 'POST', `${BASE}/identifiable/contract_section`, { form: { _csrf: csrfOf(last.html) } });
    expect(next.headers.get('location')).toBe(`${BASE}/anonymous/workload`);
    const back = await t.send(jar, 'GET', `${BASE}/anonymous/workload`);
    expect(back.html).toContain(`href="${BASE}/identifiable/contract_section"`);
    const end = await t.send(jar, 'POST', `${BASE}/anonymous/reflections`, { form: { _csrf: csrfOf(back.html) } });
    expect(end.headers.get('location')).toBe(`${BASE}/end`);
    const done = await t.send(jar, 'GET', `${BASE}/end`);
    expect(titleOf(done.html)).toBe('End of the preview of cswo-annual@2 – CSWO survey – Social Work Scotland');
  });

  it('answers 404 for a definition or a page that does not exist, and 403 to researchers', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    expect((await t.send(jar, 'GET', '/staff/definitions/cswo-annual%409/preview')).status).toBe(404);
    expect((await t.send(jar, 'GET', '/staff/definitions/nonsense/preview')).status).toBe(404);
    expect((await t.send(jar, 'GET', `${BASE}/anonymous/about_you`)).status).toBe(404);
    const researcher = await t.signedIn('researcher');
    expect((await t.send(researcher.jar, 'GET', '/staff/definitions')).status).toBe(403);
  });
});
