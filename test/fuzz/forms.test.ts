import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.js';
import { importText, storeOpener, toCsv, WAVE_2 } from '../server/helpers.js';
import { councilCodes, sectionsOf, stackTrace, titleOf } from '../server/respondent-helpers.js';
import { disableStaffUser } from '../../server/storage/staff-user-store.js';
import { addStaff } from '../server/staff-helpers.js';
import { socketEnv } from '../server/staff-web-helpers.js';
import { fuzzHarness, type Principal } from './endpoint-harness.js';
import { explainsRefusal } from './refusal-check.js';
import { announceSeed, fuzzParameters, fuzzTimeout, hostileText } from './fuzz-settings.js';
import { formsOf, type PageForm } from './page-forms.js';
import { validRecords } from './valid-records.js';

/**
 * The forms as the pages render them, filled in by a fuzzer (issue 6): every form of every page a user
 * sees (the survey's sections and check page, sign-in, waves, roster upload, invitations, accounts,
 * free-text release, the audit and dashboard filters), each field given a value the page offers, a
 * hostile one, none or two, plus stray fields, with the user's valid CSRF token, so the request gets
 * to the rules. Never a 5xx, a logged error or a stack trace; a refusal explains itself and writes
 * nothing.
 */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);
announceSeed('form fuzz');

/** The pages each kind of user sees, whose forms are fuzzed. */
const pagesOf = (userPages: readonly string[]): [Principal, string][] => [
  ['respondent', '/survey'],
  ...sectionsOf('identifiable').map((s): [Principal, string] => ['respondent', `/survey/part-one/${s.id}`]),
  ['respondent', '/survey/part-one/check'],
  ...sectionsOf('anonymous').map((s): [Principal, string] => ['part-two', `/part-two/${s.id}`]),
  ['part-two', '/part-two/check'],
  ['nobody', '/part-two/resume'],
  ['nobody', '/staff/sign-in'],
  ...[
    '/staff',
    '/staff/waves',
    '/staff/waves/new',
    `/staff/waves/${WAVE_2}/roster`,
    `/staff/waves/${WAVE_2}/invitations`,
    '/staff/users',
    '/staff/users/new',
    '/staff/audit',
  ]
    .concat(userPages)
    .map((p): [Principal, string] => ['admin', p]),
  ...[`/staff/dashboards/${WAVE_2}`, `/staff/dashboards/${WAVE_2}/free-text`].map((p): [Principal, string] => ['analyst', p]),
];

interface Filled {
  readonly who: Principal;
  readonly form: PageForm;
  readonly values: readonly { readonly choice: 'offered' | 'hostile' | 'omit' | 'twice'; readonly pick: number; readonly hostile: string }[];
  readonly extra: readonly [string, string][];
  readonly withCsrf: boolean;
  /** For a file field: a roster CSV with hostile cells. */
  readonly file: { readonly row: number; readonly column: number; readonly value: string };
}

/** A roster file of a few councils, one cell replaced. */
const rosterFile = (file: Filled['file']) => {
  const records = [['local_authority', 'name', 'email'], ...councilCodes.slice(0, 4).map((c) => [c, `Officer ${c}`, `cswo@${c.replaceAll('_', '-')}.gov.uk`])];
  records[file.row % records.length]![file.column % 3] = file.value;
  return toCsv(records);
};

describe('fuzzing the forms the pages render', () => {
  it(
    'every form filled with offered, hostile, missing and doubled values: never a 5xx or stack trace, refusals explained, nothing written by a refusal',
    { timeout: fuzzTimeout(60_000) },
    async () => {
      const stores = await opener.openIn(tempDir());
      // Answers to show on the dashboards and free-text page, whose forms are then rendered too.
      await importText(stores, { wave: WAVE_2, part: 'anonymous' }, toCsv(validRecords('anonymous', 6, 3)));
      await importText(stores, { wave: WAVE_2, part: 'identifiable' }, toCsv(validRecords('identifiable', 3, 4)));
      const h = await fuzzHarness(stores);

      const get = async (who: Principal, path: string) => {
        const { cookies } = await h.credentialsOf(who, path);
        const response = await h.app.request(path, { headers: cookies.length ? { cookie: cookies.join('; ') } : {} });
        return { status: response.status, html: await response.text() };
      };
      // A disabled account, whose page offers re-enabling it.
      const gone = await addStaff(stores, 'gone@example.org', 'analyst');
      await disableStaffUser(stores.identifiable, gone.id);
      const users = await get('admin', '/staff/users');
      const accountPages = [...new Set([...users.html.matchAll(/href="(\/staff\/users\/[A-Za-z0-9_-]{8,})"/g)].map((m) => m[1]!))];
      // The confirmation pages (disabling an account, closing the open wave) and the re-enabling form, where the account offers them.
      const confirmations: string[] = [];
      for (const page of [...accountPages.flatMap((p) => [`${p}/disable`, `${p}/enable`]), `/staff/waves/${WAVE_2}/close`]) {
        if ((await get('admin', page)).status === 200) confirmations.push(page);
      }
      expect(confirmations.filter((p) => p.endsWith('/enable'))).toEqual([`/staff/users/${gone.id}/enable`]);
      expect(confirmations).toContain(`/staff/waves/${WAVE_2}/close`);
      const userPages = [...accountPages, ...confirmations];
      const forms: [Principal, PageForm][] = [];
      for (const [who, page] of pagesOf(userPages)) {
        const { status, html } = await get(who, page);
        expect(status, `GET ${page} as ${who}`).toBe(200);
        for (const form of formsOf(html, page)) forms.push([who, form]);
      }
      // Every kind of form is there to fuzz.
      const actions = new Set(forms.map(([, f]) => f.action.replace(/\/[A-Za-z0-9_-]{20,}(\/|$)/, '/:user$1')));
      for (const expected of [
        '/survey/part-one/about_you',
        '/survey/part-one/submit',
        '/part-two/workload',
        '/part-two/submit',
        '/staff/sign-in',
        '/staff/sign-out',
        '/staff/waves',
        `/staff/waves/${WAVE_2}/roster`,
        `/staff/waves/${WAVE_2}/invitations`,
        `/staff/waves/${WAVE_2}/close`,
        '/staff/users',
        '/staff/users/:user/disable',
        '/staff/users/:user/enable',
      ]) {
        expect(actions, `a form posting to ${expected}`).toContain(expected);
      }

      const filled: fc.Arbitrary<Filled> = fc.constantFrom(...forms).chain(([who, form]) =>
        fc.record({
          who: fc.constant(who),
          form: fc.constant(form),
          values: fc.tuple(
            ...form.fields.map(() =>
              fc.record({
                choice: fc.oneof(
                  { weight: 6, arbitrary: fc.constant('offered' as const) },
                  { weight: 3, arbitrary: fc.constant('hostile' as const) },
                  fc.constantFrom('omit' as const, 'twice' as const),
                ),
                pick: fc.nat(),
                hostile: hostileText,
              }),
            ),
          ),
          extra: fc.array(
            fc.tuple(
              hostileText.map((s) => s.slice(0, 50)),
              hostileText,
            ),
            { maxLength: 2 },
          ),
          withCsrf: fc.integer({ min: 0, max: 19 }).map((n) => n > 0),
          file: fc.record({ row: fc.nat(), column: fc.nat(), value: hostileText }),
        }),
      );

      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(filled, fc.oneof(fc.ipV4(), fc.ipV6()), async (f, address) => {
          const { cookies, csrf } = await h.credentialsOf(f.who, f.form.action);
          const entries: [string, string][] = [];
          let file: string | undefined;
          let fileField = '';
          f.form.fields.forEach((field, i) => {
            const v = f.values[i]!;
            if (field.name === '_csrf') return;
            if (field.type === 'file') {
              fileField = field.name;
              if (v.choice !== 'omit') file = v.choice === 'hostile' ? v.hostile : rosterFile(f.file);
              return;
            }
            const offered = field.offered[v.pick % field.offered.length]!;
            if (v.choice === 'offered') entries.push([field.name, offered]);
            if (v.choice === 'hostile') entries.push([field.name, v.hostile]);
            if (v.choice === 'twice') entries.push([field.name, offered], [field.name, v.hostile]);
          });
          entries.push(...f.extra);
          if (f.withCsrf && f.form.method === 'POST') entries.unshift(['_csrf', csrf]);
          const headers: Record<string, string> = cookies.length ? { cookie: cookies.join('; ') } : {};
          let path = f.form.action;
          let body: BodyInit | undefined;
          if (f.form.method === 'GET') path = `${path}?${new URLSearchParams(entries).toString()}`;
          else if (f.form.multipart) {
            const form = new FormData();
            for (const [k, v] of entries) form.append(k, v);
            if (file !== undefined) form.append(fileField, new Blob([file], { type: 'text/csv' }), 'roster.csv');
            body = form;
          } else {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = new URLSearchParams(entries).toString();
          }
          const before = await h.dataCounts();
          h.logged.length = 0;
          const response = await h.app.request(path, { method: f.form.method, headers, ...(body !== undefined ? { body } : {}) }, socketEnv(address));
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const what = `${f.form.method} ${path.slice(0, 200)} as ${f.who} (${response.status} "${titleOf(text).slice(0, 80)}")`;
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
        fuzzParameters(300),
      );
      console.log(`form fuzz: ${forms.length} forms, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
      // The fuzzing got past the guards: forms were accepted, and refused for what was in them.
      expect([...statuses.keys()].some((s) => s === 303)).toBe(true);
      expect([...statuses.keys()].some((s) => s === 400 || s === 422)).toBe(true);
    },
  );
});
