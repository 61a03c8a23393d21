import { afterEach, describe, expect, it } from 'vitest';
import { findDefinition, registerPublishedDefinitions } from '../../survey-definitions/index.js';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { countPartTwo } from '../../server/storage/anonymous-store.js';
import { countAuditEvents } from '../../server/storage/audit-log-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';
import { csrfOf, pageText as text, stackTrace, titleOf } from './respondent-helpers.js';
import { auditOf } from './staff-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/** Admins and analysts page through a definition as a respondent would; the preview stores nothing. */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);
afterEach(() => registerPublishedDefinitions([]));

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

/** cswo-annual@2 as the next version, with one question added to part two: what an analyst uploads. */
const nextVersion = (label = 'How often do you work from home?') => {
  const definition = structuredClone(findDefinition({ id: 'cswo-annual', version: 2 })!) as any;
  definition.version = 3;
  definition.parts[1].sections[0].items.push({
    id: 'home_working',
    label,
    kind: 'single',
    options: [
      { code: 'mostly', label: 'Mostly' },
      { code: 'never', label: 'Never' },
    ],
  });
  return JSON.stringify({ $schema: 'survey-definition.schema.json', ...definition }, null, 2);
};

describe('publishing a new version from the browser (admins)', () => {
  const setupAdmin = async () => {
    const t = await setup();
    const admin = await t.signedIn('admin');
    /** A multipart form as a browser sends a file input. */
    const upload = async (file?: { name: string; content: string }) => {
      const form = new FormData();
      form.append('_csrf', csrfToken(t.key, admin.token));
      form.append('definition', new Blob([file ? file.content : ''], { type: 'application/json' }), file?.name ?? '');
      const response = await t.app.request('/staff/definitions/publish', {
        method: 'POST',
        headers: { cookie: admin.jar.header('/staff/definitions')! },
        body: form,
      });
      const html = await response.text();
      expect(html).not.toMatch(stackTrace);
      return { status: response.status, html, location: response.headers.get('location') };
    };
    const drafts = async () => (await t.stores.identifiable.selectFrom('definition_draft').select('token').execute()).length;
    return { ...t, admin, upload, drafts };
  };

  it('refuses a file with problems, listing each with its line and path, and keeps nothing', async () => {
    const t = await setupAdmin();
    const definition = JSON.parse(nextVersion());
    definition.parts[1].sections[0].items.at(-1).kind = 'singel';
    const broken = JSON.stringify(definition, null, 2);
    const refused = await t.upload({ name: 'next.json', content: broken });
    expect(refused.status).toBe(400);
    expect(titleOf(refused.html)).toMatch(/^Error: /);
    expect(text(refused.html)).toContain('next.json cannot be published: 1 problem. Nothing was kept');
    expect(text(refused.html)).toMatch(/next\.json:\d+: parts\[1\]\.sections\[0\]\.items\[\d+\]\.kind: expected a kind of single/);
    const none = await t.upload();
    expect(none.status).toBe(400);
    expect(text(none.html)).toContain('Choose the definition file (JSON or YAML) to upload');
    expect(await t.drafts()).toBe(0);
  });

  it('checks a good file, shows what changed and a preview, and publishes it only when confirmed; audited', async () => {
    const t = await setupAdmin();
    const uploaded = await t.upload({ name: 'next.json', content: nextVersion() });
    expect(uploaded.status).toBe(303);
    const draftPath = uploaded.location!;
    expect(draftPath).toMatch(/^\/staff\/definitions\/drafts\/[A-Za-z0-9_-]{43}$/);
    const draft = await t.send(t.admin.jar, 'GET', draftPath);
    expect(titleOf(draft.html)).toBe('Publish cswo-annual@3? – CSWO survey – Social Work Scotland');
    expect(text(draft.html)).toContain('What changed against cswo-annual@2');
    expect(text(draft.html)).toContain('Added question home_working (single) to section workload of part two');
    // Not published yet: a wave cannot field it, and its own preview shows the new question.
    expect((await t.send(t.admin.jar, 'GET', '/staff/definitions')).html).not.toContain('cswo-annual@3');
    const preview = await t.send(t.admin.jar, 'GET', `${draftPath}/preview/anonymous/workload`);
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('How often do you work from home?');
    expect(preview.html).toContain('cswo-annual@3 (uploaded, not published)');

    const published = await t.send(t.admin.jar, 'POST', draftPath, { form: { _csrf: csrfOf(draft.html), confirm: 'yes' } });
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe('/staff/definitions?published=cswo-annual%403');
    const list = await t.send(t.admin.jar, 'GET', published.headers.get('location')!);
    expect(text(list.html)).toContain('cswo-annual@3 is published: a new wave can now field it.');
    expect((await t.send(t.admin.jar, 'GET', '/staff/waves/new')).html).toContain('value="cswo-annual@3"');
    expect(await auditOf(t.stores, ['definition.publish'])).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ definition: 'cswo-annual@3' }) }),
    ]);
    // The draft is gone once published, and the same content again is nothing to publish.
    expect(await t.drafts()).toBe(0);
    expect((await t.send(t.admin.jar, 'GET', draftPath)).status).toBe(404);
    expect((await t.upload({ name: 'next.json', content: nextVersion() })).status).toBe(422);
    // Another @3 is refused, saying which version number is free.
    const other = await t.upload({ name: 'other.json', content: nextVersion('How often do you work at home?') });
    expect(other.status).toBe(400);
    expect(text(other.html)).toContain('cswo-annual@3 is already published with other content');
    expect(text(other.html)).toContain('cswo-annual@4 is free');
  });

  it('is for admins: analysts can preview but not upload or publish', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    expect((await t.send(jar, 'GET', '/staff/definitions/publish')).status).toBe(403);
    expect((await t.send(jar, 'GET', '/staff/definitions')).html).not.toContain('Publish a new version');
  });
});
