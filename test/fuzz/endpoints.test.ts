import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { csvLayout } from '../../survey-definitions/answer-cells.js';
import { randomToken } from '../../server/security/tokens.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from '../server/helpers.js';
import { definitionOfWave2, stackTrace, titleOf } from '../server/respondent-helpers.js';
import { socketEnv } from '../server/staff-web-helpers.js';
import { fuzzHarness, openersOf, principals, type Endpoint, type Principal } from './endpoint-harness.js';
import { announceSeed, fuzzParameters, fuzzTimeout, hostileText } from './fuzz-settings.js';
import { explainsRefusal } from './refusal-check.js';

/**
 * Every endpoint of the app under fuzzing (issue 6): hostile path parameters, queries, form fields
 * (known names with hostile values, and unknown names), raw bodies of any content type, multipart
 * uploads, oversized bodies; sent by the user the route is for (with a valid CSRF token, so the
 * request reaches the handler) or by anyone else. Whatever arrives: never a 5xx, never a logged
 * error, never a stack trace, a refusal explains itself, and a refusal writes nothing.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);
announceSeed('endpoint fuzz');

/** Valid values for each path parameter, so hostile requests also reach real records. */
const examples: Record<string, readonly string[]> = {
  id: ['cswo-annual'],
  version: ['2', '1'],
  name: ['survey.css', 'enhance.js'],
  problem: ['not-valid', 'closed', 'too-many'],
  secret: [randomToken()],
  section: ['about_you', 'contract_section', 'workload', 'reflections'],
  wave: ['2020-06', '2020-01'],
  user: ['no-such-account'],
  table: ['pressure', 'time_share'],
  format: ['csv', 'svg', 'png'],
  code: ['K7Q2M9XW4TAB3CDEF6GHJK8MN', 'k7q2m-9xw4t-ab3cd-ef6gh-jk8mn'],
};

const paramValue = (name: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(examples[name] ?? ['x'])) },
    { weight: 2, arbitrary: hostileText.map((v) => encodeURIComponent(v.slice(0, 2000).replace(/[\uD800-\uDFFF]/gu, '\uFFFD'))) },
    fc.constantFrom('%', '%zz', '..', '%2e%2e', '%2F', '%00', '%C0%AF', '%FF', '-', '~'),
  );

/** Form field names the app's forms and pages use, and the survey's answer columns. */
const fieldNames = [
  ...new Set([
    ...[
      'action',
      'compare',
      'confirm',
      'council',
      'decision',
      'definition',
      'delivery',
      'email',
      'item',
      'password',
      'password2',
      'role',
      'roster',
      'version',
      'view',
    ],
    ...['id', 'name', 'fielded', 'fingerprint', 'page', 'wave', 'user', 'ended', 'done', 'file', 'code', 'link'],
    ...csvLayout(definitionOfWave2, 'identifiable').header,
    ...csvLayout(definitionOfWave2, 'anonymous').header,
  ]),
];
const fieldName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...fieldNames) },
  hostileText.map((s) => s.slice(0, 100)),
);
const fields = fc.array(fc.tuple(fieldName, hostileText), { maxLength: 12 });

type Body =
  | { kind: 'none' }
  | { kind: 'form'; fields: [string, string][] }
  | { kind: 'raw'; contentType: string; text: string }
  | { kind: 'multipart'; fields: [string, string][]; fileField: string; file: string };

const body: fc.Arbitrary<Body> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  { weight: 4, arbitrary: fields.map((f) => ({ kind: 'form' as const, fields: f })) },
  fc.record({
    kind: fc.constant('raw' as const),
    contentType: fc.oneof(
      fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'multipart/form-data; boundary=x',
        'application/xml',
        '',
      ),
      hostileText.map((s) => s.slice(0, 200).replace(/[^\t\x20-\x7e]/g, '')),
    ),
    text: fc.oneof(
      hostileText,
      fc.json(),
      fc.constantFrom('--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n', '{"__proto__":{"admin":true}}', 'a=1&a=2&a[]=3&a[b]=4'),
    ),
  }),
  fc.record({ kind: fc.constant('multipart' as const), fields, fileField: fc.oneof(fc.constantFrom('roster', 'file'), fieldName), file: hostileText }),
);

interface FuzzRequest {
  readonly entry: Endpoint;
  readonly params: readonly string[];
  readonly query: readonly [string, string][];
  /** undefined: a user the route is for. */
  readonly who: Principal | undefined;
  readonly withCsrf: boolean;
  readonly body: Body;
  /** The client's address, as the socket would report it (per-address limits count it). */
  readonly address: string;
}

/** A hostile request to one of the app's endpoints (as `routeAccessOf` reads them from the app). */
const fuzzRequestOf = (endpoints: readonly Endpoint[]): fc.Arbitrary<FuzzRequest> =>
  fc.constantFrom(...endpoints).chain((entry) => {
    const names = [...entry.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
    return fc.record({
      entry: fc.constant(entry),
      params: names.length === 0 ? fc.constant([]) : fc.tuple(...names.map(paramValue)),
      query: fc.array(
        fc.tuple(
          fieldName,
          hostileText.map((s) => s.slice(0, 2000)),
        ),
        { maxLength: 3 },
      ),
      who: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.constantFrom(...principals)),
      withCsrf: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      body: entry.method === 'POST' ? body : fc.constant({ kind: 'none' as const }),
      address: fc.oneof(fc.ipV4(), fc.ipV6()),
    });
  });

const pathOf = (r: FuzzRequest) => {
  let i = 0;
  const path = r.entry.path.replace(/:([A-Za-z_]+)(\{[^}]*\})?\??/g, () => r.params[i++]!);
  const query = r.query.length ? `?${new URLSearchParams(r.query.map(([k, v]) => [k, v])).toString()}` : '';
  return path + query;
};

describe('fuzzing every endpoint', () => {
  it(
    'hostile requests to every route, as every kind of user: never a 5xx or stack trace, refusals explained, nothing written by a refusal',
    { timeout: fuzzTimeout(60_000) },
    async () => {
      const stores = await opener.openIn(tempDir());
      const h = await fuzzHarness(stores);
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fuzzRequestOf(h.endpoints), async (r) => {
          const who = r.who ?? openersOf(r.entry)[0]!;
          const path = pathOf(r);
          const { cookies, csrf } = await h.credentialsOf(who, path);
          const headers: Record<string, string> = cookies.length ? { cookie: cookies.join('; ') } : {};
          let payload: BodyInit | undefined;
          const token: [string, string][] = r.withCsrf ? [['_csrf', csrf]] : [];
          if (r.body.kind === 'form') {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            payload = new URLSearchParams([...token, ...r.body.fields]).toString();
          } else if (r.body.kind === 'raw') {
            if (r.body.contentType) headers['content-type'] = r.body.contentType;
            payload = r.body.text;
          } else if (r.body.kind === 'multipart') {
            const form = new FormData();
            for (const [k, v] of [...token, ...r.body.fields]) form.append(k, v);
            form.append(r.body.fileField, new Blob([r.body.file], { type: 'text/csv' }), 'roster.csv');
            payload = form;
          }
          const before = await h.dataCounts();
          h.logged.length = 0;
          const response = await h.app.request(
            path,
            { method: r.entry.method, headers, ...(payload !== undefined ? { body: payload } : {}) },
            socketEnv(r.address),
          );
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const what = `${r.entry.method} ${path.slice(0, 200)} as ${who} (${response.status} "${titleOf(text).slice(0, 80)}")`;
          expect(response.status, what).toBeLessThan(500);
          expect(h.logged, what).toEqual([]);
          expect(text, `${what}: a stack trace`).not.toMatch(stackTrace);
          if (response.status >= 400) {
            expect(explainsRefusal(response.status, response.headers.get('content-type') ?? '', text), `${what}: the refusal does not say what was wrong`).toBe(
              true,
            );
            expect(await h.dataCounts(), `${what}: a refusal wrote something`).toEqual(before);
          }
        }),
        fuzzParameters(400),
      );
      console.log(`endpoint fuzz: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
      // The fuzzing reached the handlers, not only the guards.
      expect([...statuses.keys()].some((s) => s < 400)).toBe(true);
      expect([...statuses.keys()].some((s) => s === 400 || s === 422)).toBe(true);
    },
  );

  it('control: the refusal checker rejects a bare or silent refusal', () => {
    expect(
      explainsRefusal(
        400,
        'text/html',
        '<title>Error: Part one – CSWO</title><div class="ds_error-summary"><ul><li><a href="#role">Choose a role</a></li></ul>',
      ),
    ).toBe(true);
    expect(explainsRefusal(404, 'text/html', '<title>Page not found – CSWO</title><p>There is no such page in this survey.</p>')).toBe(true);
    expect(explainsRefusal(400, 'text/plain', 'Bad Request')).toBe(false);
    expect(explainsRefusal(400, 'text/html', '<title> – CSWO</title>')).toBe(false);
    expect(explainsRefusal(404, 'application/json', '{"error":""}')).toBe(false);
    expect(explainsRefusal(404, 'application/json', '{"error":"no such definition"}')).toBe(true);
  });
});

describe('found by fuzzing', () => {
  it('a form body that cannot be parsed (multipart without its boundary) is refused as a form without a token, not a 500', async () => {
    const stores = await opener.openIn(tempDir());
    const h = await fuzzHarness(stores);
    // One form route behind each of the three CSRF checks: staff session, sign-in double submit, respondent and part two.
    for (const [who, path] of [
      ['admin', '/staff/users/no-such-account/disable'],
      ['nobody', '/staff/sign-in'],
      ['respondent', '/survey/part-one/about_you'],
      ['part-two', '/part-two/workload'],
    ] as const) {
      const { cookies } = await h.credentialsOf(who, path);
      const before = await h.dataCounts();
      const response = await h.app.request(path, {
        method: 'POST',
        headers: { cookie: cookies.join('; '), 'content-type': 'multipart/form-data' },
        body: '--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n',
      });
      const text = await response.text();
      expect(response.status, `${path}: ${titleOf(text)}`).toBe(403);
      expect(explainsRefusal(403, response.headers.get('content-type') ?? '', text)).toBe(true);
      expect(await h.dataCounts()).toEqual(before);
    }
    expect(h.logged).toEqual([]);
  });

  it('a NUL character in an address or a form field is refused with a 400 that says so, on both databases (PostgreSQL failed on it with a 500)', async () => {
    const stores = await opener.openIn(tempDir());
    const h = await fuzzHarness(stores);
    const cases: [Principal, 'GET' | 'POST', string, [string, string][]][] = [
      ['admin', 'GET', '/staff/dashboards/%00/tables/pressure/csv', []],
      ['admin', 'GET', '/staff/waves/2020-06/responses?x=%00', []],
      ['nobody', 'GET', '/api/definitions/cswo%00/2', []],
      [
        'nobody',
        'POST',
        '/staff/sign-in',
        [
          ['email', 'admin@example.org\u0000'],
          ['password', 'x'],
        ],
      ],
      ['respondent', 'POST', '/survey/part-one/qualifications', [['pq_awards_other', 'a\u0000b']]],
      ['part-two', 'POST', '/part-two/reflections', [['final_reflections', '\u0000']]],
    ];
    for (const [who, method, path, fields] of cases) {
      const { cookies, csrf } = await h.credentialsOf(who, path);
      const before = await h.dataCounts();
      const response = await h.app.request(path, {
        method,
        headers: { cookie: cookies.join('; '), ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(method === 'POST' ? { body: new URLSearchParams([['_csrf', csrf], ...fields]).toString() } : {}),
      });
      const text = await response.text();
      expect(response.status, `${method} ${path}: ${titleOf(text)}`).toBe(400);
      expect(text).toMatch(/NUL character/);
      expect(await h.dataCounts()).toEqual(before);
    }
    expect(h.logged).toEqual([]);
  });
});
