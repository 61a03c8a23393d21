import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { credentialCookie, deriveCredential } from '../../server/respondent/part-two-credential.js';
import { cookies } from '../../server/respondent/respondent-context.js';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { randomToken } from '../../server/security/tokens.js';
import { createSession, findInvitationBySecret, issueInvitation } from '../../server/storage/invitation-store.js';
import { savePartOneDraft } from '../../server/storage/part-one-draft-store.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';
import {
  CookieJar,
  csrfOf,
  errorSummaryTargets,
  formBody,
  formCellsOf,
  idsOf,
  pageItems,
  randomCells,
  sectionsOf,
  seededRandom,
  stackTrace,
  titleOf,
} from './respondent-helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const roster = [
  { localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' },
  { localAuthority: 'angus', name: 'Ann Angus', email: 'ann@angus.gov.uk' },
  { localAuthority: 'glasgow_city', name: 'Gus Glasgow', email: 'gus@glasgow.gov.uk' },
];

const partOneSections = sectionsOf('identifiable');
const partTwoSections = sectionsOf('anonymous');

interface Sent {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
  readonly location: string | null;
  readonly setCookies: string[];
}

/** The headers every response must carry, whatever its status. */
const expectSecurityHeaders = (path: string, headers: Headers) => {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp, `${path}: CSP`).toContain("frame-ancestors 'none'");
  expect(csp, `${path}: CSP`).toContain("default-src 'self'");
  expect(headers.get('x-content-type-options'), `${path}: nosniff`).toBe('nosniff');
  expect(headers.get('referrer-policy'), `${path}: referrer policy`).toBe('no-referrer');
  if (!path.startsWith('/assets/')) expect(headers.get('cache-control'), `${path}: cache-control`).toBe('no-store');
};

/** An app over real stores in a temp dir, its roster, open wave and invitation links. */
const setup = async () => {
  const stores: Stores = await opener.openIn(tempDir());
  const key = randomBytes(32);
  const logged: string[] = [];
  await replaceRoster(stores.identifiable, WAVE_2, roster);
  await setWaveStatus(stores.identifiable, WAVE_2, 'open');
  const secrets: Record<string, string> = {};
  for (const r of roster) secrets[r.localAuthority] = await issueInvitation(stores.identifiable, WAVE_2, r.localAuthority);
  const app = createApp({ stores, key, logError: (m) => logged.push(m) });

  /** One request as a browser with this jar would send it; checks what every response must satisfy. */
  const send = async (
    jar: CookieJar | undefined,
    method: 'GET' | 'POST',
    path: string,
    { form, body, headers = {} }: { form?: Record<string, string>; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Sent> => {
    const cookie = jar?.header(path);
    const response = await app.request(path, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form || body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { body: formBody(form) } : body !== undefined ? { body } : {}),
    });
    const html = await response.text();
    expectSecurityHeaders(path, response.headers);
    expect(html, `${method} ${path} leaked a stack trace`).not.toMatch(stackTrace);
    const setCookies = response.headers.getSetCookie();
    jar?.store(setCookies, path);
    return { status: response.status, headers: response.headers, html, location: response.headers.get('location'), setCookies };
  };

  /** A browser that has opened its council's invitation link. */
  const browser = async (council = 'fife') => {
    const jar = new CookieJar();
    const opened = await send(jar, 'GET', `/i/${secrets[council]}`);
    expect(opened.status).toBe(303);
    return jar;
  };

  const count = async () => ({
    partOne: (await stores.identifiable.selectFrom('part_one_response').selectAll().execute()).length,
    partOneDrafts: (await stores.identifiable.selectFrom('part_one_draft').selectAll().execute()).length,
    partTwo: (await stores.anonymous.selectFrom('part_two_response').selectAll().execute()).length,
    partTwoDrafts: (await stores.anonymous.selectFrom('part_two_draft').selectAll().execute()).length,
    spent: (await stores.anonymous.selectFrom('part_two_spent').selectAll().execute()).length,
  });

  const partOneDraft = async (council = 'fife') => {
    const invitation = (await findInvitationBySecret(stores.identifiable, secrets[council]!))!;
    return stores.identifiable.selectFrom('part_one_draft').selectAll().where('invitation_id', '=', invitation.id).executeTakeFirst();
  };

  /** GETs a page (for its CSRF token) and posts answers to it, as a person pressing "Save and continue". */
  const saveSection = async (jar: CookieJar, base: string, sectionId: string, cells: Record<string, string>) => {
    const page = await send(jar, 'GET', `${base}/${sectionId}`);
    expect(page.status, `GET ${base}/${sectionId}`).toBe(200);
    return send(jar, 'POST', `${base}/${sectionId}`, { form: { _csrf: csrfOf(page.html), ...cells } });
  };

  const submit = async (jar: CookieJar, base: string) => {
    const check = await send(jar, 'GET', `${base}/check`);
    expect(check.status).toBe(200);
    return send(jar, 'POST', `${base}/submit`, { form: { _csrf: csrfOf(check.html) } });
  };

  const completePartOne = async (jar: CookieJar, seed = 1) => {
    const random = seededRandom(seed);
    for (const section of partOneSections) {
      const cells = randomCells(pageItems(section), random);
      if (section.id === 'about_you') Object.assign(cells, { name: 'Fiona Fife', email: 'fiona@fife.gov.uk' });
      expect((await saveSection(jar, '/survey/part-one', section.id, cells)).status).toBe(303);
    }
    const sent = await submit(jar, '/survey/part-one');
    expect(sent).toMatchObject({ status: 303, location: '/survey/part-one/done' });
  };

  /** From the confirmation of part one through the door to part two. */
  const passToPartTwo = async (jar: CookieJar) => {
    const done = await send(jar, 'GET', '/survey/part-one/done');
    expect(done.status).toBe(200);
    return send(jar, 'POST', '/survey/part-two-pass', { form: { _csrf: csrfOf(done.html) } });
  };

  return { stores, key, app, secrets, logged, send, browser, count, partOneDraft, saveSection, submit, completePartOne, passToPartTwo };
};

type Setup = Awaited<ReturnType<typeof setup>>;

/** Status 400, an 'Error: ' title, and an error summary whose every link leads to an element of the page. */
const expectErrorPage = (sent: Sent, messages: readonly (string | RegExp)[]) => {
  expect(sent.status).toBe(400);
  expect(titleOf(sent.html)).toMatch(/^Error: /);
  const targets = errorSummaryTargets(sent.html);
  expect(targets.length).toBeGreaterThan(0);
  const ids = idsOf(sent.html);
  for (const target of targets) expect(ids, `error summary link #${target} leads nowhere`).toContain(target);
  for (const m of messages) expect(sent.html).toMatch(m);
};

describe('GET /i/<secret>: the invitation link', () => {
  it('exchanges a valid secret for cookies and sends the browser on to /survey without it', async () => {
    const t = await setup();
    const jar = new CookieJar();
    const sent = await t.send(jar, 'GET', `/i/${t.secrets.fife}`);
    expect(sent.status).toBe(303);
    expect(sent.location).toBe('/survey');
    const set = new CookieJar().store(sent.setCookies, `/i/${t.secrets.fife}`);
    expect(set.map((c) => c.name).sort()).toEqual([cookies.invitation, cookies.session].sort());
    for (const c of set) {
      expect(c.attributes.has('httponly'), `${c.name} HttpOnly`).toBe(true);
      expect(c.attributes.has('secure'), `${c.name} Secure`).toBe(true);
      expect(Number(c.attributes.get('max-age'))).toBeGreaterThan(0);
    }
    const byName = Object.fromEntries(set.map((c) => [c.name, c]));
    expect(byName[cookies.session]!.path).toBe('/survey');
    expect(byName[cookies.session]!.attributes.get('samesite')).toBe('Lax');
    expect(byName[cookies.session]!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(byName[cookies.session]!.value).not.toBe(t.secrets.fife);
    // The secret is kept only for the one request that opens part two.
    expect(byName[cookies.invitation]!.path).toBe('/survey/part-two-pass');
    expect(byName[cookies.invitation]!.attributes.get('samesite')).toBe('Strict');
    expect(byName[cookies.invitation]!.value).toBe(t.secrets.fife);
    // The session works; the page names the council.
    const start = await t.send(jar, 'GET', '/survey');
    expect(start.status).toBe(200);
    expect(start.html).toContain('Fife');
    expect(start.html).toContain('href="/survey/part-one"');
    expect(start.html).not.toContain(t.secrets.fife);
  });

  it.each([
    ['too short', 'abc'],
    ['one character too long', `${'a'.repeat(44)}`],
    ['with characters a token never has', `${'a'.repeat(42)}!`],
    ['with an encoded NUL', `${'a'.repeat(40)}%00aa`],
    ['with an encoded slash', `${'a'.repeat(40)}%2Faa`],
    ['with SQL in it', "x'%20or%20'1'='1"],
  ])('a malformed secret (%s) leads to a 404 page at an address without the secret, and sets no cookie', async (_what, secret) => {
    const t = await setup();
    const sent = await t.send(new CookieJar(), 'GET', `/i/${secret}`);
    expect(sent).toMatchObject({ status: 303, location: '/i/problem/not-valid', setCookies: [] });
    const shown = await t.send(new CookieJar(), 'GET', sent.location!);
    expect(shown.status).toBe(404);
    expect(titleOf(shown.html)).toMatch(/^This link does not work/);
  });

  it('an unknown problem page is a plain 404', async () => {
    const t = await setup();
    expect((await t.send(new CookieJar(), 'GET', '/i/problem/constructor')).status).toBe(404);
  });

  it('an unknown well-formed secret, and a link replaced by a newer one, are 404 pages', async () => {
    const t = await setup();
    const unknown = await t.send(new CookieJar(), 'GET', `/i/${randomToken()}`);
    expect(unknown).toMatchObject({ status: 303, location: '/i/problem/not-valid' });
    const old = t.secrets.fife!;
    const jar = await t.browser('fife');
    await issueInvitation(t.stores.identifiable, WAVE_2, 'fife');
    const replaced = await t.send(new CookieJar(), 'GET', `/i/${old}`);
    expect(replaced).toMatchObject({ status: 303, location: '/i/problem/not-valid' });
    expect(replaced.setCookies).toEqual([]);
    // And the session opened with the old link has ended.
    expect((await t.send(jar, 'GET', '/survey')).status).toBe(401);
  });

  it('a link to a closed wave is a 403 page and opens no session', async () => {
    const t = await setup();
    await setWaveStatus(t.stores.identifiable, WAVE_2, 'closed');
    const sent = await t.send(new CookieJar(), 'GET', `/i/${t.secrets.fife}`);
    expect(sent).toMatchObject({ status: 303, location: '/i/problem/closed', setCookies: [] });
    const shown = await t.send(new CookieJar(), 'GET', sent.location!);
    expect(shown.status).toBe(403);
    expect(titleOf(shown.html)).toMatch(/^This survey is closed/);
    expect(await t.stores.identifiable.selectFrom('respondent_session').selectAll().execute()).toEqual([]);
  });

  it('refuses the 21st attempt from one client within the window with a 429 page, even with a valid link', async () => {
    const t = await setup();
    for (let i = 0; i < 19; i++) expect((await t.send(new CookieJar(), 'GET', `/i/${randomToken()}`)).location).toBe('/i/problem/not-valid');
    expect((await t.send(new CookieJar(), 'GET', `/i/${t.secrets.fife}`)).location).toBe('/survey');
    const refused = await t.send(new CookieJar(), 'GET', `/i/${t.secrets.angus}`);
    expect(refused).toMatchObject({ status: 303, location: '/i/problem/too-many', setCookies: [] });
    const shown = await t.send(new CookieJar(), 'GET', refused.location!);
    expect(shown.status).toBe(429);
    expect(titleOf(shown.html)).toMatch(/^Too many attempts/);
    // Other pages are not limited.
    expect((await t.send(new CookieJar(), 'GET', '/')).status).toBe(200);
  });
});

describe('/survey: the identifiable side', () => {
  it('without a session, with an unknown one or an expired one, every page is a 401 page', async () => {
    const t = await setup();
    const invitation = (await findInvitationBySecret(t.stores.identifiable, t.secrets.fife!))!;
    const expired = await createSession(t.stores.identifiable, invitation.id, 1000, Date.now() - 60_000);
    for (const cookie of [undefined, randomToken(), 'not-a-token', expired]) {
      const jar = new CookieJar();
      if (cookie) jar.set(cookies.session, cookie, '/survey');
      for (const [method, path] of [
        ['GET', '/survey'],
        ['GET', '/survey/part-one'],
        ['GET', '/survey/part-one/about_you'],
        ['POST', '/survey/part-one/about_you'],
        ['GET', '/survey/part-one/check'],
        ['POST', '/survey/part-one/submit'],
        ['POST', '/survey/part-two-pass'],
      ] as const) {
        const sent = await t.send(jar, method, path, method === 'POST' ? { form: { _csrf: 'x', name: 'Mallory' } } : {});
        expect(sent.status, `${method} ${path} with ${cookie}`).toBe(401);
        expect(titleOf(sent.html)).toMatch(/^Your session has ended/);
      }
    }
    expect(await t.count()).toMatchObject({ partOne: 0, partOneDrafts: 0 });
  });

  it('part one starts at its first section, prefilled with the roster name and email and no council field', async () => {
    const t = await setup();
    const jar = await t.browser('angus');
    expect(await t.send(jar, 'GET', '/survey/part-one')).toMatchObject({ status: 303, location: '/survey/part-one/about_you' });
    const page = await t.send(jar, 'GET', '/survey/part-one/about_you');
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toMatch(/^About you \(Part one\)/);
    expect(page.html).toMatch(/id="f-name"[^>]*value="Ann Angus"|value="Ann Angus"[^>]*id="f-name"/);
    expect(page.html).toMatch(/id="f-email"[^>]*value="ann@angus.gov.uk"|value="ann@angus.gov.uk"[^>]*id="f-email"/);
    for (const section of partOneSections) {
      const html = (await t.send(jar, 'GET', `/survey/part-one/${section.id}`)).html;
      expect(html).not.toContain('name="local_authority"');
      expect(html).not.toContain('f-local_authority');
      expect(html).not.toContain('Which council are you');
    }
  });

  it('a POST without a CSRF token, with a wrong one, one from another session, or from another Origin is a 403 and saves nothing', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    const other = await t.browser('angus');
    const good = csrfOf((await t.send(jar, 'GET', '/survey/part-one/about_you')).html);
    const foreign = csrfOf((await t.send(other, 'GET', '/survey/part-one/about_you')).html);
    const answers = { name: 'Mallory', email: 'mallory@evil.example', role: 'deputy' };
    const attempts: [string, Record<string, string>, Record<string, string>][] = [
      ['no token', answers, {}],
      ['an empty token', { _csrf: '', ...answers }, {}],
      ['a wrong token', { _csrf: randomToken(), ...answers }, {}],
      ["another session's token", { _csrf: foreign, ...answers }, {}],
      ['a foreign Origin', { _csrf: good, ...answers }, { origin: 'https://evil.example' }],
      ['a look-alike Origin', { _csrf: good, ...answers }, { origin: 'http://localhost.evil.example' }],
      ['another port', { _csrf: good, ...answers }, { origin: 'http://localhost:8080' }],
      ['an Origin that is not a URL', { _csrf: good, ...answers }, { origin: 'garbage' }],
    ];
    for (const [what, form, headers] of attempts) {
      for (const path of ['/survey/part-one/about_you', '/survey/part-one/submit', '/survey/part-two-pass', '/survey/sign-out']) {
        const sent = await t.send(jar, 'POST', path, { form, headers });
        expect(sent.status, `${what} on ${path}`).toBe(403);
        expect(titleOf(sent.html)).toMatch(/^This form has expired/);
      }
    }
    expect(await t.count()).toMatchObject({ partOne: 0, partOneDrafts: 0 });
    // The same page from its own origin is accepted, also over https ended at a proxy (the server sees http).
    for (const origin of ['http://localhost', 'https://localhost']) {
      const ok = await t.send(jar, 'POST', '/survey/part-one/about_you', { form: { _csrf: good, ...answers }, headers: { origin } });
      expect(ok, origin).toMatchObject({ status: 303, location: '/survey/part-one/your_council' });
    }
    expect(await t.count()).toMatchObject({ partOneDrafts: 1 });
  });

  it('every part-one section saves valid answers, goes on to the next page and shows them again', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    const random = seededRandom(7);
    for (const [i, section] of partOneSections.entries()) {
      const cells = randomCells(pageItems(section), random);
      if (section.id === 'about_you') Object.assign(cells, { name: 'Fiona M. Fife', email: 'f.fife@fife.gov.uk' });
      const sent = await t.saveSection(jar, '/survey/part-one', section.id, cells);
      const next = partOneSections[i + 1];
      expect(sent, section.id).toMatchObject({ status: 303, location: next ? `/survey/part-one/${next.id}` : '/survey/part-one/check' });
      const again = await t.send(jar, 'GET', `/survey/part-one/${section.id}`);
      expect(formCellsOf(again.html), section.id).toEqual(cells);
    }
    const draft = JSON.parse((await t.partOneDraft())!.answers);
    expect(draft).toMatchObject({ name: 'Fiona M. Fife', email: 'f.fife@fife.gov.uk', local_authority: 'fife' });
    // Resuming goes to the page after the last one saved.
    expect(await t.send(jar, 'GET', '/survey/part-one')).toMatchObject({ status: 303, location: '/survey/part-one/check' });
  });

  const invalid: [string, string, Record<string, string>, (string | RegExp)[]][] = [
    ['about_you', 'blank required name and email', { name: '', email: '', role: 'cswo' }, ['Enter an answer: Your name', 'Enter an answer: Your work email address']],
    ['about_you', 'a bad email and an unknown option', { name: 'Fiona', email: 'not-an-email', role: 'boss' }, ['Enter an email address in the correct format', 'choose one of the options given']],
    ['about_you', 'a name over 200 characters', { name: 'x'.repeat(201), email: 'fiona@fife.gov.uk' }, ['Your name: must be at most 200 characters']],
    ['your_council', 'an unknown option', { urban_rural: 'metropolis', time_in_post: '1_2' }, [/choose one of the options given/]],
    ['qualifications', 'a box posted with a value other than 1', { 'pq_awards.pq1': '1', 'pq_awards.pq2': 'yes' }, [/Which post-qualifying awards/]],
    ['qualifications', 'text over 1000 characters', { pq_awards_other: 'y'.repeat(1001) }, [/must be at most 1000 characters/]],
    ['portfolio_section', 'an unknown matrix column', { 'portfolio.children_sw': 'most', location: 'hscp' }, [/Children&#39;s social work: choose one|Children's social work: choose one/]],
    ['contract_section', 'a number above its maximum', { contracted_hours: '61' }, [/enter .*60/]],
    ['contract_section', 'words for a number', { contracted_hours: 'lots', contract: 'permanent' }, [/How many hours a week are you contracted to work: enter/]],
  ];

  it.each(invalid)('%s with %s re-renders with status 400, an error summary and nothing saved', async (sectionId, _what, cells, messages) => {
    const t = await setup();
    const jar = await t.browser('fife');
    const sent = await t.saveSection(jar, '/survey/part-one', sectionId, cells);
    expectErrorPage(sent, messages);
    // What was typed is shown again, so nothing has to be retyped (a radio cannot show a value it does not offer).
    const shown = formCellsOf(sent.html);
    for (const [field, value] of Object.entries(cells)) {
      if (new RegExp(`<(textarea|input[^>]*type="(text|email)")[^>]*name="${field}"`).test(sent.html)) expect(shown[field] ?? '', field).toBe(value);
    }
    expect(await t.count()).toMatchObject({ partOneDrafts: 0 });
  });

  it('ignores a posted local_authority: the council is the invitation’s', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    const sent = await t.saveSection(jar, '/survey/part-one', 'about_you', { name: 'Fiona Fife', email: 'fiona@fife.gov.uk', local_authority: 'glasgow_city' });
    expect(sent.status).toBe(303);
    expect(JSON.parse((await t.partOneDraft())!.answers).local_authority).toBe('fife');
    expect((await t.submit(jar, '/survey/part-one')).status).toBe(303);
    const rows = await t.stores.identifiable.selectFrom('part_one_response').select(['local_authority']).execute();
    expect(rows).toEqual([{ local_authority: 'fife' }]);
  });

  it('an unknown section is a 404 page', async () => {
    const t = await setup();
    const jar = await t.browser();
    const page = await t.send(jar, 'GET', '/survey/part-one/about_you');
    expect((await t.send(jar, 'GET', '/survey/part-one/nonsense')).status).toBe(404);
    expect((await t.send(jar, 'POST', '/survey/part-one/nonsense', { form: { _csrf: csrfOf(page.html) } })).status).toBe(404);
    expect(await t.count()).toMatchObject({ partOneDrafts: 0 });
  });

  it('a body over 256 KiB is a 413 page and nothing is saved', async () => {
    const t = await setup();
    const jar = await t.browser();
    const csrf = csrfOf((await t.send(jar, 'GET', '/survey/part-one/qualifications')).html);
    const big = formBody({ _csrf: csrf, pq_awards_other: 'z'.repeat(300 * 1024) });
    for (const headers of [{}, { 'content-length': String(Buffer.byteLength(big)) }] as Record<string, string>[]) {
      const sent = await t.send(jar, 'POST', '/survey/part-one/qualifications', { body: big, headers });
      expect(sent.status).toBe(413);
      expect(titleOf(sent.html)).toMatch(/^Too much text/);
    }
    expect(await t.count()).toMatchObject({ partOneDrafts: 0 });
  });

  it('the check page lists the answers; a submission missing required answers is a 400 with links to them', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    // A draft saved without the required name and email (as an older version of the form could leave).
    const invitation = (await findInvitationBySecret(t.stores.identifiable, t.secrets.fife!))!;
    await savePartOneDraft(t.stores.identifiable, invitation.id, { answers: { local_authority: 'fife', role: 'deputy' }, section: 'your_council' });
    const check = await t.send(jar, 'GET', '/survey/part-one/check');
    expect(check.status).toBe(200);
    expect(check.html).toContain('Designated deputy');
    expect(check.html).toContain('Not answered');
    const sent = await t.send(jar, 'POST', '/survey/part-one/submit', { form: { _csrf: csrfOf(check.html) } });
    expectErrorPage(sent, ['Enter an answer: Your name', 'Enter an answer: Your work email address']);
    expect(errorSummaryTargets(sent.html)).toEqual(['answer-name', 'answer-email']);
    // Each "Change" link goes to the page of its question, at a field that page has.
    for (const [, href] of sent.html.matchAll(/<a class="ds_link" href="([^"]+)">Change/g)) {
      const [path, fragment] = href!.split('#');
      const page = await t.send(jar, 'GET', path!);
      expect(page.status).toBe(200);
      expect(idsOf(page.html), `${href} leads nowhere`).toContain(fragment);
    }
    expect(await t.count()).toMatchObject({ partOne: 0, partOneDrafts: 1 });
  });

  it('submits part one once: 303 to the confirmation, then 409 for a second submission and for every section, with one row', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    await t.completePartOne(jar);
    expect(await t.count()).toMatchObject({ partOne: 1, partOneDrafts: 0 });
    const done = await t.send(jar, 'GET', '/survey/part-one/done');
    expect(done.status).toBe(200);
    expect(titleOf(done.html)).toMatch(/^Part one submitted/);
    expect(done.html).toContain('action="/survey/part-two-pass"');
    const csrf = csrfOf(done.html);
    const again = await t.send(jar, 'POST', '/survey/part-one/submit', { form: { _csrf: csrf } });
    expect(again.status).toBe(409);
    expect(titleOf(again.html)).toMatch(/^Part one has already been submitted/);
    expect((await t.send(jar, 'GET', '/survey/part-one/check')).status).toBe(409);
    expect((await t.send(jar, 'GET', '/survey/part-one/about_you')).status).toBe(409);
    expect((await t.send(jar, 'POST', '/survey/part-one/about_you', { form: { _csrf: csrf, name: 'Changed', email: 'c@fife.gov.uk' } })).status).toBe(409);
    expect(await t.send(jar, 'GET', '/survey/part-one')).toMatchObject({ status: 303, location: '/survey/part-one/done' });
    expect(await t.count()).toMatchObject({ partOne: 1, partOneDrafts: 0 });
    // The start page now offers part two.
    expect((await t.send(jar, 'GET', '/survey')).html).toContain('action="/survey/part-two-pass"');
  });

  it('a second browser of the same council submitting after the first gets a 409 and there is one row', async () => {
    const t = await setup();
    const first = await t.browser('fife');
    const second = await t.browser('fife');
    const check = await t.send(second, 'GET', '/survey/part-one/check');
    await t.completePartOne(first);
    const late = await t.send(second, 'POST', '/survey/part-one/submit', { form: { _csrf: csrfOf(check.html) } });
    expect(late.status).toBe(409);
    expect(await t.count()).toMatchObject({ partOne: 1 });
  });

  it('signing out ends the session and clears the session, invitation and part-two cookies', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    expect(jar.names().sort()).toEqual([cookies.invitation, cookies.partTwo, cookies.session].sort());
    const stolen = jar.value(cookies.session)!;
    const page = await t.send(jar, 'GET', '/survey/part-one/done');
    const sent = await t.send(jar, 'POST', '/survey/sign-out', { form: { _csrf: csrfOf(page.html) } });
    expect(sent.status).toBe(200);
    expect(titleOf(sent.html)).toMatch(/^You have left the survey/);
    expect(jar.names()).toEqual([]);
    // The session is over on the server too, whoever still holds its token.
    const other = new CookieJar();
    other.set(cookies.session, stolen, '/survey');
    expect((await t.send(other, 'GET', '/survey')).status).toBe(401);
  });
});

describe('/survey/part-two-pass: the door to part two', () => {
  it('before part one is submitted, sends the respondent to part one and sets no part-two cookie', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    const csrf = csrfOf((await t.send(jar, 'GET', '/survey/part-one/about_you')).html);
    const sent = await t.send(jar, 'POST', '/survey/part-two-pass', { form: { _csrf: csrf } });
    expect(sent).toMatchObject({ status: 303, location: '/survey/part-one' });
    expect(sent.setCookies).toEqual([]);
  });

  it('without the invitation cookie, or with another council’s secret in it, is a 403 page', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    await t.completePartOne(jar);
    jar.delete(cookies.invitation);
    const without = await t.passToPartTwo(jar);
    expect(without.status).toBe(403);
    expect(titleOf(without.html)).toMatch(/^Open your invitation link again/);
    expect(without.setCookies).toEqual([]);
    jar.set(cookies.invitation, t.secrets.angus!, '/survey/part-two-pass');
    const foreign = await t.passToPartTwo(jar);
    expect(foreign.status).toBe(403);
    expect(foreign.setCookies).toEqual([]);
  });

  it('after part one, issues the part-two cookie (Path=/part-two, HttpOnly, Secure, SameSite=Strict) and 303s to /part-two', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    await t.completePartOne(jar);
    const sent = await t.passToPartTwo(jar);
    expect(sent).toMatchObject({ status: 303, location: '/part-two' });
    const [cookie, ...more] = new CookieJar().store(sent.setCookies, '/survey/part-two-pass');
    expect(more).toEqual([]);
    expect(cookie!.name).toBe(cookies.partTwo);
    expect(cookie!.path).toBe('/part-two');
    expect(cookie!.attributes.has('httponly')).toBe(true);
    expect(cookie!.attributes.has('secure')).toBe(true);
    expect(cookie!.attributes.get('samesite')).toBe('Strict');
    expect(cookie!.value).toMatch(/^2020-06\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    // It carries nothing of the invitation or session.
    expect(cookie!.value).not.toContain(t.secrets.fife);
    expect(cookie!.value).not.toContain(jar.value(cookies.session));
    // Requests to part two carry only the part-two cookie.
    expect(jar.header('/part-two/workload')).toBe(`${cookies.partTwo}=${cookie!.value}`);
  });
});

/** A browser that has sent part one and holds its part-two cookie. */
const intoPartTwo = async (t: Setup, council = 'fife', seed = 1) => {
  const jar = await t.browser(council);
  await t.completePartOne(jar, seed);
  expect((await t.passToPartTwo(jar)).status).toBe(303);
  return jar;
};

describe('/part-two: the anonymous side', () => {
  it('without the part-two cookie, or with a forged, tampered or foreign-key one, every page is a 401 page', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    const good = jar.value(cookies.partTwo)!;
    const [wave, credential, tag] = good.split('.') as [string, string, string];
    const flip = (s: string) => `${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`;
    const session = jar.value(cookies.session)!;
    const forged = [
      undefined,
      '',
      'garbage',
      `${wave}.${randomToken()}.${randomToken()}`,
      `${wave}.${credential}.${flip(tag)}`,
      `${wave}.${flip(credential)}.${tag}`,
      `2020-01.${credential}.${tag}`,
      credentialCookie(randomBytes(32), WAVE_2, credential),
      credentialCookie(t.key, '2099-01', credential),
      `${good}.extra`,
      session,
    ];
    for (const value of forged) {
      const other = new CookieJar();
      // The session cookie alone (as if it were sent here) gives no access either.
      other.set(cookies.session, session, '/');
      if (value !== undefined) other.set(cookies.partTwo, value, '/part-two');
      for (const [method, path] of [
        ['GET', '/part-two'],
        ['GET', '/part-two/workload'],
        ['POST', '/part-two/workload'],
        ['GET', '/part-two/check'],
        ['POST', '/part-two/submit'],
        ['GET', '/part-two/done'],
      ] as const) {
        const sent = await t.send(other, method, path, method === 'POST' ? { form: { _csrf: 'x', groups_involved: '3' } } : {});
        expect(sent.status, `${method} ${path} with ${JSON.stringify(value)}`).toBe(401);
        expect(titleOf(sent.html)).toMatch(/^Open part two from your invitation/);
      }
    }
    expect(await t.count()).toMatchObject({ partTwo: 0, partTwoDrafts: 0 });
  });

  it('refuses POSTs without the part-two CSRF token (a part-one token will not do) or from another Origin', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    const page = await t.send(jar, 'GET', '/part-two/links');
    const good = csrfOf(page.html);
    expect(good).toBe(csrfToken(t.key, jar.value(cookies.partTwo)!.split('.')[1]!));
    const partOneToken = csrfToken(t.key, jar.value(cookies.session)!);
    for (const [form, headers] of [
      [{ groups_involved: '4' }, {}],
      [{ _csrf: partOneToken, groups_involved: '4' }, {}],
      [{ _csrf: randomToken(), groups_involved: '4' }, {}],
      [{ _csrf: good, groups_involved: '4' }, { origin: 'https://evil.example' }],
    ] as [Record<string, string>, Record<string, string>][]) {
      expect((await t.send(jar, 'POST', '/part-two/links', { form, headers })).status).toBe(403);
      expect((await t.send(jar, 'POST', '/part-two/submit', { form, headers })).status).toBe(403);
    }
    expect(await t.count()).toMatchObject({ partTwo: 0, partTwoDrafts: 0, spent: 0 });
  });

  it('every part-two section saves valid answers and goes on to the next, then the check page lists them', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    expect(await t.send(jar, 'GET', '/part-two')).toMatchObject({ status: 303, location: '/part-two/workload' });
    const random = seededRandom(11);
    for (const [i, section] of partTwoSections.entries()) {
      const page = await t.send(jar, 'GET', `/part-two/${section.id}`);
      expect(page.status).toBe(200);
      expect(titleOf(page.html)).toContain(`${section.title} (Part two)`);
      const cells = randomCells(section.items, random);
      if (section.id === 'links') cells.groups_involved = '17';
      if (section.id === 'reflections') cells.final_reflections = 'A line with <b>markup</b> & "quotes"';
      const sent = await t.send(jar, 'POST', `/part-two/${section.id}`, { form: { _csrf: csrfOf(page.html), ...cells } });
      const next = partTwoSections[i + 1];
      expect(sent, section.id).toMatchObject({ status: 303, location: next ? `/part-two/${next.id}` : '/part-two/check' });
    }
    const check = await t.send(jar, 'GET', '/part-two/check');
    expect(check.status).toBe(200);
    expect(check.html).toContain('17 groups');
    expect(check.html).toContain('A line with &lt;b>markup&lt;/b> &amp; "quotes"');
    expect(await t.count()).toMatchObject({ partTwo: 0, partTwoDrafts: 1 });
    // The draft is in the anonymous store only, under a hash of the credential, never the credential itself.
    const draft = (await t.stores.anonymous.selectFrom('part_two_draft').selectAll().executeTakeFirstOrThrow());
    expect(draft.credential_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(draft.credential_hash).not.toBe(jar.value(cookies.partTwo)!.split('.')[1]);
    expect(JSON.parse(draft.answers).groups_involved).toBe(17);
  });

  const invalid: [string, string, Record<string, string>, (string | RegExp)[]][] = [
    ['links', 'a negative number and words for a number', { groups_involved: '-1', groups_chaired: 'two' }, [/How many groups, boards and committees do you attend regularly: enter/, /How many of those do you chair: enter/]],
    ['links', 'a fraction for a whole number and an unknown option', { groups_involved: '2.5', admin_support: 'butler' }, [/enter a whole number/, /choose one of the options given/]],
    ['pressures', 'a rating off the scale', { 'pressure.children': '9', 'pressure.adults': '3' }, [/choose one of the options given|enter/]],
    ['workload', 'matrix numbers out of bounds', { 'time_share.children': 'half', 'time_share.adults': '101' }, [/enter/]],
    ['leaders', 'an unknown option and an unknown matrix column', { senior_team_member: 'perhaps', 'direct_access.chief_executive': 'sometimes' }, [/choose one of the options given/]],
    ['covid', 'text over 10,000 characters', { covid_reflections: 'c'.repeat(10_001) }, [/must be at most 10000 characters/]],
    ['support_networks', 'an unknown matrix column and a rating off the scale', { 'support.mentoring': 'often', peer_support_likelihood: '0' }, [/Mentoring: choose one/]],
    ['reflections', 'text over 10,000 characters', { final_reflections: 'r'.repeat(10_001) }, [/must be at most 10000 characters/]],
    ['learning', 'a box posted with a value other than 1', { 'resources.service_users': '1', 'resources.solace': 'maybe' }, [/In the last year, which supports/]],
  ];

  it.each(invalid)('%s with %s re-renders with status 400 and an error summary, saving nothing', async (sectionId, _what, cells, messages) => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    const page = await t.send(jar, 'GET', `/part-two/${sectionId}`);
    const sent = await t.send(jar, 'POST', `/part-two/${sectionId}`, { form: { _csrf: csrfOf(page.html), ...cells } });
    expectErrorPage(sent, messages);
    expect(await t.count()).toMatchObject({ partTwo: 0, partTwoDrafts: 0 });
  });

  it('submits once: 303 to the confirmation, one row, the draft destroyed; a second submission is a 409, still one row', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    const page = await t.send(jar, 'GET', '/part-two/links');
    await t.send(jar, 'POST', '/part-two/links', { form: { _csrf: csrfOf(page.html), groups_involved: '5' } });
    const sent = await t.submit(jar, '/part-two');
    expect(sent).toMatchObject({ status: 303, location: '/part-two/done' });
    expect(await t.count()).toMatchObject({ partTwo: 1, partTwoDrafts: 0, spent: 1 });
    const done = await t.send(jar, 'GET', '/part-two/done');
    expect(done.status).toBe(200);
    expect(titleOf(done.html)).toMatch(/^Thank you: your survey is complete/);
    const csrf = csrfOf(page.html);
    const again = await t.send(jar, 'POST', '/part-two/submit', { form: { _csrf: csrf } });
    expect(again.status).toBe(409);
    expect(titleOf(again.html)).toMatch(/^Part two has already been submitted/);
    expect((await t.send(jar, 'POST', '/part-two/links', { form: { _csrf: csrf, groups_involved: '6' } })).status).toBe(409);
    expect((await t.send(jar, 'GET', '/part-two/check')).status).toBe(409);
    expect(await t.count()).toMatchObject({ partTwo: 1, partTwoDrafts: 0, spent: 1 });
    const rows = await t.stores.anonymous.selectFrom('part_two_response').selectAll().execute();
    expect(rows.map((r) => JSON.parse(r.answers))).toEqual([{ groups_involved: 5 }]);
  });

  it('the same invitation opened again reaches the same part two: it stays submitted, so one link gives one part two', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    await t.submit(jar, '/part-two');
    const again = await t.browser('fife');
    const pass = await t.passToPartTwo(again);
    expect(pass.status).toBe(303);
    expect(again.value(cookies.partTwo)).toBe(jar.value(cookies.partTwo));
    expect(await t.send(again, 'GET', '/part-two')).toMatchObject({ status: 303, location: '/part-two/done' });
    const csrf = csrfToken(t.key, again.value(cookies.partTwo)!.split('.')[1]!);
    expect((await t.send(again, 'POST', '/part-two/submit', { form: { _csrf: csrf } })).status).toBe(409);
    expect(await t.count()).toMatchObject({ partTwo: 1, spent: 1 });
    // The credential is the one derived from the link, and the server stored it only as a hash.
    const credential = deriveCredential(t.key, t.secrets.fife!);
    expect(jar.value(cookies.partTwo)!.split('.')[1]).toBe(credential);
  });
});

describe('a closed wave', () => {
  it('refuses saves and submissions of both parts with a 403 and keeps the drafts', async () => {
    const t = await setup();
    // Angus has a part-one draft; Fife has sent part one and has a part-two draft.
    const angus = await t.browser('angus');
    await t.saveSection(angus, '/survey/part-one', 'about_you', { name: 'Ann Angus', email: 'ann@angus.gov.uk', role: 'cswo' });
    const fife = await intoPartTwo(t);
    const links = await t.send(fife, 'GET', '/part-two/links');
    await t.send(fife, 'POST', '/part-two/links', { form: { _csrf: csrfOf(links.html), groups_involved: '8' } });
    const before = { one: await t.partOneDraft('angus'), two: await t.stores.anonymous.selectFrom('part_two_draft').selectAll().execute() };
    await setWaveStatus(t.stores.identifiable, WAVE_2, 'closed');

    const closedPage = (sent: Sent) => {
      expect(sent.status).toBe(403);
      expect(titleOf(sent.html)).toMatch(/^This survey is closed/);
    };
    closedPage(await t.saveSection(angus, '/survey/part-one', 'about_you', { name: 'Changed', email: 'ann@angus.gov.uk' }));
    closedPage(await t.submit(angus, '/survey/part-one'));
    closedPage(await t.saveSection(fife, '/part-two', 'links', { groups_involved: '9' }));
    closedPage(await t.submit(fife, '/part-two'));

    expect(await t.partOneDraft('angus')).toEqual(before.one);
    expect(await t.stores.anonymous.selectFrom('part_two_draft').selectAll().execute()).toEqual(before.two);
    expect(await t.count()).toMatchObject({ partOne: 1, partTwo: 0, spent: 0 });
    // The saved answers can still be read.
    expect((await t.send(angus, 'GET', '/survey/part-one/about_you')).html).toContain('value="Ann Angus"');
    expect((await t.send(fife, 'GET', '/part-two/links')).html).toContain('value="8"');
  });
});

describe('every response', () => {
  it('an unexpected error is a 500 page without a stack trace, and the log names the route, never a secret', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    await t.stores.identifiable.destroy();
    const sent = await t.send(jar, 'GET', `/i/${t.secrets.angus}`);
    expect(sent.status).toBe(500);
    const page = await t.send(jar, 'GET', '/survey/part-one/about_you');
    expect(page.status).toBe(500);
    expect(titleOf(page.html)).toMatch(/^Sorry, there is a problem with the service/);
    expect(t.logged.length).toBe(2);
    for (const line of t.logged) {
      expect(line).toMatch(/^unexpected error on GET \S+: \w+$/);
      for (const secret of [t.secrets.angus!, t.secrets.fife!, jar.value(cookies.session)!]) expect(line).not.toContain(secret);
      expect(line).not.toMatch(/fife|angus|Fiona|Ann/i);
    }
  });
});
