import { afterEach, describe, expect, it } from 'vitest';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { readMailSettings } from '../../server/mail/mail-settings.js';
import { smtpMailer } from '../../server/mail/mail-transport.js';
import type { MailOutbox } from '../../server/mail/outbox-sender.js';
import { findInvitationBySecret } from '../../server/storage/invitation-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { insertPartOneResponses } from '../../server/storage/part-one-store.js';
import { replaceRoster } from '../../server/storage/roster-store.js';
import { findStoredWave } from '../../server/storage/wave-store.js';
import { changeWaveStatus, councilMailSender } from '../../server/waves/index.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';
import { pageText, stackTrace, titleOf } from './respondent-helpers.js';
import { auditOf } from './staff-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * Issue 17, the admin pages: invitations sent by email after a preview of the exact message, reminders
 * listed part by part and sent after their preview, what became of each message on the response monitor,
 * and pages that say when email is not set up. A real SMTP server (its own process) receives the mail.
 */
const tempDir = useTempDirs();
const opener = storeOpener();
let smtp: SmtpTestServer | undefined;
afterEach(async () => {
  await opener.closeAll();
  await smtp?.stop();
  smtp = undefined;
});

const roster = [
  { localAuthority: 'angus', name: 'Ann Angus', email: 'ann@angus.example' },
  { localAuthority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.example' },
  { localAuthority: 'moray', name: 'Mo Moray', email: 'mo@moray.example' },
];
const linkPattern = /http:\/\/localhost\/i\/([A-Za-z0-9_-]{43})/g;

/** The admin pages over real stores; with `email`, a real SMTP server and the outbox's sender behind them. */
const setup = async ({ email }: { email: boolean }) => {
  const stores: Stores = await opener.openIn(tempDir());
  await replaceRoster(stores.identifiable, WAVE_2, roster);
  let mail: MailOutbox | undefined;
  let sending: Promise<unknown> = Promise.resolve();
  if (email) {
    smtp = await startSmtpServer();
    const reading = readMailSettings({ SMTP_URL: smtp.url, MAIL_FROM: 'Social Work Scotland <surveys@sws.example>', MAIL_PER_MINUTE: '6000' });
    if (!reading.ok || !reading.settings) throw new Error('mail settings expected');
    const settings = reading.settings;
    mail = {
      from: settings.from,
      sendSoon: () => {
        sending = sending.then(async () => {
          const mailer = smtpMailer(settings);
          try {
            await councilMailSender(stores.identifiable, t.key, { settings, mailer, support: 'help@sws.example' }).sendDue();
          } finally {
            mailer.close();
          }
        });
      },
    };
  }
  const t = staffApp(stores, mail ? { mail } : {});
  const admin = await t.signedIn('admin');
  const csrf = csrfToken(t.key, admin.token);
  /** A form with repeated fields (the councils ticked), as a browser sends it. */
  const post = async (path: string, fields: readonly (readonly [string, string])[]) => {
    const response = await t.app.request(path, {
      method: 'POST',
      headers: { cookie: admin.jar.header(path)!, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['_csrf', csrf], ...fields] as [string, string][]).toString(),
    });
    const html = await response.text();
    expect(html).not.toMatch(stackTrace);
    return { status: response.status, html };
  };
  const get = (path: string) => t.send(admin.jar, 'GET', path);
  const hiddenOf = (html: string) => [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const);
  return { stores, t, get, post, hiddenOf, settled: () => sending };
};

const invitations = `/staff/waves/${WAVE_2}/invitations`;
const reminders = `/staff/waves/${WAVE_2}/reminders`;
const versionOf = (html: string) => /name="version" value="([^"]+)"/.exec(html)![1]!;

describe('invitations and reminders by email on the admin pages (issue 17)', () => {
  it('says email is not set up, offers no way to send it, and refuses a form that asks', async () => {
    const { get, post } = await setup({ email: false });
    const form = await get(invitations);
    expect(pageText(form.html)).toContain('Email is not set up on this server');
    expect(form.html).not.toContain('value="email"');
    const refused = await post(invitations, [
      ['version', versionOf(form.html)],
      ['council', 'fife'],
      ['delivery', 'email'],
    ]);
    expect(refused.status).toBe(400);
    expect(titleOf(refused.html)).toMatch(/^Error: /);
    expect(pageText(refused.html)).toContain('Email is not set up on this server: choose to see the links or download them');

    const list = await get(reminders);
    expect(list.status).toBe(200);
    expect(pageText(list.html)).toContain('Email is not set up on this server');
    const preview = await get(`${reminders}/part-one`);
    expect(preview.html).not.toContain('type="submit">Send');
    const send = await post(`${reminders}/part-one`, [['version', 'x']]);
    expect(send.status).toBe(409);
  });

  it('sends invitations by email only after showing the exact message; the monitor then says what became of each', async () => {
    const { stores, get, post, hiddenOf, settled } = await setup({ email: true });
    const form = await get(invitations);
    expect(pageText(form.html)).toContain('Email each council its link, from Social Work Scotland &lt;surveys@sws.example>');
    const preview = await post(invitations, [
      ['version', versionOf(form.html)],
      ['council', 'fife'],
      ['council', 'angus'],
      ['delivery', 'email'],
    ]);
    expect(preview.status).toBe(200);
    const shown = pageText(preview.html);
    expect(shown).toContain('Invitation: Chief Social Work Officer survey, Survey 2 (re-issued during COVID-19)');
    expect(shown).toContain('Dear Ann Angus,');
    expect(shown).toContain('http://localhost/i/[a new link for this council, made when you send]');
    expect(shown).toContain('fiona@fife.example');
    // Nothing issued or sent yet.
    expect(await stores.identifiable.selectFrom('invitation').select('id').execute()).toEqual([]);
    expect(smtp!.received).toEqual([]);

    const sent = await post(
      invitations,
      hiddenOf(preview.html).filter(([name]) => name !== '_csrf'),
    );
    expect(sent.status).toBe(200);
    expect(pageText(sent.html)).toContain('2 invitations are being sent');
    expect(sent.html).not.toMatch(linkPattern);
    await settled();
    await smtp!.waitFor(() => smtp!.received.length === 2, 'two invitations');
    for (const m of smtp!.received) {
      const [secret] = [...m.text.matchAll(linkPattern)].map((x) => x[1]!);
      expect((await findInvitationBySecret(stores.identifiable, secret!))?.localAuthority).toBe(m.to[0] === 'fiona@fife.example' ? 'fife' : 'angus');
    }
    expect((await auditOf(stores, ['invitation.email'])).map((e) => e.detail)).toEqual([{ wave: WAVE_2, councils: ['angus', 'fife'] }]);

    // Sent twice (a reload of the answer): refused, nothing new sent.
    const again = await post(
      invitations,
      hiddenOf(preview.html).filter(([name]) => name !== '_csrf'),
    );
    expect(again.status).toBe(409);

    const monitor = pageText((await get(`/staff/waves/${WAVE_2}/responses`)).html);
    expect(monitor).toMatch(/invitation emailed \d+ \w+ \d{4}, \d\d:\d\d:\d\d (GMT|BST)/);
  });

  it('lists who each reminder goes to, shows the message, and sends it once', async () => {
    const { stores, get, post, hiddenOf, settled } = await setup({ email: true });
    const form = await get(invitations);
    await post(invitations, [
      ['version', versionOf(form.html)],
      ['council', 'fife'],
      ['council', 'angus'],
      ['delivery', 'page'],
    ]);
    await insertPartOneResponses(stores.identifiable, WAVE_2, [{ localAuthority: 'fife', answers: { local_authority: 'fife' } }]);

    const list = pageText((await get(reminders)).html);
    expect(list).toContain('1 council would be reminded');
    expect(list).toContain('Not invited yet, so not reminded: moray.');
    expect(list).toContain('Submitted part one: fife.');
    expect(list).toContain('Not reminded of part two, as part one is not submitted yet: angus, moray.');

    const preview = await get(`${reminders}/part-two`);
    expect(pageText(preview.html)).toContain('Reminder: part two of the Chief Social Work Officer survey');
    expect(pageText(preview.html)).toContain('http://localhost/part-two/resume');
    const fields = hiddenOf(preview.html).filter(([name]) => name !== '_csrf');
    const sent = await post(`${reminders}/part-two`, fields);
    expect(sent.status).toBe(200);
    expect(pageText(sent.html)).toContain('The part two reminder is on its way to fife.');
    await settled();
    await smtp!.waitFor(() => smtp!.received.length === 1, 'the reminder');
    expect(smtp!.received[0]!.to).toEqual(['fiona@fife.example']);

    const twice = await post(`${reminders}/part-two`, fields);
    expect(twice.status).toBe(409);
    expect(pageText(twice.html)).toContain('Nothing was sent');
    await settled();
    expect(smtp!.received).toHaveLength(1);

    // Closed to answers: the part-one reminder's form, sent as shown, is refused and queues nothing.
    const partOne = hiddenOf((await get(`${reminders}/part-one`)).html).filter(([name]) => name !== '_csrf');
    await changeWaveStatus(stores, (await findStoredWave(stores.identifiable, WAVE_2))!, 'closed', { actor: null, now: Date.now() });
    const closed = await post(`${reminders}/part-one`, partOne);
    expect(closed.status).toBe(409);
    expect(pageText(closed.html)).toContain('is closed to answers: a reminder would ask councils to answer a survey that takes no answers.');
    expect(await stores.identifiable.selectFrom('mail_outbox').select('purpose').where('purpose', '=', 'part-one-reminder').execute()).toEqual([]);
  });
});

describe('the wording of the messages (issue 17)', () => {
  it('an admin edits a message: the placeholders are checked, the saved wording is what councils get, and the platform’s own can be taken back', async () => {
    const { stores, get, post, settled } = await setup({ email: true });
    const list = pageText((await get('/staff/messages')).html);
    expect(list).toMatch(/Invitation\s*: the platform's own/);
    const page = await get('/staff/messages/invitation');
    expect(page.status).toBe(200);
    expect(pageText(page.html)).toContain('Dear Alex Example,');

    const wrong = await post('/staff/messages/invitation', [
      ['action', 'save'],
      ['subject', 'Survey {wave}'],
      ['body', 'Dear {nmae},\n\nYour link is below.'],
    ]);
    expect(wrong.status).toBe(400);
    expect(titleOf(wrong.html)).toMatch(/^Error: /);
    expect(pageText(wrong.html)).toContain('The message uses {nmae}, which is not a placeholder: use those listed');
    // What was typed is shown again, to correct.
    expect(wrong.html).toContain('Dear {nmae},');
    const noLink = await post('/staff/messages/invitation', [
      ['action', 'save'],
      ['subject', 'Survey {wave}'],
      ['body', 'Dear {name}, here is {link}.'],
    ]);
    expect(pageText(noLink.html)).toContain('Put {link} in a paragraph of its own: the message must carry the link');

    const saved = await post('/staff/messages/invitation', [
      ['action', 'save'],
      ['subject', 'Your CSWO survey link: {wave}'],
      ['body', 'Hello {name} <of {council}>,\n\n{link}\n\nIt closes on {closes}.\n\nQuestions: {support}'],
    ]);
    expect(saved.status).toBe(200);
    expect(pageText(saved.html)).toContain('Saved. Messages sent from now on use this wording.');
    expect((await auditOf(stores, ['mail.template.change'])).map((e) => e.detail)).toEqual([{ message: 'invitation', wording: 'edited' }]);

    const form = await get(invitations);
    const preview = await post(invitations, [
      ['version', versionOf(form.html)],
      ['council', 'fife'],
      ['delivery', 'email'],
    ]);
    await post(
      invitations,
      [...preview.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const).filter(([n]) => n !== '_csrf'),
    );
    await settled();
    await smtp!.waitFor(() => smtp!.received.length === 1, 'the invitation');
    const [message] = smtp!.received;
    expect(message!.subject).toBe('Your CSWO survey link: Survey 2 (re-issued during COVID-19)');
    // The wave has no closing date: the paragraph that names it is left out.
    expect(message!.text).toMatch(/^Hello Fiona Fife <of Fife>,\n\nhttp:\/\/localhost\/i\/[A-Za-z0-9_-]{43}\n\nQuestions: help@sws\.example\n$/);
    expect(message!.html).toContain('<p>Hello Fiona Fife &#60;of Fife&#62;,</p>');

    const restored = await post('/staff/messages/invitation', [['action', 'restore']]);
    expect(pageText(restored.html)).toContain("The message has the platform's own wording again.");
    expect(pageText((await get('/staff/messages')).html)).toMatch(/Invitation\s*: the platform's own/);
  });
});
