import { afterEach, describe, expect, it } from 'vitest';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { unmaskToken } from '../../server/security/tokens.js';
import { findRetention } from '../../server/storage/retention-store.js';
import { waveStatus } from '../../server/storage/roster-store.js';
import { findStoredWave, formatClosingDate, listWaves } from '../../server/storage/wave-store.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cswoAnnualV3 } from '../support/definitions.js';
import { registerPublishedDefinitions } from '../../survey-definitions/index.js';
import { contentHash } from '../../survey-definitions/content-hash.js';
import { storeOpener, WAVE_2 } from './helpers.js';
import { csrfOf, errorSummaryTargets, titleOf, pageText } from './respondent-helpers.js';
import { auditOf } from './staff-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/** Admin pages of waves: create a wave from a definition version, open and close waves; every change audited. */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(async () => {
  await opener.closeAll();
  registerPublishedDefinitions([]);
});

const setup = async () => {
  const stores = await opener.openIn(tempDir());
  const t = staffApp(stores);
  const admin = await t.signedIn('admin');
  const adminId = (await stores.identifiable.selectFrom('staff_user').select('id').where('email', '=', admin.email).executeTakeFirstOrThrow()).id;
  return { stores, ...t, admin, adminId, csrf: csrfToken(t.key, admin.token) };
};

const text = pageText;
const inlineError = (html: string, id: string) => text(new RegExp(`<p class="ds_question__error-message" id="${id}-error">([^]*?)</p>`).exec(html)?.[1] ?? '');
const good = { id: '2021-06', name: 'Survey 3', fielded: 'June 2021', definition: 'cswo-annual@2' };

/** A 400 whose one problem is the date `id`: the summary links to its first marked box, which are the boxes marked. */
const expectDateRefused = (sent: { status: number; html: string }, id: string, message: string, marked: readonly string[]) => {
  expect(sent.status, message).toBe(400);
  expect(titleOf(sent.html)).toMatch(/^Error: /);
  expect(errorSummaryTargets(sent.html), message).toEqual([`${id}-${marked[0]}`]);
  expect(inlineError(sent.html, id), message).toBe(`Error: ${message}`);
  const errored = [...sent.html.matchAll(new RegExp(`<input class="ds_input[^"]*ds_input--error[^"]*"[^>]*id="${id}-(day|month|year)"`, 'g'))].map((m) => m[1]);
  expect(errored, message).toEqual(marked);
};

describe('GET /staff/waves/new', () => {
  it('shows the form: each field labelled, the published versions to choose from, one button, a CSRF token', async () => {
    const t = await setup();
    const page = await t.send(t.admin.jar, 'GET', '/staff/waves/new');
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Create a wave – CSWO survey – Social Work Scotland');
    for (const [id, label] of [
      ['id', 'Wave id'],
      ['name', 'Name'],
      ['fielded', 'When it is fielded'],
      ['definition', 'Survey definition'],
    ]) {
      expect(page.html).toContain(`<label class="ds_label" for="${id}">${label}</label>`);
    }
    expect([...page.html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual(['', 'cswo-annual@1', 'cswo-annual@2']);
    expect(page.html.match(/<button class="ds_button" type="submit">/g)).toHaveLength(1);
    expect(unmaskToken(csrfOf(page.html))).toBe(unmaskToken(t.csrf));
    expect(page.html).toContain('<form method="post" action="/staff/waves"');
  });
});

describe('a version published while the server runs (by the command line, another process)', () => {
  /** A row this process did not write, as `definitions publish` run beside the server leaves it. */
  const publishElsewhere = (t: Awaited<ReturnType<typeof setup>>) =>
    t.stores.identifiable
      .insertInto('published_definition')
      .values({
        id: 'cswo-annual',
        version: 3,
        content_hash: contentHash(cswoAnnualV3),
        definition: JSON.stringify(cswoAnnualV3),
        published_at: Date.now(),
        published_by: null,
      })
      .execute();
  const offered = (html: string) => [...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);

  it("is offered by the form, fielded by a new wave, and the wave's pages find it", async () => {
    const t = await setup();
    expect(offered((await t.send(t.admin.jar, 'GET', '/staff/waves/new')).html)).toEqual(['', 'cswo-annual@1', 'cswo-annual@2']);
    await publishElsewhere(t);
    expect(offered((await t.send(t.admin.jar, 'GET', '/staff/waves/new')).html)).toEqual(['', 'cswo-annual@1', 'cswo-annual@2', 'cswo-annual@3']);
    // Each step below starts from a registry that lacks the version, as another server process's would.
    registerPublishedDefinitions([]);
    const sent = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good, definition: 'cswo-annual@3' } });
    expect(sent).toMatchObject({ status: 303, location: '/staff/waves?done=created&wave=2021-06' });
    registerPublishedDefinitions([]);
    expect((await t.send(t.admin.jar, 'GET', '/staff/waves')).status).toBe(200);
    registerPublishedDefinitions([]);
    const dashboard = await t.send(t.admin.jar, 'GET', '/staff/dashboards/2021-06');
    expect(dashboard.status).toBe(200);
    expect(text(dashboard.html)).toContain('Survey 3');
  });
});

describe('POST /staff/waves', () => {
  it('creates the wave, audits it with who made it, and shows it in the list with a notice', async () => {
    const t = await setup();
    const sent = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good } });
    expect(sent).toMatchObject({ status: 303, location: '/staff/waves?done=created&wave=2021-06' });
    expect(await findStoredWave(t.stores.identifiable, '2021-06')).toEqual({
      id: '2021-06',
      name: 'Survey 3',
      fielded: 'June 2021',
      definition: { id: 'cswo-annual', version: 2 },
    });
    expect(await auditOf(t.stores, ['wave.create'])).toEqual([
      {
        actor: t.adminId,
        action: 'wave.create',
        // Contacts kept a year from the day it was made (the test's clock: 12 January 2026), as it has no closing date.
        detail: { wave: '2021-06', name: 'Survey 3', fielded: 'June 2021', definition: 'cswo-annual@2', contactsUntil: '2027-01-12', keepPartOne: false },
      },
    ]);
    const list = await t.send(t.admin.jar, 'GET', sent.location!);
    expect(text(list.html)).toContain(
      'Survey 3 was created. It is not opened yet: load its roster, then issue its invitation links, which opens it to answers.',
    );
    expect(list.html).toContain('href="/staff/waves/2021-06/responses"');
    expect(list.html).toContain('href="/staff/waves/2021-06/roster"');
    expect(list.html).toContain('action="/staff/waves/2021-06/open"');
    // The new wave has its monitor too.
    expect((await t.send(t.admin.jar, 'GET', '/staff/waves/2021-06/responses')).status).toBe(200);
  });

  it('re-renders an empty form with a 400: "Error:" title, summary linking to each field, inline messages; nothing stored or audited', async () => {
    const t = await setup();
    const sent = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf } });
    expect(sent.status).toBe(400);
    expect(titleOf(sent.html)).toBe('Error: Create a wave – CSWO survey – Social Work Scotland');
    expect(sent.html.indexOf('ds_error-summary')).toBeLessThan(sent.html.indexOf('<h1'));
    expect(errorSummaryTargets(sent.html)).toEqual(['id', 'name', 'fielded', 'definition']);
    expect(inlineError(sent.html, 'id')).toBe('Error: Enter an id for the wave, such as 2021-06');
    expect(inlineError(sent.html, 'definition')).toBe('Error: Choose the survey definition the wave uses');
    expect(sent.html).toMatch(/<input class="ds_input ds_input--error[^"]*"[^>]*id="id"[^>]*aria-describedby="id-hint id-error"/);
    expect((await listWaves(t.stores.identifiable)).map((w) => w.id)).toEqual(['2020-01', '2020-06']);
    expect(await auditOf(t.stores, ['wave.create'])).toEqual([]);
  });

  it('keeps what was typed (escaped) and the version chosen when refusing a bad id; an id taken is a 422', async () => {
    const t = await setup();
    const bad = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good, id: 'Spring 2021', name: 'Survey <3>' } });
    expect(bad.status).toBe(400);
    expect(errorSummaryTargets(bad.html)).toEqual(['id']);
    expect(bad.html).toContain('value="Spring 2021"');
    expect(bad.html).toContain('value="Survey &lt;3>"');
    expect(bad.html).toContain('value="June 2021"');
    expect(bad.html).toMatch(/<option value="cswo-annual@2" selected/);
    const taken = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good, id: WAVE_2 } });
    expect(taken.status).toBe(422);
    expect(inlineError(taken.html, 'id')).toBe('Error: A wave with the id 2020-06 already exists: choose another id');
    const unpublished = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good, definition: 'cswo-annual@9' } });
    expect(unpublished.status).toBe(400);
    expect(errorSummaryTargets(unpublished.html)).toEqual(['definition']);
    expect((await listWaves(t.stores.identifiable)).map((w) => w.id)).toEqual(['2020-01', '2020-06']);
    expect(await auditOf(t.stores, ['wave.create'])).toEqual([]);
  });
});

describe('the closing date on the new-wave page (GOV.UK date input)', () => {
  /** The clock's date plus some days, as the form's three boxes and as stored. */
  const dayAfter = (t: { clock: { now: number } }, days: number) => {
    const d = new Date(t.clock.now + days * 86_400_000);
    return {
      form: { 'closes-day': String(d.getUTCDate()), 'closes-month': String(d.getUTCMonth() + 1), 'closes-year': String(d.getUTCFullYear()) },
      iso: d.toISOString().slice(0, 10),
    };
  };

  it('is one fieldset of three labelled boxes, optional; a date typed is stored, audited and shown on the monitor', async () => {
    const t = await setup();
    const page = await t.send(t.admin.jar, 'GET', '/staff/waves/new');
    expect(page.html).toMatch(/<fieldset aria-describedby="closes-hint"><legend class="ds_label">Closing date \(optional\)<\/legend>/);
    for (const [part, label] of [
      ['day', 'Day'],
      ['month', 'Month'],
      ['year', 'Year'],
    ])
      expect(page.html).toContain(`<label class="ds_label" for="closes-${part}">${label}</label>`);
    const { form, iso } = dayAfter(t, 30);
    const sent = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good, ...form } });
    expect(sent.status).toBe(303);
    expect(await findStoredWave(t.stores.identifiable, '2021-06')).toMatchObject({ id: '2021-06', closes: iso });
    expect((await auditOf(t.stores, ['wave.create']))[0]!.detail).toMatchObject({ closes: iso });
    const monitor = await t.send(t.admin.jar, 'GET', '/staff/waves/2021-06/responses');
    expect(text(monitor.html)).toContain(`Closing date ${formatClosingDate(iso)}`);
    const list = await t.send(t.admin.jar, 'GET', '/staff/waves');
    expect(list.html).toContain(`<span class="staff-table__closes">Closing date: ${formatClosingDate(iso)}</span>`);
    expect(list.html.match(/staff-table__closes/g)).toHaveLength(1);
    expect(text((await t.send(t.admin.jar, 'GET', `/staff/waves/${WAVE_2}/responses`)).html)).toContain('Closing date None set');
  });

  it('refuses a part missing, letters, a short year, a day the month lacks and a date in the past: 400, the boxes marked, every other problem listed too, nothing stored', async () => {
    const t = await setup();
    const future = dayAfter(t, 30).form;
    const past = dayAfter(t, -1).form;
    const cases: [Record<string, string>, string, string[]][] = [
      [{ ...future, 'closes-month': '' }, 'The closing date must include a month', ['month']],
      [{ ...future, 'closes-day': '', 'closes-year': '' }, 'The closing date must include a day and year', ['day', 'year']],
      [{ ...future, 'closes-day': 'x' }, 'The closing date must be a real date, typed in numbers', ['day']],
      [{ ...future, 'closes-year': '31' }, 'The year must include 4 numbers', ['year']],
      [{ 'closes-day': '31', 'closes-month': '4', 'closes-year': '2099' }, 'The closing date must be a real date: that month has 30 days', ['day']],
      [past, `The closing date must be today or in the future (today is ${formatClosingDate(dayAfter(t, 0).iso)})`, ['day', 'month', 'year']],
    ];
    for (const [boxes, message, marked] of cases) {
      const sent = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good, ...boxes } });
      expectDateRefused(sent, 'closes', message, marked);
      // What was typed stays in its box.
      for (const [name, value] of Object.entries(boxes)) if (value) expect(sent.html).toContain(`name="${name}" value="${value}"`);
    }
    // With another field wrong too, both are listed, in the form's order.
    const both = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good, name: '', ...future, 'closes-month': '' } });
    expect(errorSummaryTargets(both.html)).toEqual(['name', 'closes-month']);
    expect((await listWaves(t.stores.identifiable)).map((w) => w.id)).toEqual(['2020-01', '2020-06']);
    expect(await auditOf(t.stores, ['wave.create'])).toEqual([]);
  });
});

describe('the retention day on the new-wave page', () => {
  const boxes = (id: string, iso: string) => {
    const [year, month, day] = iso.split('-') as [string, string, string];
    return { [`${id}-day`]: String(Number(day)), [`${id}-month`]: String(Number(month)), [`${id}-year`]: year };
  };

  it("is a date of three boxes and a checkbox, both optional; what is chosen is stored as the wave's retention and audited with it", async () => {
    const t = await setup();
    const page = await t.send(t.admin.jar, 'GET', '/staff/waves/new');
    expect(page.html).toMatch(/<fieldset aria-describedby="until-hint"><legend class="ds_label">Keep names and email addresses until \(optional\)<\/legend>/);
    expect(page.html).toMatch(/<input class="ds_checkbox__input" type="checkbox" id="keepPartOne" name="keepPartOne" value="yes"\s*\/?>/);
    // The test's clock is 12 January 2026: a wave closing on 30 June 2026, kept until 31 December 2027, part one whole.
    const sent = await t.send(t.admin.jar, 'POST', '/staff/waves', {
      form: { _csrf: t.csrf, ...good, ...boxes('closes', '2026-06-30'), ...boxes('until', '2027-12-31'), keepPartOne: 'yes' },
    });
    expect(sent.status).toBe(303);
    expect(await findRetention(t.stores.identifiable, '2021-06')).toMatchObject({ contactsUntil: '2027-12-31', keepPartOne: true, appliedAt: null });
    expect((await auditOf(t.stores, ['wave.create']))[0]!.detail).toMatchObject({ closes: '2026-06-30', contactsUntil: '2027-12-31', keepPartOne: true });
    // The retention page shows what was chosen at creation.
    const retention = await t.send(t.admin.jar, 'GET', '/staff/waves/2021-06/retention');
    expect(text(retention.html)).toContain('What identifies people is kept through 31 December 2027, with part one kept whole.');
    // Left blank: a year after the closing date, part one stripped.
    await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good, id: '2021-07', ...boxes('closes', '2026-06-30') } });
    expect(await findRetention(t.stores.identifiable, '2021-07')).toMatchObject({ contactsUntil: '2027-06-30', keepPartOne: false });
  });

  it("refuses a day before the closing date, in the past, or not a date: 400, its boxes marked, the closing date's problem listed first, nothing stored", async () => {
    const t = await setup();
    const cases: [Record<string, string>, string, string[]][] = [
      [
        { ...boxes('closes', '2026-06-30'), ...boxes('until', '2026-06-29') },
        'The day to keep it until must be on or after the closing date (30 June 2026)',
        ['day', 'month', 'year'],
      ],
      [boxes('until', '2026-01-11'), 'The day to keep it until must be today or in the future (today is 12 January 2026)', ['day', 'month', 'year']],
      [{ ...boxes('until', '2027-02-29') }, 'The day to keep it until must be a real date: that month has 28 days', ['day']],
      [{ ...boxes('until', '2027-02-01'), 'until-month': '' }, 'The day to keep it until must include a month', ['month']],
    ];
    for (const [form, message, marked] of cases) {
      const sent = await t.send(t.admin.jar, 'POST', '/staff/waves', { form: { _csrf: t.csrf, ...good, ...form, keepPartOne: 'yes' } });
      expectDateRefused(sent, 'until', message, marked);
      // The checkbox stays as it was sent.
      expect(sent.html).toMatch(/id="keepPartOne" name="keepPartOne" value="yes" checked/);
    }
    // Both dates wrong: both listed, the closing date's first, as the form orders them.
    const both = await t.send(t.admin.jar, 'POST', '/staff/waves', {
      form: { _csrf: t.csrf, ...good, ...boxes('closes', '2026-06-30'), 'closes-month': '', ...boxes('until', '2027-02-01'), 'until-year': '27' },
    });
    expect(errorSummaryTargets(both.html)).toEqual(['closes-month', 'until-year']);
    expect((await listWaves(t.stores.identifiable)).map((w) => w.id)).toEqual(['2020-01', '2020-06']);
    expect(await auditOf(t.stores, ['wave.create'])).toEqual([]);
  });
});

describe('POST /staff/waves/:wave/open and /close', () => {
  it('opens a wave in one click and closes it after a confirmation page, each change audited, and the list offers the other action', async () => {
    const t = await setup();
    const opened = await t.send(t.admin.jar, 'POST', `/staff/waves/${WAVE_2}/open`, { form: { _csrf: t.csrf } });
    expect(opened).toMatchObject({ status: 303, location: `/staff/waves?done=opened&wave=${WAVE_2}` });
    expect(await waveStatus(t.stores.identifiable, WAVE_2)).toBe('open');
    const list = await t.send(t.admin.jar, 'GET', opened.location!);
    expect(text(list.html)).toContain('Survey 2 (re-issued during COVID-19) is now open to answers.');
    expect(list.html).toContain(`href="/staff/waves/${WAVE_2}/close"`);
    await t.send(t.admin.jar, 'POST', `/staff/waves/${WAVE_2}/open`, { form: { _csrf: t.csrf } });
    // The confirmation page: what closing does, one warning button that sends `confirm`, a way back.
    const confirm = await t.send(t.admin.jar, 'GET', `/staff/waves/${WAVE_2}/close`);
    expect(confirm.status).toBe(200);
    expect(titleOf(confirm.html)).toBe('Close Survey 2 (re-issued during COVID-19) to answers? – CSWO survey – Social Work Scotland');
    expect(text(confirm.html)).toContain(
      'Its invitation links stop opening the survey, and nobody can save or submit part one or part two any more, even part-way through.',
    );
    expect(text(confirm.html)).toContain('You can open it to answers again later: the same links then work again.');
    // One button besides "Sign out": the warning one.
    expect([...confirm.html.matchAll(/<button ([^>]*)>([^<]*)/g)].map((m) => m.slice(1)).filter(([, label]) => label !== 'Sign out')).toEqual([
      ['class="ds_button staff-button--warning" type="submit"', 'Close to answers'],
    ]);
    expect(confirm.html).toContain(
      `<form method="post" action="/staff/waves/${WAVE_2}/close" novalidate=""><input type="hidden" name="_csrf" value="${csrfOf(confirm.html.slice(confirm.html.indexOf(`action="/staff/waves/${WAVE_2}/close"`)))}"/> <input type="hidden" name="confirm" value="yes"/>`,
    );
    expect(unmaskToken(csrfOf(confirm.html.slice(confirm.html.indexOf(`action="/staff/waves/${WAVE_2}/close"`))))).toBe(unmaskToken(t.csrf));
    expect(confirm.html).toContain('href="/staff/waves">Cancel: keep it open to answers</a>');
    // The old one-click form (no `confirm`) only shows that page: nothing changes.
    const oneClick = await t.send(t.admin.jar, 'POST', `/staff/waves/${WAVE_2}/close`, { form: { _csrf: t.csrf } });
    expect(oneClick.status).toBe(200);
    expect(titleOf(oneClick.html)).toBe(titleOf(confirm.html));
    expect(await waveStatus(t.stores.identifiable, WAVE_2)).toBe('open');
    const closed = await t.send(t.admin.jar, 'POST', `/staff/waves/${WAVE_2}/close`, { form: { _csrf: t.csrf, confirm: 'yes' } });
    expect(closed).toMatchObject({ status: 303, location: `/staff/waves?done=closed&wave=${WAVE_2}` });
    expect(await waveStatus(t.stores.identifiable, WAVE_2)).toBe('closed');
    // Opening an open wave changed nothing, so it is not in the log.
    expect(await auditOf(t.stores, ['wave.open', 'wave.close'])).toEqual([
      { actor: t.adminId, action: 'wave.open', detail: { wave: WAVE_2, from: 'not opened', to: 'open' } },
      { actor: t.adminId, action: 'wave.close', detail: { wave: WAVE_2, from: 'open', to: 'closed' } },
    ]);
    // A wave that is not open has nothing to close: the page goes back to the list, and nothing is audited.
    expect(await t.send(t.admin.jar, 'GET', `/staff/waves/${WAVE_2}/close`)).toMatchObject({ status: 303, location: '/staff/waves' });
    expect(await t.send(t.admin.jar, 'POST', `/staff/waves/${WAVE_2}/close`, { form: { _csrf: t.csrf } })).toMatchObject({
      status: 303,
      location: '/staff/waves',
    });
    expect(await auditOf(t.stores, ['wave.close'])).toHaveLength(1);
    expect((await t.send(t.admin.jar, 'GET', '/staff/waves/1999-01/close')).status).toBe(404);
  });

  it('an unknown wave is a 404 and changes nothing; a notice for an unknown wave is not shown', async () => {
    const t = await setup();
    const sent = await t.send(t.admin.jar, 'POST', '/staff/waves/1999-01/open', { form: { _csrf: t.csrf } });
    expect(sent.status).toBe(404);
    expect(titleOf(sent.html)).toBe('Wave not found – CSWO survey – Social Work Scotland');
    expect(await t.stores.identifiable.selectFrom('wave_status').selectAll().execute()).toEqual([]);
    const list = await t.send(t.admin.jar, 'GET', '/staff/waves?done=opened&wave=1999-01');
    expect(list.html).not.toContain('waves-notice');
  });

  it('is refused to an analyst (403) and without the form token (403), changing nothing', async () => {
    const t = await setup();
    const analyst = await t.signedIn('analyst');
    expect((await t.send(analyst.jar, 'POST', `/staff/waves/${WAVE_2}/open`, { form: { _csrf: csrfToken(t.key, analyst.token) } })).status).toBe(403);
    expect((await t.send(analyst.jar, 'POST', '/staff/waves', { form: { _csrf: csrfToken(t.key, analyst.token), ...good } })).status).toBe(403);
    expect((await t.send(t.admin.jar, 'POST', `/staff/waves/${WAVE_2}/open`, { form: {} })).status).toBe(403);
    expect(await waveStatus(t.stores.identifiable, WAVE_2)).toBe('not opened');
    expect(await findStoredWave(t.stores.identifiable, '2021-06')).toBeUndefined();
    expect(await auditOf(t.stores, ['wave.create', 'wave.open'])).toEqual([]);
  });
});
