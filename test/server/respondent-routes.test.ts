import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app/app.js';
import { readConfig } from '../../server/app/config.js';
import { credentialCookie, formatPartTwoCode, partTwoCodeOf } from '../../server/respondent/part-two-credential.js';
import { cookies } from '../../server/respondent/respondent-context.js';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { randomToken, sha256, unmaskToken } from '../../server/security/tokens.js';
import { createSession, findInvitationBySecret, issueInvitation } from '../../server/storage/invitation-store.js';
import { savePartOneDraft } from '../../server/storage/part-one-draft-store.js';
import { replaceRoster, setWaveStatus } from '../../server/storage/roster-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { inPlace } from '../../server/storage/anonymous-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { decodeStoredPartTwo, storeOpener, WAVE_2 } from './helpers.js';
import {
  CookieJar,
  csrfOf,
  errorSummaryTargets,
  formBody,
  formCellsOf,
  idsOf,
  leaveFormOf,
  pageItems,
  randomCells,
  sectionsOf,
  seededRandom,
  stackTrace,
  titleOf,
  pageText,
} from './respondent-helpers.js';

/** A part-two table's rows in both places (anonymous-store.ts): the intake, where the open wave's are, and the archive. */
const passesIn = async (stores: Stores) => [
  ...(await stores.anonymous.selectFrom('part_two_pass').selectAll().execute()),
  ...(await inPlace(stores.anonymous, 'intake').selectFrom('part_two_pass').selectAll().execute()),
];
const answersIn = async (stores: Stores) => [
  ...(await stores.anonymous.selectFrom('part_two_response').selectAll().execute()),
  ...(await inPlace(stores.anonymous, 'intake').selectFrom('part_two_response').selectAll().execute()),
];

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
    partTwo: (await answersIn(stores)).length,
    passes: (await passesIn(stores)).length,
    partTwoDrafts: (await passesIn(stores)).filter((p) => p.answers !== null).length,
    spent: (await passesIn(stores)).filter((p) => Number(p.spent) === 1).length,
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

  return { stores, key, app, secrets, logged, send, browser, count, partOneDraft, saveSection, submit, completePartOne };
};

type Setup = Awaited<ReturnType<typeof setup>>;

/** The markup without Svelte's hydration comments. */
const withoutComments = (html: string) => html.replace(/<!--[^]*?-->/g, '');

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
    // Only the session: the invitation's secret is not kept, and nothing of it leads to part two.
    expect(set.map((c) => c.name)).toEqual([cookies.session]);
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

  it('every problem page and every footer link to the support address, SUPPORT_EMAIL when set', async () => {
    const t = await setup();
    for (const problem of ['not-valid', 'closed', 'too-many']) {
      const shown = await t.send(new CookieJar(), 'GET', `/i/problem/${problem}`);
      // The page's own, the footer's "Contact us" and its "Questions:" line.
      expect(shown.html.match(/href="mailto:admin@socialworkscotland.org"/g), problem).toHaveLength(3);
    }
    // SUPPORT_EMAIL: an address, or the default when unset or blank; anything else stops the start, named.
    expect(readConfig({}).SUPPORT_EMAIL).toBe('admin@socialworkscotland.org');
    expect(readConfig({ SUPPORT_EMAIL: ' ' }).SUPPORT_EMAIL).toBe('admin@socialworkscotland.org');
    expect(readConfig({ SUPPORT_EMAIL: ' cswo-help@example.org ' }).SUPPORT_EMAIL).toBe('cswo-help@example.org');
    expect(() => readConfig({ SUPPORT_EMAIL: 'help desk' })).toThrow('SUPPORT_EMAIL: expected an email address, such as admin@socialworkscotland.org');
    const custom = createApp({ stores: t.stores, key: t.key, supportEmail: readConfig({ SUPPORT_EMAIL: 'cswo-help@example.org' }).SUPPORT_EMAIL });
    const page = withoutComments(await (await custom.request('/i/problem/not-valid')).text());
    expect(page).toContain(
      'To ask Social Work Scotland for a new link, email <a class="ds_link" href="mailto:cswo-help@example.org">cswo-help@example.org</a>.',
    );
    expect(page).toMatch(/Questions:\s*<a class="ds_link" href="mailto:cswo-help@example.org">/);
    expect(page).not.toContain('admin@socialworkscotland.org');
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
    expect(sent).toMatchObject({ status: 303, location: `/i/problem/closed?wave=${WAVE_2}`, setCookies: [] });
    const shown = await t.send(new CookieJar(), 'GET', sent.location!);
    expect(shown.status).toBe(403);
    expect(titleOf(shown.html)).toMatch(/^This survey is closed/);
    expect(withoutComments(shown.html)).toContain('email <a class="ds_link" href="mailto:admin@socialworkscotland.org">admin@socialworkscotland.org</a>.');
    expect(shown.html).not.toContain('closing date');
    // With a closing date, the page gives it.
    await t.stores.identifiable.updateTable('wave').set({ closes: '2031-06-30' }).where('id', '=', WAVE_2).execute();
    expect((await t.send(new CookieJar(), 'GET', sent.location!)).html).toContain(
      'The closing date of Survey 2 (re-issued during COVID-19) (June 2020) is 30 June 2031.',
    );
    // An unknown wave (or none) is no date, not an error.
    for (const path of ['/i/problem/closed?wave=1999-01', '/i/problem/closed?wave=%00']) expect((await t.send(new CookieJar(), 'GET', path)).status).toBe(403);
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
        ['GET', '/survey/part-one/done'],
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
      for (const path of ['/survey/part-one/about_you', '/survey/part-one/submit', '/survey/sign-out']) {
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
    [
      'about_you',
      'blank required name and email',
      { name: '', email: '', role: 'cswo' },
      ['Enter an answer to “Your name”', 'Enter an answer to “Your work email address”'],
    ],
    [
      'about_you',
      'a bad email and an unknown option',
      { name: 'Fiona', email: 'not-an-email', role: 'boss' },
      ['Enter an email address in the correct format', 'Select one of the answers given to “Are you answering as'],
    ],
    ['about_you', 'a name over 200 characters', { name: 'x'.repeat(201), email: 'fiona@fife.gov.uk' }, ['“Your name” must be 200 characters or fewer']],
    ['your_council', 'an unknown option', { urban_rural: 'metropolis', time_in_post: '1_2' }, [/Select one of the answers given to “Which category/]],
    ['qualifications', 'a box posted with a value other than 1', { 'pq_awards.pq1': '1', 'pq_awards.pq2': 'yes' }, [/Which post-qualifying awards/]],
    ['qualifications', 'text over 1000 characters', { pq_awards_other: 'y'.repeat(1001) }, [/must be 1,000 characters or fewer/]],
    [
      'portfolio_section',
      'an unknown matrix column',
      { 'portfolio.children_sw': 'most', location: 'hscp' },
      [/Select one of the answers given to “Children(&#39;|')s social work”/],
    ],
    [
      'contract_section',
      'a number above its maximum',
      { contracted_hours: '61' },
      [/“How many hours a week are you contracted to work\?” must be between 0 and 60 hours a week</],
    ],
    [
      'contract_section',
      'words for a number',
      { contracted_hours: 'lots', contract: 'permanent' },
      [/“How many hours a week are you contracted to work\?” must be a number, like 12 or 7.5</],
    ],
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
    expectErrorPage(sent, ['Enter an answer to “Your name”', 'Enter an answer to “Your work email address”']);
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
    expect(done.html).toContain('href="/part-two"');
    const csrf = csrfToken(t.key, jar.value(cookies.session)!);
    // Sent again from the browser that sent it: nothing changes, and it goes back to its confirmation.
    expect(await t.send(jar, 'POST', '/survey/part-one/submit', { form: { _csrf: csrf } })).toMatchObject({ status: 303, location: '/survey/part-one/done' });
    // From any other browser of the council: refused.
    const other = await t.browser('fife');
    const again = await t.send(other, 'POST', '/survey/part-one/submit', { form: { _csrf: csrfToken(t.key, other.value(cookies.session)!) } });
    expect(again.status).toBe(409);
    expect(titleOf(again.html)).toMatch(/^Part one has already been submitted/);
    expect((await t.send(jar, 'GET', '/survey/part-one/check')).status).toBe(409);
    expect((await t.send(jar, 'GET', '/survey/part-one/about_you')).status).toBe(409);
    expect((await t.send(jar, 'POST', '/survey/part-one/about_you', { form: { _csrf: csrf, name: 'Changed', email: 'c@fife.gov.uk' } })).status).toBe(409);
    expect(await t.send(jar, 'GET', '/survey/part-one')).toMatchObject({ status: 303, location: '/survey/part-one/done' });
    expect(await t.count()).toMatchObject({ partOne: 1, partOneDrafts: 0 });
    // The start page now offers part two, and says so instead of asking for part one first.
    const start = await t.send(jar, 'GET', '/survey');
    expect(start.html).toContain('href="/part-two"');
    expect(start.html).not.toContain('once part one is submitted');
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

  it('"Leave the survey" from a part-one page ends the session and clears the session, pending-code and part-two cookies', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    expect(jar.names().sort()).toEqual([cookies.pending, cookies.partTwo, cookies.session].sort());
    const stolen = jar.value(cookies.session)!;
    const leave = leaveFormOf((await t.send(jar, 'GET', '/survey')).html);
    expect(leave?.action).toBe('/survey/sign-out');
    expect(unmaskToken(leave!.csrf)).toBe(unmaskToken(csrfToken(t.key, stolen)));
    const sent = await t.send(jar, 'POST', leave!.action, { form: { _csrf: leave!.csrf } });
    expect(sent.status).toBe(200);
    expect(titleOf(sent.html)).toMatch(/^You have left the survey/);
    expect(sent.html).toContain('Part one: open the link in your invitation email again');
    expect(sent.html).toContain('/part-two/resume');
    // The page it lands on offers no way to leave again: there is nothing left to leave.
    expect(leaveFormOf(sent.html)).toBeUndefined();
    expect(jar.names()).toEqual([]);
    // The session is over on the server too, whoever still holds its token.
    const other = new CookieJar();
    other.set(cookies.session, stolen, '/survey');
    expect((await t.send(other, 'GET', '/survey')).status).toBe(401);
  });
});

/** Every row of every table of both stores, to show that a request wrote nothing. */
const everyRow = async (stores: Stores) => {
  const rows: Record<string, unknown[]> = {};
  for (const [name, db] of [
    ['identifiable', stores.identifiable],
    ['anonymous', stores.anonymous],
  ] as const) {
    for (const table of await (db as typeof stores.identifiable).introspection.getTables()) {
      rows[`${name}.${table.name}`] = await (db as typeof stores.identifiable)
        .selectFrom(table.name as 'wave')
        .selectAll()
        .execute();
    }
  }
  return JSON.stringify(rows);
};

describe('"Leave the survey": in the header of every respondent page, without JavaScript', () => {
  it('every page of both parts and the resume pages carry the form, posting to its own side with that side’s token', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    const session = unmaskToken(csrfToken(t.key, jar.value(cookies.session)!));
    const pass = unmaskToken(csrfToken(t.key, codeOf(jar)!));
    // Each form's value is masked afresh: compared by the token it carries.
    const unmasked = (form: { action: string; csrf: string } | undefined) => form && { ...form, csrf: unmaskToken(form.csrf) };
    for (const path of ['/survey', `/survey/part-one/done`])
      expect(unmasked(leaveFormOf((await t.send(jar, 'GET', path)).html)), path).toEqual({ action: '/survey/sign-out', csrf: session });
    for (const path of [`/part-two/${partTwoSections[0]!.id}`, '/part-two/check', '/part-two/resume']) {
      expect(unmasked(leaveFormOf((await t.send(jar, 'GET', path)).html)), path).toEqual({ action: '/part-two/leave', csrf: pass });
    }
    const fresh = await t.browser('angus');
    const section = await t.send(fresh, 'GET', `/survey/part-one/${partOneSections[0]!.id}`);
    expect(leaveFormOf(section.html)?.action).toBe('/survey/sign-out');
    // Without a pass (the resume page, the page asking for the code) the form has a signed double submit.
    for (const path of ['/part-two/resume', '/part-two']) {
      const page = await t.send(new CookieJar(), 'GET', path);
      expect(leaveFormOf(page.html)?.action, path).toBe('/part-two/leave');
      expect(
        page.setCookies.some((c) => c.startsWith(`${cookies.leaveForm}=`) && /Path=\/part-two\/leave/.test(c)),
        path,
      ).toBe(true);
    }
  });

  it('from part two: removes every survey cookie at once, shows the code to come back with, and writes nothing anywhere', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    const code = codeOf(jar)!;
    const page = await t.send(jar, 'GET', `/part-two/${partTwoSections[0]!.id}`);
    const before = await everyRow(t.stores);
    const leave = leaveFormOf(page.html)!;
    const sent = await t.send(jar, 'POST', leave.action, { form: { _csrf: leave.csrf } });
    expect(sent.status).toBe(200);
    expect(titleOf(sent.html)).toMatch(/^You have left the survey/);
    expect(sent.html).toContain(formatPartTwoCode(code));
    expect(sent.html).toContain('Part one: open the link in your invitation email again');
    // The part-one cookies are removed on their own paths although the request did not carry them.
    for (const [name, path] of [
      [cookies.session, '/survey'],
      [cookies.pending, '/survey/part-one'],
      [cookies.partTwo, '/part-two'],
    ] as const) {
      expect(
        sent.setCookies.some((c) => c.startsWith(`${name}=;`) && c.includes(`Path=${path}`) && /Max-Age=0/.test(c)),
        name,
      ).toBe(true);
    }
    expect(jar.names()).toEqual([]);
    // Nothing was written: not the session's end (this side does not know it), not a trace of part two.
    expect(await everyRow(t.stores)).toBe(before);
    expect((await t.send(jar, 'GET', '/part-two')).status).toBe(401);
    expect((await t.send(jar, 'GET', '/survey')).status).toBe(401);
    // The code still opens part two.
    const back = await t.send(jar, 'GET', `/part-two/resume/${code}`);
    expect(back).toMatchObject({ status: 303, location: '/part-two' });
  });

  it('from part two once it is sent: the code is not shown again', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    const code = codeOf(jar)!;
    expect((await t.submit(jar, '/part-two')).status).toBe(303);
    const leave = leaveFormOf((await t.send(jar, 'GET', '/part-two/done')).html)!;
    const sent = await t.send(jar, 'POST', leave.action, { form: { _csrf: leave.csrf } });
    expect(sent.status).toBe(200);
    expect(sent.html).not.toContain(formatPartTwoCode(code));
    expect(jar.names()).toEqual([]);
  });

  it('from a resume page without a pass: the double submit is needed; a forged or cross-site leave is a 403 that removes nothing', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    const page = await t.send(jar, 'GET', '/part-two/resume');
    let leave = leaveFormOf(page.html)!;
    for (const forged of [{}, { _csrf: 'forged' }, 'cross-site'] as (Record<string, string> | 'cross-site')[]) {
      const refused =
        forged === 'cross-site'
          ? await t.send(jar, 'POST', '/part-two/leave', { form: { _csrf: leave.csrf }, headers: { origin: 'https://elsewhere.example' } })
          : await t.send(jar, 'POST', '/part-two/leave', { form: forged });
      expect(refused.status).toBe(403);
      expect(refused.setCookies.filter((c) => c.startsWith(`${cookies.session}=`))).toEqual([]);
      // The refusal page has a fresh form of its own (with a new double submit).
      leave = leaveFormOf(refused.html)!;
    }
    expect(jar.value(cookies.session)).toBeDefined();
    const sent = await t.send(jar, 'POST', '/part-two/leave', { form: { _csrf: leave.csrf } });
    expect(sent.status).toBe(200);
    expect(jar.names()).toEqual([]);
    // A part-one page's token does not sign part two's leave, nor the other way round.
    const other = await intoPartTwo(t, 'angus', 2);
    const surveyToken = csrfToken(t.key, other.value(cookies.session)!);
    expect((await t.send(other, 'POST', '/part-two/leave', { form: { _csrf: surveyToken } })).status).toBe(403);
    expect((await t.send(other, 'POST', '/survey/sign-out', { form: { _csrf: csrfToken(t.key, codeOf(other)!) } })).status).toBe(403);
  });
});

/** The code of the part-two cookie (`wave.CODE.tag`). */
const codeOf = (jar: CookieJar) => jar.value(cookies.partTwo)?.split('.')[1];

describe('the part-two pass: issued to the browser that sends part one, and to nobody else', () => {
  it('submitting part one sets the part-two cookie (Path=/part-two, HttpOnly, Secure, SameSite=Strict) holding a code that nothing stores, and leaves the anonymous store untouched', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    expect(await t.count()).toMatchObject({ passes: 0 });
    const random = seededRandom(1);
    for (const section of partOneSections) {
      const cells = randomCells(pageItems(section), random);
      if (section.id === 'about_you') Object.assign(cells, { name: 'Fiona Fife', email: 'fiona@fife.gov.uk' });
      await t.saveSection(jar, '/survey/part-one', section.id, cells);
    }
    const sent = await t.submit(jar, '/survey/part-one');
    expect(sent).toMatchObject({ status: 303, location: '/survey/part-one/done' });
    const set = new CookieJar().store(sent.setCookies, '/survey/part-one/submit').find((c) => c.name === cookies.partTwo)!;
    expect(set.path).toBe('/part-two');
    expect(set.attributes.has('httponly')).toBe(true);
    expect(set.attributes.has('secure')).toBe(true);
    expect(set.attributes.get('samesite')).toBe('Strict');
    const code = codeOf(jar)!;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{25}$/);
    const cookie = jar.value(cookies.partTwo)!;
    expect(cookie).toMatch(/^2020-06\.[0-9A-Z]{25}\.[A-Za-z0-9_-]{43}$/);
    expect(cookie).not.toContain(t.secrets.fife);
    expect(cookie).not.toContain(jar.value(cookies.session));
    // Requests to part two carry only the part-two cookie.
    expect(jar.header('/part-two/workload')).toBe(`${cookies.partTwo}=${cookie}`);
    // Issuing it wrote nothing anonymous: the moment part one was sent leaves no trace there.
    expect(await t.count()).toMatchObject({ passes: 0 });
    // Part one holds the receipt of the browser's nonce, which is neither the code nor its hash.
    const [row] = await t.stores.identifiable.selectFrom('part_one_response').select('part_two_receipt').execute();
    expect(row!.part_two_receipt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Neither the code nor its hash is anywhere in the identifiable store.
    const everything = JSON.stringify(
      await Promise.all(
        (await t.stores.identifiable.introspection.getTables()).map((table) =>
          t.stores.identifiable
            .selectFrom(table.name as never)
            .selectAll()
            .execute(),
        ),
      ),
    );
    expect(everything).toContain('Fiona Fife');
    expect(everything).not.toContain(code);
    expect(everything).not.toContain(sha256(code).slice(0, 16));
  });

  it('a random code each time: two councils get unrelated codes, neither derived from its invitation', async () => {
    const t = await setup();
    const fife = await intoPartTwo(t, 'fife');
    const angus = await intoPartTwo(t, 'angus');
    expect(codeOf(fife)).not.toBe(codeOf(angus));
    // The first save of part two writes the pass, under the code's hash.
    const links = await t.send(fife, 'GET', '/part-two/links');
    await t.send(fife, 'POST', '/part-two/links', { form: { _csrf: csrfOf(links.html), groups_involved: '2' } });
    const passes = await passesIn(t.stores);
    expect(passes).toEqual([{ credential_hash: sha256(codeOf(fife)!), wave_id: WAVE_2, spent: 0, section: 'leaders', answers: '{"groups_involved":2}' }]);
  });

  it("part one's confirmation and every part-two page show the code and the private link", async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    await t.completePartOne(jar);
    const code = codeOf(jar)!;
    const grouped = formatPartTwoCode(code);
    expect(grouped).toMatch(/^([0-9A-Z]{5}-){4}[0-9A-Z]{5}$/);
    const done = await t.send(jar, 'GET', '/survey/part-one/done');
    expect(done.html).toContain(grouped);
    expect(done.html).toContain(`http://localhost/part-two/resume/${code}`);
    for (const path of ['/part-two/workload', '/part-two/reflections', '/part-two/check']) {
      const page = await t.send(jar, 'GET', path);
      expect(page.status, path).toBe(200);
      expect(page.html, path).toContain(grouped);
      expect(page.html, path).toContain(`/part-two/resume/${code}`);
    }
  });

  it('a submit whose answer was lost, sent again from the same browser, gives its pass back; another browser of the council gets a 409 and no pass', async () => {
    const t = await setup();
    const other = await t.browser('fife');
    const otherCheck = await t.send(other, 'GET', '/survey/part-one/check');
    const jar = await t.browser('fife');
    await t.completePartOne(jar);
    const code = codeOf(jar)!;
    // As if the 303 never arrived: the browser has its pending code but not the part-two cookie.
    jar.delete(cookies.partTwo);
    const again = await t.send(jar, 'POST', '/survey/part-one/submit', { form: { _csrf: csrfToken(t.key, jar.value(cookies.session)!) } });
    expect(again).toMatchObject({ status: 303, location: '/survey/part-one/done' });
    expect(codeOf(jar)).toBe(code);
    jar.delete(cookies.partTwo);
    // Or it reloads the confirmation.
    expect((await t.send(jar, 'GET', '/survey/part-one/done')).html).toContain(formatPartTwoCode(code));
    expect(codeOf(jar)).toBe(code);
    const late = await t.send(other, 'POST', '/survey/part-one/submit', { form: { _csrf: csrfOf(otherCheck.html) } });
    expect(late.status).toBe(409);
    expect(late.setCookies.some((c) => c.startsWith(`${cookies.partTwo}=`))).toBe(false);
    expect((await t.send(other, 'GET', '/survey/part-one/done')).html).not.toContain('/part-two/resume/');
    expect(await t.count()).toMatchObject({ partOne: 1 });
  });

  it('two browsers of one council sending part one at once: one part one, one pass, and only its browser can reach part two', async () => {
    const t = await setup();
    const a = await t.browser('fife');
    const b = await t.browser('fife');
    const random = seededRandom(3);
    for (const section of partOneSections) {
      const cells = randomCells(pageItems(section), random);
      if (section.id === 'about_you') Object.assign(cells, { name: 'Fiona Fife', email: 'fiona@fife.gov.uk' });
      await t.saveSection(a, '/survey/part-one', section.id, cells);
    }
    const [checkA, checkB] = [await t.send(a, 'GET', '/survey/part-one/check'), await t.send(b, 'GET', '/survey/part-one/check')];
    const sent = await Promise.all([
      t.send(a, 'POST', '/survey/part-one/submit', { form: { _csrf: csrfOf(checkA.html) } }),
      t.send(b, 'POST', '/survey/part-one/submit', { form: { _csrf: csrfOf(checkB.html) } }),
    ]);
    expect(sent.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(await t.count()).toMatchObject({ partOne: 1 });
    const [winner, loser] = sent[0]!.status === 303 ? [a, b] : [b, a];
    expect((await t.send(winner, 'GET', '/part-two')).status).toBe(303);
    expect((await t.send(loser, 'GET', '/part-two')).status).toBe(401);
    expect((await t.send(loser, 'GET', '/survey/part-one/done')).html).not.toContain('/part-two/resume/');
  });
});

/**
 * Whoever holds the invitation link (the administrator who issued it, anyone with the mailbox), in a
 * fresh browser, after part one is sent: everything they can reach must be the same whether the council's
 * part two is untouched, half saved or submitted.
 */
describe('the invitation link after part one: the same whatever became of part two', () => {
  /** Every page and redirect a fresh browser reaches from the link, following every way on. */
  const walk = async (t: Setup, council: string) => {
    const jar = await t.browser(council);
    const seen: string[] = [];
    const visit = async (method: 'GET' | 'POST', path: string, form?: Record<string, string>) => {
      const sent = await t.send(jar, method, path, form ? { form } : {});
      seen.push(`${method} ${path} -> ${sent.status} ${sent.location ?? ''} ${sent.setCookies.map((c) => c.split('=')[0]).join(',')}\n${sent.html}`);
      return sent;
    };
    const csrf = csrfToken(t.key, jar.value(cookies.session)!);
    const start = await visit('GET', '/survey');
    for (const [, href] of start.html.matchAll(/href="(\/[^"#]*)"/g)) if (!href!.startsWith('/assets/')) await visit('GET', href!);
    for (const path of [
      '/survey/part-one',
      '/survey/part-one/check',
      '/survey/part-one/done',
      '/survey/part-one/about_you',
      '/part-two',
      '/part-two/workload',
      '/part-two/check',
      '/part-two/done',
      '/part-two/resume',
    ]) {
      await visit('GET', path);
    }
    await visit('POST', '/survey/part-one/submit', { _csrf: csrf });
    await visit('POST', '/survey/part-one/about_you', { _csrf: csrf, name: 'Mallory' });
    await visit('POST', '/part-two/submit', { _csrf: 'x' });
    expect(jar.value(cookies.partTwo), `${council}: the link gave a part-two cookie`).toBeUndefined();
    return seen.join('\n\n');
  };

  it('three councils, part two untouched, half saved and submitted: the link holder sees the same pages, up to the council’s name', async () => {
    const t = await setup();
    const fife = await intoPartTwo(t, 'fife', 1);
    const half = await intoPartTwo(t, 'angus', 2);
    const links = await t.send(half, 'GET', '/part-two/links');
    expect((await t.send(half, 'POST', '/part-two/links', { form: { _csrf: csrfOf(links.html), groups_involved: '4' } })).status).toBe(303);
    const submitted = await intoPartTwo(t, 'glasgow_city', 3);
    expect((await t.submit(submitted, '/part-two')).status).toBe(303);
    expect(await t.count()).toMatchObject({ passes: 2, partTwoDrafts: 1, spent: 1, partTwo: 1 });

    const names: Record<string, string[]> = { fife: ['Fife', 'fife'], angus: ['Angus', 'angus'], glasgow_city: ['Glasgow City', 'glasgow_city'] };
    const neutral = (council: string, text: string) =>
      names[council]!.reduce((out, name) => out.replaceAll(name, 'COUNCIL'), text)
        // Per-request values: the resume form's double-submit token.
        .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="TOKEN"');
    const seen = await Promise.all(Object.keys(names).map(async (council) => neutral(council, await walk(t, council))));
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
    // The control: the same walk from the browsers that hold the passes tells the three states apart.
    const holders = await Promise.all(
      [fife, half, submitted].map(async (jar, i) => {
        const pages = await Promise.all(['/part-two', '/part-two/links', '/part-two/done'].map((path) => t.send(jar, 'GET', path)));
        return neutral(Object.keys(names)[i]!, pages.map((p) => `${p.status} ${p.location} ${titleOf(p.html)}`).join('\n'));
      }),
    );
    expect(new Set(holders).size).toBe(3);
    // The walk did reach the pages it should: part one's confirmation and part two's refusal.
    expect(seen[0]).toContain('Part one has been submitted');
    expect(seen[0]).toContain('GET /part-two -> 401');
    expect(seen[0]).not.toMatch(/Thank you: your survey is complete|Part two has already been submitted/);
  });
});

/** A browser that has sent part one and holds its part-two cookie. */
const intoPartTwo = async (t: Setup, council = 'fife', seed = 1) => {
  const jar = await t.browser(council);
  await t.completePartOne(jar, seed);
  expect(codeOf(jar), `${council}: no part-two cookie after part one`).toBeDefined();
  return jar;
};

describe('/part-two/resume: the private code, typed or as a link', () => {
  /** A draft saved in one browser; returns its code. */
  const savedDraft = async (t: Setup) => {
    const jar = await intoPartTwo(t);
    const links = await t.send(jar, 'GET', '/part-two/links');
    await t.send(jar, 'POST', '/part-two/links', { form: { _csrf: csrfOf(links.html), groups_involved: '7' } });
    return codeOf(jar)!;
  };

  it('typed on another device (any case, spaces or hyphens, O for 0), opens the same part two with its draft', async () => {
    const t = await setup();
    const code = await savedDraft(t);
    const typed = formatPartTwoCode(code).toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    const device = new CookieJar();
    const form = await t.send(device, 'GET', '/part-two/resume');
    expect(form.status).toBe(200);
    expect(titleOf(form.html)).toMatch(/^Continue part two/);
    const sent = await t.send(device, 'POST', '/part-two/resume', { form: { _csrf: csrfOf(form.html), code: ` ${typed} ` } });
    expect(sent).toMatchObject({ status: 303, location: '/part-two' });
    expect(codeOf(device)).toBe(code);
    expect((await t.send(device, 'GET', '/part-two/links')).html).toContain('value="7"');
  });

  it('the private link opens it too, and leaves for an address without the code', async () => {
    const t = await setup();
    const code = await savedDraft(t);
    const device = new CookieJar();
    const sent = await t.send(device, 'GET', `/part-two/resume/${code}`);
    expect(sent).toMatchObject({ status: 303, location: '/part-two' });
    expect(codeOf(device)).toBe(code);
    const wrong = await t.send(new CookieJar(), 'GET', `/part-two/resume/${partTwoCodeOf(randomBytes(32), WAVE_2, randomToken())}`);
    expect(wrong).toMatchObject({ status: 303, location: '/part-two/resume?link=not-valid', setCookies: [] });
    const shown = await t.send(new CookieJar(), 'GET', wrong.location!);
    expect(shown.status).toBe(404);
    expect(titleOf(shown.html)).toMatch(/^Error: Continue part two/);
    expect(shown.html).toContain('copied only in part');
    for (const bad of ['x', code.slice(1), `${code}A`, '%25', 'I'.repeat(25)]) {
      expect((await t.send(new CookieJar(), 'GET', `/part-two/resume/${bad}`)).location, bad).toBe('/part-two/resume?link=not-valid');
    }
  });

  it.each([
    ['blank', '', 'Enter your part-two code'],
    ['not a code', 'my council', 'Enter the code as you were shown it'],
    ['one character short', 'ABCDE-FGHJK-MNPQR-STVWX-YZ01', 'Enter the code as you were shown it'],
    ['a code that opens nothing', 'ABCDE-FGHJK-MNPQR-STVWX-YZ012', 'There is no part two with this code'],
  ])('a %s code is a 400 with an error summary and sets no cookie', async (_what, code, message) => {
    const t = await setup();
    await savedDraft(t);
    const device = new CookieJar();
    const form = await t.send(device, 'GET', '/part-two/resume');
    const sent = await t.send(device, 'POST', '/part-two/resume', { form: { _csrf: csrfOf(form.html), code } });
    expectErrorPage(sent, [message]);
    expect(errorSummaryTargets(sent.html)).toEqual(['code']);
    expect(codeOf(device)).toBeUndefined();
  });

  it('refuses a POST without the form’s own token or from another site, setting no cookie', async () => {
    const t = await setup();
    const code = await savedDraft(t);
    const device = new CookieJar();
    const form = await t.send(device, 'GET', '/part-two/resume');
    for (const [body, headers] of [
      [{ code }, {}],
      [{ _csrf: randomToken(), code }, {}],
      [{ _csrf: csrfOf(form.html), code }, { origin: 'https://evil.example' }],
    ] as [Record<string, string>, Record<string, string>][]) {
      const sent = await t.send(device, 'POST', '/part-two/resume', { form: body, headers });
      expect(sent.status).toBe(403);
      expect(codeOf(device)).toBeUndefined();
    }
    expect((await t.send(new CookieJar(), 'POST', '/part-two/resume', { form: { _csrf: csrfOf(form.html), code } })).status).toBe(403);
  });
});

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
      // Issued by this server's key, but for a code that opens no pass: a cookie alone is not enough.
      credentialCookie(t.key, WAVE_2, partTwoCodeOf(randomBytes(32), WAVE_2, randomToken())),
      credentialCookie(t.key, '2020-01', credential),
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
        expect(titleOf(sent.html)).toMatch(/^Continue part two with your code/);
      }
    }
    expect(await t.count()).toMatchObject({ partTwo: 0, partTwoDrafts: 0 });
  });

  it('refuses POSTs without the part-two CSRF token (a part-one token will not do) or from another Origin', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    const page = await t.send(jar, 'GET', '/part-two/links');
    const good = csrfOf(page.html);
    expect(unmaskToken(good)).toBe(unmaskToken(csrfToken(t.key, jar.value(cookies.partTwo)!.split('.')[1]!)));
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
    const draft = (await passesIn(t.stores))[0]!;
    expect(draft.credential_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(draft.credential_hash).toBe(sha256(codeOf(jar)!));
    expect(JSON.parse(draft.answers!).groups_involved).toBe(17);
  });

  const invalid: [string, string, Record<string, string>, (string | RegExp)[]][] = [
    [
      'links',
      'a negative number and words for a number',
      { groups_involved: '-1', groups_chaired: 'two' },
      [
        /“How many groups, boards and committees do you attend regularly\?” must be 0 groups or more</,
        /“How many of those do you chair\?” must be a number, like 12</,
      ],
    ],
    [
      'links',
      'a fraction for a whole number and an unknown option',
      { groups_involved: '2.5', admin_support: 'butler' },
      [/must be a whole number</, /Select one of the answers given to “What administrative support do you have\?”</],
    ],
    ['pressures', 'a rating off the scale', { 'pressure.children': '9', 'pressure.adults': '3' }, [/Select a rating from 1 to 5 for “/]],
    [
      'workload',
      'matrix numbers out of bounds',
      { 'time_share.children': 'half', 'time_share.adults': '101' },
      [/must be a number, like 12 or 7.5</, /must be between 0 and 100%</],
    ],
    [
      'leaders',
      'an unknown option and an unknown matrix column',
      { senior_team_member: 'perhaps', 'direct_access.chief_executive': 'sometimes' },
      [/Select one of the answers given to “Are you a member/],
    ],
    ['covid', 'text over 10,000 characters', { covid_reflections: 'c'.repeat(10_001) }, [/must be 10,000 characters or fewer/]],
    [
      'support_networks',
      'an unknown matrix column and a rating off the scale',
      { 'support.mentoring': 'often', peer_support_likelihood: '0' },
      [/Select one of the answers given to “Mentoring/],
    ],
    ['reflections', 'text over 10,000 characters', { final_reflections: 'r'.repeat(10_001) }, [/must be 10,000 characters or fewer/]],
    [
      'learning',
      'a box posted with a value other than 1',
      { 'resources.service_users': '1', 'resources.solace': 'maybe' },
      [/In the last year, which supports/],
    ],
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
    const rows = await answersIn(t.stores);
    // Kept by position (survey-definitions/stored-answers.ts), with no item ids.
    expect(rows.map((r) => r.answers)).toEqual([expect.stringMatching(/^\[(null,)*5\]$/)]);
    expect(rows.map((r) => decodeStoredPartTwo(r.wave_id, r.answers))).toEqual([{ groups_involved: 5 }]);
  });

  it('the code reaches the same part two on another device: it stays submitted, so one pass gives one part two', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    await t.submit(jar, '/part-two');
    const device = new CookieJar();
    expect(await t.send(device, 'GET', `/part-two/resume/${codeOf(jar)}`)).toMatchObject({ status: 303, location: '/part-two' });
    expect(await t.send(device, 'GET', '/part-two')).toMatchObject({ status: 303, location: '/part-two/done' });
    const csrf = csrfToken(t.key, codeOf(device)!);
    expect((await t.send(device, 'POST', '/part-two/submit', { form: { _csrf: csrf } })).status).toBe(409);
    expect(await t.count()).toMatchObject({ partTwo: 1, spent: 1, passes: 1 });
  });
});

describe('the start page, the closing date and the comment boxes', () => {
  const text = pageText;

  it('the start page says what is done and what is next in each state of part one, and never what became of part two', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    const start = async () => text((await t.send(jar, 'GET', '/survey')).html);
    const before = await start();
    expect(before).toContain('Status: not started');
    expect(before).toContain('Opens once you send part one');
    expect(before).toMatch(/Start part one/);
    expect(before).toContain('If you have a question about the survey or a problem with these pages, email admin@socialworkscotland.org');

    expect((await t.saveSection(jar, '/survey/part-one', partOneSections[0]!.id, { name: 'Fiona Fife', email: 'fiona@fife.gov.uk' })).status).toBe(303);
    const saved = await start();
    expect(saved).toContain('Status: in progress');
    expect(saved).toContain('Continue part one');
    expect(saved).toContain('Opens once you send part one');

    await t.completePartOne(jar);
    const sent = await start();
    expect(sent).toContain('Status: submitted');
    expect(sent).toContain('Go to part two');
    expect(sent).toContain('this page cannot show whether you have started or sent it');
    expect(sent).not.toMatch(/Opens once you send part one|You can start part two once/);
    // Part two sent: the page is word for word what it was (the session side knows nothing of part two).
    expect((await t.submit(jar, '/part-two')).status).toBe(303);
    expect(await start()).toBe(sent);
    expect(sent).not.toMatch(/part two (has been|was) (sent|submitted)|survey is complete/i);
    // Closed to answers (a session opened before still reaches the page): said first, and no button
    // leads to a refusal, whether part one was sent or not started.
    const other = await t.browser('angus');
    expect(text((await t.send(other, 'GET', '/survey')).html)).toMatch(/Start part one/);
    await setWaveStatus(t.stores.identifiable, WAVE_2, 'closed');
    for (const closed of [await start(), text((await t.send(other, 'GET', '/survey')).html)]) {
      expect(closed).toContain('The survey is closed: it no longer takes answers.');
      expect(closed).not.toMatch(/Go to part two|Start part one|Continue part one/);
    }
  });

  it('the closing date, when the wave has one, is on the start page and every page of both parts', async () => {
    const t = await setup();
    const jar = await t.browser('fife');
    expect((await t.send(jar, 'GET', '/survey')).html).not.toContain('The survey closes on');
    await t.stores.identifiable.updateTable('wave').set({ closes: '2031-06-30' }).where('id', '=', WAVE_2).execute();
    const closes = 'The survey closes on <strong>30 June 2031</strong>.';
    for (const path of ['/survey', `/survey/part-one/${partOneSections[0]!.id}`, '/survey/part-one/check'])
      expect((await t.send(jar, 'GET', path)).html, path).toContain(closes);
    await t.completePartOne(jar);
    for (const path of [...partTwoSections.map((p) => `/part-two/${p.id}`), '/part-two/check'])
      expect((await t.send(jar, 'GET', path)).html, path).toContain(closes);
  });

  it('every comment box of part two asks not to name anyone, once; part one’s boxes do not', async () => {
    const t = await setup();
    const jar = await intoPartTwo(t);
    const hint = 'Do not name yourself, colleagues or your council.';
    const textItems = partTwoSections.flatMap((section) => section.items.filter((i) => i.kind === 'text').map((item) => ({ section, item })));
    expect(textItems.length).toBeGreaterThanOrEqual(3);
    // The control: the published definition leaves the hint out of at least one of them.
    expect(textItems.some(({ item }) => !item.help?.includes(hint))).toBe(true);
    for (const { section, item } of textItems) {
      const html = (await t.send(jar, 'GET', `/part-two/${section.id}`)).html;
      const shown = new RegExp(`<p class="ds_hint-text" id="f-${item.id}-hint">([^<]*)</p>`).exec(html)?.[1];
      expect(shown, item.id).toBeDefined();
      expect(shown!.split(hint).length - 1, item.id).toBe(1);
      expect(html, item.id).toMatch(new RegExp(`id="f-${item.id}"[^>]*aria-describedby="f-${item.id}-hint`));
    }
    const partOneText = partOneSections.flatMap((section) => section.items.filter((i) => i.kind === 'text').map(() => section.id));
    const fresh = await t.browser('angus');
    for (const section of new Set(partOneText)) expect((await t.send(fresh, 'GET', `/survey/part-one/${section}`)).html).not.toContain(hint);
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
    const before = { one: await t.partOneDraft('angus'), two: await passesIn(t.stores) };
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
    expect(await passesIn(t.stores)).toEqual(before.two);
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
