import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMailSettings } from '../../server/mail/mail-settings.js';
import { smtpMailer, transportOptions } from '../../server/mail/mail-transport.js';
import { defaultLeaseMs } from '../../server/mail/outbox-sender.js';
import { openSealedText, sealText } from '../../server/security/sealed-text.js';
import { loadServerKey } from '../../server/security/server-key.js';
import { listAuditEvents } from '../../server/storage/audit-log-store.js';
import { findInvitationBySecret } from '../../server/storage/invitation-store.js';
import { openStores, type Stores } from '../../server/storage/open-stores.js';
import { insertPartOneResponses } from '../../server/storage/part-one-store.js';
import { replaceRoster } from '../../server/storage/roster-store.js';
import { startServer } from '../../server/app/serve.js';
import { findStoredWave } from '../../server/storage/wave-store.js';
import { councilMailSender, planInvitations, queueInvitationEmails } from '../../server/waves/index.js';
import { startSmtpServer, type SmtpBehaviour, type SmtpTestServer } from '../support/smtp-test-server.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, identifiableStoreBytes } from './helpers.js';

/**
 * Issue 17: invitations by email through a real SMTP server (its own process), from `invite --send`: the
 * link reaches the council in the message and nowhere else; a temporary refusal is tried again, a
 * permanent one is reported; a sender killed in the middle of a batch loses no message and sends none twice.
 */
const tempDir = useTempDirs();
const WAVE = '2021-06';
const roster = [
  { localAuthority: 'fife', name: 'Fiona Fife', email: 'cswo@fife.example' },
  { localAuthority: 'highland', name: 'Hamish Highland', email: 'cswo@highland.example' },
  { localAuthority: 'moray', name: 'Morag Moray', email: 'cswo@moray.example' },
];
const linkPattern = /http:\/\/survey\.example\/i\/([A-Za-z0-9_-]{43})/g;

const mailEnv = ['SMTP_URL', 'MAIL_FROM', 'MAIL_PER_MINUTE'] as const;
let saved: Record<string, string | undefined> = {};
let smtp: SmtpTestServer | undefined;
beforeEach(() => {
  saved = Object.fromEntries(mailEnv.map((k) => [k, process.env[k]]));
});
afterEach(async () => {
  for (const k of mailEnv)
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  await smtp?.stop();
  smtp = undefined;
});

const setUp = async (behaviour: SmtpBehaviour = {}) => {
  smtp = await startSmtpServer(behaviour);
  Object.assign(process.env, { SMTP_URL: smtp.url, MAIL_FROM: 'Social Work Scotland, CSWO survey <surveys@sws.example>', MAIL_PER_MINUTE: '6000' });
  const cwd = tempDir();
  const created = await cli(cwd, [
    'wave',
    'create',
    '--wave',
    WAVE,
    '--name',
    'Survey 3',
    '--fielded',
    'June 2021',
    '--definition',
    'cswo-annual@2',
    '--closes',
    '2099-06-30',
  ]);
  expect(created.stderr).toBe('');
  const stores = await openStores({ dataDir: join(cwd, 'data') });
  await replaceRoster(stores.identifiable, WAVE, roster);
  await stores.close();
  return { cwd, dataDir: join(cwd, 'data') };
};

/** The outbox's sender as the running server would run it, `laterMs` from now. */
const sendDueLater = async (stores: Stores, dataDir: string, laterMs: number) => {
  const reading = readMailSettings(process.env);
  if (!reading.ok || !reading.settings) throw new Error('mail settings expected');
  const mailer = smtpMailer(reading.settings);
  try {
    return await councilMailSender(stores.identifiable, loadServerKey(dataDir), {
      settings: reading.settings,
      mailer,
      support: 'help@sws.example',
      now: () => Date.now() + laterMs,
    }).sendDue();
  } finally {
    mailer.close();
  }
};

const send = (cwd: string, extra: string[] = []) => cli(cwd, ['invite', '--wave', WAVE, '--base-url', 'http://survey.example', '--send', ...extra]);

describe('invitations by email (issue 17)', () => {
  it('emails each council its link, which opens the survey; the link is in the message and nowhere else', async () => {
    const { cwd, dataDir } = await setUp();
    const run = await send(cwd);
    expect(run.code, run.stderr).toBe(0);
    await smtp!.waitFor(() => smtp!.received.length === 3, 'three messages');
    expect(smtp!.received.map((m) => m.to[0]).sort()).toEqual(roster.map((r) => r.email).sort());
    for (const m of smtp!.received) {
      expect(m.from).toBe('surveys@sws.example');
      // One sender, its name with a comma kept whole.
      expect(m.fromHeader).toEqual([{ name: 'Social Work Scotland, CSWO survey', address: 'surveys@sws.example' }]);
      expect(m.subject).toBe('Invitation: Chief Social Work Officer survey, Survey 3');
      expect(m.text).toContain('30 June 2099');
      expect(m.messageId).toMatch(/^<[A-Za-z0-9_-]{43}@sws\.example>$/);
    }
    // Each link, from the text and the HTML alike, opens its own council's invitation.
    const stores = await openStores({ dataDir });
    const secrets: string[] = [];
    try {
      for (const r of roster) {
        const message = smtp!.received.find((m) => m.to[0] === r.email)!;
        expect(message.text).toContain(`Dear ${r.name},`);
        const [fromText] = [...message.text.matchAll(linkPattern)].map((m) => m[1]!);
        expect([...message.html!.matchAll(linkPattern)].map((m) => m[1])).toContain(fromText);
        expect((await findInvitationBySecret(stores.identifiable, fromText!))?.localAuthority).toBe(r.localAuthority);
        secrets.push(fromText!);
      }
      const audit = JSON.stringify(await listAuditEvents(stores.identifiable));
      expect(audit).toContain('mail.sent');
      for (const s of secrets) expect(audit).not.toContain(s);
      const outbox = await stores.identifiable.selectFrom('mail_outbox').selectAll().execute();
      expect(outbox.map((m) => [m.status, m.sealed_link])).toEqual(roster.map(() => ['sent', null]));
    } finally {
      await stores.close();
    }
    // Printed: what became of each message, never a link.
    expect(run.stdout.trim().split('\n').sort()).toEqual(roster.map((r) => `${r.localAuthority}\t${r.name}\t${r.email}\tsent`).sort());
    expect(run.stdout + run.stderr).not.toMatch(linkPattern);
    const held = await identifiableStoreBytes(dataDir);
    for (const s of secrets) expect(held).not.toContain(s);
  });

  it('tries a temporarily refused message again later, and reports a permanently refused one', async () => {
    const { cwd, dataDir } = await setUp({ tempFail: { 'cswo@highland.example': 1 }, permFail: ['cswo@moray.example'] });
    const run = await send(cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('fife\tFiona Fife\tcswo@fife.example\tsent');
    expect(run.stdout).toMatch(/highland\tHamish Highland\tcswo@highland\.example\tnot sent yet, tried again after .* UTC: 451 .*try later/);
    expect(run.stdout).toMatch(/moray\tMorag Moray\tcswo@moray\.example\tfailed: 550 .*No such mailbox/);
    expect(run.stderr).toContain('1 council could not be emailed');
    expect(smtp!.received.map((m) => m.to[0])).toEqual(['cswo@fife.example']);
    // The store as a backup would copy it while highland's message waits: its link is there only sealed.
    const whileQueued = await identifiableStoreBytes(dataDir);
    expect(whileQueued).toMatch(/v1\.[A-Za-z0-9_-]{60,}/);

    // A minute later (the first wait after a temporary refusal), the server's sender tries again.
    const stores = await openStores({ dataDir });
    try {
      const round = await sendDueLater(stores, dataDir, 61_000);
      expect(round.results.map((r) => [r.council, r.outcome])).toEqual([['highland', 'sent']]);
      await smtp!.waitFor(() => smtp!.received.length === 2, 'the retried message');
      const [highlandLink] = [...smtp!.received[1]!.text.matchAll(linkPattern)].map((m) => m[1]!);
      expect(highlandLink).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(whileQueued).not.toContain(highlandLink);
      const outbox = await stores.identifiable
        .selectFrom('mail_outbox')
        .select(['local_authority', 'status', 'attempts', 'sealed_link'])
        .orderBy('local_authority')
        .execute();
      expect(outbox.map((m) => [m.local_authority, m.status, Number(m.attempts), m.sealed_link])).toEqual([
        ['fife', 'sent', 1, null],
        ['highland', 'sent', 2, null],
        ['moray', 'failed', 1, null],
      ]);
      const actions = (await listAuditEvents(stores.identifiable)).map((e) => e.action).filter((a) => a.startsWith('mail.'));
      expect(actions.sort()).toEqual(['mail.failed', 'mail.retry', 'mail.sent', 'mail.sent']);
    } finally {
      await stores.close();
    }
  });

  it('keeps and shows a refusal that quotes the message with the link taken out', async () => {
    const { cwd, dataDir } = await setUp({ refuseQuoting: ['cswo@fife.example'] });
    const run = await send(cwd, ['--council', 'fife']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^fife\tFiona Fife\tcswo@fife\.example\tfailed: 554 .*blocked URL http:\/\/survey\.example\/i\/\[link\]\n$/);
    const stores = await openStores({ dataDir });
    try {
      const [row] = await stores.identifiable.selectFrom('mail_outbox').select(['status', 'last_error']).execute();
      expect(row).toMatchObject({ status: 'failed', last_error: expect.stringContaining('blocked URL http://survey.example/i/[link]') });
      expect(row!.last_error).not.toMatch(linkPattern);
    } finally {
      await stores.close();
    }
  });

  it('loses no message and sends none twice when the sender is killed in the middle of a batch', async () => {
    // The second message is read but never answered: the sender is killed waiting for the reply.
    const { dataDir } = await setUp({ holdMessage: 2 });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './server/pages/register-svelte.mjs',
        'server/cli/main.ts',
        'invite',
        '--data',
        dataDir,
        '--wave',
        WAVE,
        '--base-url',
        'http://survey.example',
        '--send',
      ],
      { cwd: join(import.meta.dirname, '..', '..'), env: { ...process.env }, stdio: 'ignore' },
    );
    const exited = new Promise((settle) => child.once('exit', settle));
    await smtp!.waitFor(() => smtp!.events.some((e) => e.holding === 2), 'the held message');
    child.kill('SIGKILL');
    await exited;
    expect(smtp!.received).toHaveLength(1);

    // Started again once the killed sender's claim has run out.
    const stores = await openStores({ dataDir });
    try {
      const round = await sendDueLater(stores, dataDir, defaultLeaseMs + 1000);
      expect(round.sent).toBe(2);
    } finally {
      await stores.close();
    }
    await smtp!.waitFor(() => smtp!.received.length === 3, 'every message');
    expect(smtp!.received.map((m) => m.to[0]).sort()).toEqual(roster.map((r) => r.email).sort());
    expect(new Set(smtp!.received.map((m) => m.messageId)).size).toBe(3);
  });

  it('refuses, changing nothing, when email is not set up or the mail server refuses the login', async () => {
    const { cwd, dataDir } = await setUp();
    delete process.env.SMTP_URL;
    const unset = await send(cwd);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('error: SMTP_URL: MAIL_FROM is set, so SMTP_URL is needed too');
    delete process.env.MAIL_FROM;
    expect((await send(cwd)).stderr).toContain('email is not set up: set SMTP_URL and MAIL_FROM');

    const wrong = new URL(smtp!.url);
    wrong.password = 'not-the-password';
    Object.assign(process.env, { SMTP_URL: wrong.toString(), MAIL_FROM: 'surveys@sws.example' });
    const refused = await send(cwd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the mail server at smtp:\/\/survey-sender@127\.0\.0\.1:\d+ cannot be used: 535 .*; nothing was changed/);
    expect(refused.stderr).not.toContain('not-the-password');
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    // A support address the server would refuse is refused here too, before the messages carry it.
    Object.assign(process.env, { SMTP_URL: smtp!.url, SUPPORT_EMAIL: 'help desk' });
    try {
      expect(await send(cwd)).toEqual({
        code: 1,
        stdout: '',
        stderr: 'error: SUPPORT_EMAIL: expected an email address, such as admin@socialworkscotland.org\n',
      });
    } finally {
      delete process.env.SUPPORT_EMAIL;
    }

    const stores = await openStores({ dataDir });
    try {
      expect(await stores.identifiable.selectFrom('invitation').select('id').execute()).toEqual([]);
      expect(await stores.identifiable.selectFrom('mail_outbox').select('id').execute()).toEqual([]);
    } finally {
      await stores.close();
    }
    expect(smtp!.received).toEqual([]);
  });

  it('replaces a queued message when its council is given a new link before it goes', async () => {
    // Put off by the mail server, so still queued when the council gets a new link.
    const { cwd, dataDir } = await setUp({ tempFail: { 'cswo@fife.example': 1 } });
    const first = await send(cwd, ['--council', 'fife']);
    expect(first.stdout).toContain('not sent yet');
    const again = await send(cwd, ['--council', 'fife', '--reissue']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('fife\tFiona Fife\tcswo@fife.example\tsent\n');
    const stores = await openStores({ dataDir });
    try {
      const outbox = await stores.identifiable.selectFrom('mail_outbox').select(['status', 'sealed_link']).orderBy('queued_at').execute();
      expect(outbox).toEqual([
        { status: 'replaced', sealed_link: null },
        { status: 'sent', sealed_link: null },
      ]);
      // Later, nothing is left to send: the replaced message never goes with its dead link.
      const round = await sendDueLater(stores, dataDir, 3_600_000);
      expect(round.results).toEqual([]);
      expect(smtp!.received).toHaveLength(1);
      const [link] = [...smtp!.received[0]!.text.matchAll(linkPattern)].map((m) => m[1]!);
      expect((await findInvitationBySecret(stores.identifiable, link!))?.localAuthority).toBe('fife');
    } finally {
      await stores.close();
    }
  });
});

describe('reminders by email (issue 17)', () => {
  const printedLinks = async (cwd: string) => {
    const printed = await cli(cwd, ['invite', '--wave', WAVE, '--base-url', 'http://survey.example']);
    expect(printed.code, printed.stderr).toBe(0);
    return new Map(
      printed.stdout
        .trim()
        .split('\n')
        .map((l) => [l.split('\t')[0]!, l.split('\t')[3]!.replace('http://survey.example/i/', '')]),
    );
  };

  it('lists, then sends, a part-one reminder with a further link to each invited council that has not submitted part one', async () => {
    const { cwd, dataDir } = await setUp();
    const links = await printedLinks(cwd);
    const stores = await openStores({ dataDir });
    await insertPartOneResponses(stores.identifiable, WAVE, [{ localAuthority: 'fife', answers: { local_authority: 'fife' } }]);
    await stores.close();

    const listing = await cli(cwd, ['remind', '--wave', WAVE, '--part', 'one']);
    expect(listing.code, listing.stderr).toBe(0);
    expect(listing.stdout).toBe('highland\tHamish Highland\tcswo@highland.example\nmoray\tMorag Moray\tcswo@moray.example\n');
    expect(listing.stderr).toContain('1 council already submitted part one: fife');
    expect(listing.stderr).toContain('2 councils would be reminded of part one: add --send to email them');

    const sent = await cli(cwd, ['remind', '--wave', WAVE, '--part', 'one', '--send', '--base-url', 'http://survey.example']);
    expect(sent.code, sent.stderr).toBe(0);
    await smtp!.waitFor(() => smtp!.received.length === 2, 'two reminders');
    expect(smtp!.received.map((m) => m.to[0]).sort()).toEqual(['cswo@highland.example', 'cswo@moray.example']);
    const check = await openStores({ dataDir });
    try {
      for (const m of smtp!.received) {
        expect(m.subject).toBe('Reminder: Chief Social Work Officer survey, Survey 3');
        const [link] = [...m.text.matchAll(linkPattern)].map((x) => x[1]!);
        const council = m.to[0] === 'cswo@highland.example' ? 'highland' : 'moray';
        // The reminder's link opens the council's invitation, and so does the one it was given first.
        expect((await findInvitationBySecret(check.identifiable, link!))?.localAuthority).toBe(council);
        expect((await findInvitationBySecret(check.identifiable, links.get(council)!))?.localAuthority).toBe(council);
      }
      expect((await listAuditEvents(check.identifiable)).some((e) => e.action === 'reminder.email' && JSON.stringify(e.detail).includes('"part":"one"'))).toBe(
        true,
      );
    } finally {
      await check.close();
    }
    expect(sent.stdout + sent.stderr).not.toMatch(linkPattern);

    // A new link issued by an administrator stops the reminder's link as well as the first one.
    const highlandReminder = [...smtp!.received.find((m) => m.to[0] === 'cswo@highland.example')!.text.matchAll(linkPattern)][0]![1]!;
    expect((await cli(cwd, ['invite', '--wave', WAVE, '--council', 'highland', '--reissue'])).code).toBe(0);
    const after = await openStores({ dataDir });
    try {
      expect(await findInvitationBySecret(after.identifiable, highlandReminder)).toBeUndefined();
      expect(await findInvitationBySecret(after.identifiable, links.get('highland')!)).toBeUndefined();
    } finally {
      await after.close();
    }
  });

  it('refuses to remind anyone of a wave closed to answers, queueing nothing', async () => {
    const { cwd, dataDir } = await setUp();
    await printedLinks(cwd);
    expect((await cli(cwd, ['wave', 'close', '--wave', WAVE])).code).toBe(0);
    const refused = await cli(cwd, ['remind', '--wave', WAVE, '--part', 'one', '--send', '--base-url', 'http://survey.example']);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(
      `error: wave ${WAVE} is closed to answers: a reminder would ask councils to answer a survey that takes no answers; nothing was sent (wave open --wave ${WAVE} opens it)\n`,
    );
    const stores = await openStores({ dataDir });
    try {
      expect(await stores.identifiable.selectFrom('mail_outbox').selectAll().execute()).toEqual([]);
      expect(await stores.identifiable.selectFrom('invitation_link').selectAll().execute()).toEqual([]);
    } finally {
      await stores.close();
    }
    expect(smtp!.received).toEqual([]);
  });

  it('never sends a queued part-one reminder once its council has been given a new link, which stopped the link it carries', async () => {
    // Put off by the mail server, so still queued when an administrator reissues the council's link.
    const { cwd, dataDir } = await setUp({ tempFail: { 'cswo@highland.example': 1 } });
    await printedLinks(cwd);
    const reminded = await cli(cwd, ['remind', '--wave', WAVE, '--part', 'one', '--send', '--council', 'highland', '--base-url', 'http://survey.example']);
    expect(reminded.stdout, reminded.stderr).toContain('not sent yet');
    expect((await cli(cwd, ['invite', '--wave', WAVE, '--council', 'highland', '--reissue'])).code).toBe(0);
    const stores = await openStores({ dataDir });
    try {
      const outbox = await stores.identifiable.selectFrom('mail_outbox').select(['purpose', 'status', 'sealed_link']).execute();
      expect(outbox).toEqual([{ purpose: 'part-one-reminder', status: 'replaced', sealed_link: null }]);
      const round = await sendDueLater(stores, dataDir, 3_600_000);
      expect(round.results).toEqual([]);
      expect(smtp!.received).toEqual([]);
    } finally {
      await stores.close();
    }
  });

  it('sends a part-two reminder to every council that submitted part one, with the address for the code and no secret', async () => {
    const { cwd, dataDir } = await setUp();
    await printedLinks(cwd);
    const stores = await openStores({ dataDir });
    await insertPartOneResponses(stores.identifiable, WAVE, [
      { localAuthority: 'fife', answers: { local_authority: 'fife' } },
      { localAuthority: 'moray', answers: { local_authority: 'moray' } },
    ]);
    await stores.close();
    // Without --part, both reminders are listed, each line saying which.
    const both = await cli(cwd, ['remind', '--wave', WAVE]);
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout.trim().split('\n')).toEqual([
      'highland\tHamish Highland\tcswo@highland.example\tpart one',
      'fife\tFiona Fife\tcswo@fife.example\tpart two',
      'moray\tMorag Moray\tcswo@moray.example\tpart two',
    ]);
    expect(smtp!.received).toEqual([]);
    const sent = await cli(cwd, ['remind', '--wave', WAVE, '--part', 'two', '--send', '--base-url', 'http://survey.example']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).toContain('1 council not reminded of part two, as part one is not submitted yet: highland');
    await smtp!.waitFor(() => smtp!.received.length === 2, 'two reminders');
    expect(smtp!.received.map((m) => m.to[0]).sort()).toEqual(['cswo@fife.example', 'cswo@moray.example']);
    for (const m of smtp!.received) {
      expect(m.subject).toBe('Reminder: part two of the Chief Social Work Officer survey, Survey 3');
      expect(m.text).toContain('http://survey.example/part-two/resume');
      expect(m.text).toContain('If you have already submitted part two, thank you');
      expect(m.text).not.toMatch(linkPattern);
    }
    expect(sent.stdout.trim().split('\n').sort()).toEqual(['fife\tFiona Fife\tcswo@fife.example\tsent', 'moray\tMorag Moray\tcswo@moray.example\tsent']);
  });
});

describe('the server sends the outbox (issue 17)', () => {
  it('says at start whether the mail server can be used, and sends what waits in the outbox', async () => {
    const { dataDir } = await setUp();
    const reading = readMailSettings(process.env);
    if (!reading.ok || !reading.settings) throw new Error('mail settings expected');
    // Queued while no server runs: the council's link and its message, nothing sent.
    const stores = await openStores({ dataDir });
    const wave = (await findStoredWave(stores.identifiable, WAVE))!;
    const plan = await planInvitations(stores.identifiable, WAVE, { councils: ['highland'], reissue: false });
    await queueInvitationEmails(stores, loadServerKey(dataDir), wave, plan.toIssue, { actor: null, now: Date.now() }, 'http://survey.example');
    await stores.close();
    expect(smtp!.received).toEqual([]);

    const logged: string[] = [];
    const server = await startServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      seedWhenEmpty: false,
      mail: reading.settings,
      mailEveryMs: 100,
      log: (m) => logged.push(m),
    });
    try {
      await smtp!.waitFor(() => smtp!.received.length === 1, 'the queued message');
      expect(smtp!.received[0]!.to).toEqual(['cswo@highland.example']);
      // The link in the message opens the survey on the server: exchanged for a session, then part one.
      const [secret] = [...smtp!.received[0]!.text.matchAll(linkPattern)].map((m) => m[1]!);
      const opened = await fetch(`${server.url}/i/${secret}`, { redirect: 'manual' });
      expect(opened.status).toBe(303);
      expect(opened.headers.getSetCookie().length).toBeGreaterThan(0);
      const survey = await fetch(new URL(opened.headers.get('location')!, server.url), {
        headers: {
          cookie: opened.headers
            .getSetCookie()
            .map((c) => c.split(';')[0])
            .join('; '),
        },
        redirect: 'manual',
      });
      expect(survey.status).toBe(200);
      expect(await survey.text()).toContain('Highland');
      expect(logged.join('\n')).toMatch(
        /email: sending through smtp:\/\/survey-sender@127\.0\.0\.1:\d+ as Social Work Scotland, CSWO survey <surveys@sws\.example>/,
      );
      expect(logged.join('\n')).not.toMatch(linkPattern);
    } finally {
      await server.stop();
    }

    const wrong = { ...reading.settings, url: reading.settings.url.replace(encodeURIComponent('pa:ss/w@rd'), 'wrong') };
    const refusedLog: string[] = [];
    const again = await startServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      seedWhenEmpty: false,
      mail: wrong,
      mailEveryMs: 100,
      log: (m) => refusedLog.push(m),
    });
    await again.stop();
    expect(refusedLog.join('\n')).toMatch(
      /email: the mail server at smtp:\/\/survey-sender@127\.0\.0\.1:\d+ cannot be used: 535 .*; messages wait in the outbox until it can be used/,
    );
    expect(refusedLog.join('\n')).not.toContain('wrong');
  });
});

describe('the connection to the mail server', () => {
  it('requires STARTTLS over smtp:// unless the server is on this machine; smtps:// is encrypted from the start', () => {
    expect(transportOptions('smtp://u:p@mail.example.org:587')).toEqual({ url: 'smtp://u:p@mail.example.org:587', requireTLS: true });
    expect(transportOptions('smtp://10.0.0.5:25').requireTLS).toBe(true);
    for (const local of ['smtp://localhost:1025', 'smtp://127.0.0.1:2525', 'smtp://127.1.2.3:25', 'smtp://[::1]:25'])
      expect(transportOptions(local).requireTLS, local).toBe(false);
    expect(transportOptions('smtps://u:p@mail.example.org:465').requireTLS).toBe(false);
  });
});

describe('sealed text', () => {
  it('opens only with the same key, purpose and row', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = sealText(key, 'mail-outbox-link', 'row-1', 'http://survey.example/i/abc');
    expect(sealed).not.toContain('abc');
    expect(openSealedText(key, 'mail-outbox-link', 'row-1', sealed)).toBe('http://survey.example/i/abc');
    expect(openSealedText(key, 'mail-outbox-link', 'row-2', sealed)).toBeUndefined();
    expect(openSealedText(key, 'other', 'row-1', sealed)).toBeUndefined();
    expect(openSealedText(Buffer.alloc(32, 8), 'mail-outbox-link', 'row-1', sealed)).toBeUndefined();
    expect(openSealedText(key, 'mail-outbox-link', 'row-1', `${sealed.slice(0, -2)}AA`)).toBeUndefined();
  });
});
