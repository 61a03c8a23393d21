import type { Context } from 'hono';
import MailPreviewPage from '../../web/staff/MailPreviewPage.svelte';
import RemindersPage from '../../web/staff/RemindersPage.svelte';
import { csrfToken } from '../http/csrf-protection.js';
import { pathTo } from '../http/route-paths.js';
import { sendPage, supportEmailOf } from '../pages/send-page.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice, waveOf } from '../staff/staff-pages.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { planReminders, previewCouncilMail, queueReminders, reminderVersion, WaveNotOpen, type ReminderPart, type ReminderPlan } from './council-mail.js';
import { SubmittedMeanwhile } from './invitation-issue.js';
import { identifiableViewAction } from './wave-changes.js';

/** What the pages say when SMTP_URL and MAIL_FROM are not set. */
export const emailNotSetUp =
  'Email is not set up on this server, so nothing can be sent from here. Whoever runs the server can set it up (SMTP_URL and MAIL_FROM: see the README). Until then, send links from the invitations page by hand.';

const partText = {
  one: {
    heading: 'Part one',
    explanation:
      'Every invited council that has not submitted part one. Each reminder carries a new personal link; the links the council already has keep working, and its saved answers are kept.',
    purpose: 'part-one-reminder',
  },
  two: {
    heading: 'Part two',
    explanation:
      'Every council that has submitted part one, worded for those who have not finished part two: part two is anonymous, so whether a council has finished it is recorded nowhere, and the reminder cannot leave out those who have. It gives the address where the part-two code is typed, no link of its own.',
    purpose: 'part-two-reminder',
  },
} as const;

/** The reminder a route's `:reminder` names: `part-one` or `part-two` (its pattern admits no other). */
const partOf = (c: Context): ReminderPart => (c.req.param('reminder') === 'part-two' ? 'two' : 'one');

const names = (rows: readonly { council: string }[]) => rows.map((r) => r.council).join(', ');

/** Lines under a part's table: who is left out, and why. */
const leftOut = (part: ReminderPart, plan: ReminderPlan): string[] => [
  ...(plan.notInvited.length > 0 ? [`Not invited yet, so not reminded: ${names(plan.notInvited)}.`] : []),
  ...(plan.notConcerned.length > 0
    ? [
        part === 'one'
          ? `Submitted part one: ${names(plan.notConcerned)}.`
          : `Not reminded of part two, as part one is not submitted yet: ${names(plan.notConcerned)}.`,
      ]
    : []),
];

/**
 * `/staff/waves/:wave/reminders`: who a reminder would go to, part by part (names: each view is audited),
 * and for each part the page that shows the exact message and sends it, only after confirmation and only
 * when email is set up. What became of each message is on the response monitor.
 */
export const reminderPages = ({ stores, key, now, publicUrl, mail }: StaffRouteDependencies) => {
  const db = stores.identifiable;
  const baseOf = (c: Context) => publicUrl ?? new URL(c.req.url).origin;
  const viewed = (c: Context<StaffEnv>, page: string, wave: string) =>
    appendAuditEvent(db, { actor: c.get('staff').user.id, action: identifiableViewAction, detail: { page, wave }, at: now() });
  const monitor = (wave: string) => ({ href: pathTo(staffPaths.waveResponses, { wave }), text: 'Go to the response monitor' });

  const preview = async (c: Context<StaffEnv>, part: ReminderPart) => {
    const wave = waveOf(c);
    const plan = await planReminders(db, wave.id, part);
    const first = plan.toRemind[0];
    const shown = first ?? { council: 'example', name: 'Name of the officer', email: 'officer@council.example' };
    const message = await previewCouncilMail(db, wave, partText[part].purpose, shown, { baseUrl: baseOf(c), support: supportEmailOf(c) });
    return sendPage(c, MailPreviewPage, {
      account: accountOf(c, key)!,
      label: `Reminders by email · ${wave.fielded}`,
      heading: `Send the part ${part} reminder: ${wave.name}`,
      intro: [partText[part].explanation],
      recipients: plan.toRemind.map((r) => ({ council: r.council, name: r.name, email: r.email })),
      message: { from: mail?.from ?? '(email is not set up)', to: message.to, subject: message.subject, text: message.text },
      ...(part === 'one' ? { note: "Each council's message carries its own new link where this one shows the placeholder." } : {}),
      form: {
        action: pathTo(staffPaths.waveReminder, { wave: wave.id, reminder: `part-${part}` }),
        csrf: csrfToken(key, c.get('staffToken')),
        fields: [
          {
            name: 'version',
            value: await reminderVersion(
              db,
              wave.id,
              part,
              plan.toRemind.map((r) => r.council),
            ),
          },
        ],
      },
      button: plan.toRemind.length === 1 ? 'Send 1 reminder' : `Send ${plan.toRemind.length} reminders`,
      ...(mail ? {} : { notSetUp: emailNotSetUp }),
      cancel: { href: pathTo(staffPaths.waveReminders, { wave: wave.id }), text: 'Back to the reminders' },
    });
  };

  return {
    list: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      await viewed(c, 'wave reminders', wave.id);
      const parts = [];
      for (const part of ['one', 'two'] as const) {
        const plan = await planReminders(db, wave.id, part);
        parts.push({
          part,
          heading: partText[part].heading,
          explanation: partText[part].explanation,
          toRemind: plan.toRemind.map((r) => ({ council: r.council, name: r.name, email: r.email })),
          left: leftOut(part, plan),
          previewHref: pathTo(staffPaths.waveReminder, { wave: wave.id, reminder: `part-${part}` }),
        });
      }
      return sendPage(c, RemindersPage, {
        account: accountOf(c, key)!,
        wave: { name: wave.name, fielded: wave.fielded },
        parts,
        ...(mail ? {} : { notSetUp: emailNotSetUp }),
        monitorHref: pathTo(staffPaths.waveResponses, { wave: wave.id }),
        invitationsHref: pathTo(staffPaths.waveInvitations, { wave: wave.id }),
      });
    },
    preview: async (c: Context<StaffEnv>) => {
      const part = partOf(c);
      await viewed(c, `wave reminder, part ${part}`, waveOf(c).id);
      return preview(c, part);
    },
    send: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const part = partOf(c);
      const account = accountOf(c, key);
      if (!mail) return sendStaffNotice(c, 409, { title: 'Email is not set up', paragraphs: [emailNotSetUp], link: monitor(wave.id), account });
      const body = await c.req.parseBody({ all: true });
      const plan = await planReminders(db, wave.id, part);
      const councils = plan.toRemind.map((r) => r.council);
      if (body.version !== (await reminderVersion(db, wave.id, part, councils)))
        return sendStaffNotice(c, 409, {
          title: 'Nothing was sent',
          paragraphs: [
            'These reminders have been sent already, or who they go to changed after the page was opened (was the form sent twice?). Open the reminders page again to see who would get one now.',
          ],
          link: { href: pathTo(staffPaths.waveReminders, { wave: wave.id }), text: 'Go to the reminders' },
          account,
        });
      try {
        await queueReminders(db, key, wave, part, plan.toRemind, { actor: c.get('staff').user.id, now: now() }, baseOf(c));
      } catch (error) {
        if (error instanceof WaveNotOpen)
          return sendStaffNotice(c, 409, {
            title: 'Nothing was sent',
            paragraphs: [
              `${wave.name} is ${error.status === 'closed' ? 'closed to answers' : 'not open to answers yet'}: a reminder would ask councils to answer a survey that takes no answers. Open it to answers on the waves page first.`,
            ],
            link: { href: staffPaths.waves, text: 'Go to the waves' },
            account,
          });
        if (!(error instanceof SubmittedMeanwhile)) throw error;
        return sendStaffNotice(c, 409, {
          title: 'Nothing was sent',
          paragraphs: [`${error.councils.join(', ')} submitted part one meanwhile. Open the reminders page again to see who would get one now.`],
          link: { href: pathTo(staffPaths.waveReminders, { wave: wave.id }), text: 'Go to the reminders' },
          account,
        });
      }
      mail.sendSoon();
      return sendStaffNotice(c, 200, {
        title: councils.length === 1 ? 'The reminder is being sent' : `${councils.length} reminders are being sent`,
        paragraphs: [
          `The part ${part} reminder is on its way to ${names(plan.toRemind)}. A message the mail server puts off is tried again later; the response monitor shows what became of each.`,
        ],
        link: monitor(wave.id),
        account,
      });
    },
  };
};
