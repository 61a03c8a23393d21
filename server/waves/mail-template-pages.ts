import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import MailTemplatePage from '../../web/staff/MailTemplatePage.svelte';
import MailTemplatesPage from '../../web/staff/MailTemplatesPage.svelte';
import { csrfToken } from '../http/csrf-protection.js';
import { pathTo } from '../http/route-paths.js';
import { formErrors, type FieldProblem } from '../pages/field-problems.js';
import { sendPage, supportEmailOf } from '../pages/send-page.js';
import { londonTime } from '../staff/london-time.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf } from '../staff/staff-pages.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import type { MailPurpose } from '../storage/mail-outbox-store.js';
import { findMailTemplate, removeMailTemplate, saveMailTemplate } from '../storage/mail-template-store.js';
import { findStaffUserById } from '../storage/staff-user-store.js';
import { defaultTemplates, placeholders, templateProblems, writeCouncilMail, type MailTemplate } from './council-mail-text.js';

export const mailTemplateAuditAction = 'mail.template.change';

const titles: Readonly<Record<MailPurpose, string>> = {
  invitation: 'Invitation',
  'part-one-reminder': 'Reminder of part one',
  'part-two-reminder': 'Reminder of part two',
};
const purposes = Object.keys(titles) as MailPurpose[];

/** The purpose a route's `:message` names (its pattern admits only these). */
const purposeOf = (c: Context): MailPurpose => c.req.param('message') as MailPurpose;

/**
 * `/staff/messages` (admins): the wording of each message the platform emails to councils, edited on its own
 * page with a preview as a council reads it. Saving checks the placeholders (an unknown one, a link missing
 * from the body) and writes `mail.template.change`; the platform's own wording can be taken back.
 */
export const mailTemplatePages = ({ stores, key, now }: StaffRouteDependencies) => {
  const db = stores.identifiable;

  const wordingOf = async (purpose: MailPurpose) => {
    const stored = await findMailTemplate(db, purpose);
    if (!stored) return { template: defaultTemplates[purpose], wording: "the platform's own", custom: false };
    const by = await findStaffUserById(db, stored.updatedBy);
    return {
      template: { subject: stored.subject, body: stored.body },
      wording: `edited by ${by?.email ?? 'an account since removed'} on ${londonTime(stored.updatedAt).text}`,
      custom: true,
    };
  };

  const render = async (
    c: Context<StaffEnv>,
    purpose: MailPurpose,
    status: ContentfulStatusCode,
    { typed, problems = [], notice }: { typed?: MailTemplate; problems?: readonly FieldProblem[]; notice?: string } = {},
  ) => {
    const { template, wording, custom } = await wordingOf(purpose);
    const example = writeCouncilMail(template, {
      name: 'Alex Example',
      council: 'Example Council',
      wave: 'Survey 2027',
      closes: '30 June 2027',
      link: purpose === 'part-two-reminder' ? 'https://survey.example/part-two/resume' : 'https://survey.example/i/(the council’s own link)',
      support: supportEmailOf(c),
    });
    return sendPage(
      c,
      MailTemplatePage,
      {
        account: accountOf(c, key)!,
        title: titles[purpose],
        values: typed ?? template,
        placeholders: placeholders.map((p) => ({ name: p.name, means: p.means })),
        preview: { subject: example.subject, text: example.text },
        wording,
        ...(notice ? { notice } : {}),
        form: { action: pathTo(staffPaths.message, { message: purpose }), csrf: csrfToken(key, c.get('staffToken')), custom },
        ...formErrors(problems),
        backHref: staffPaths.messages,
      },
      status,
    );
  };

  return {
    list: async (c: Context<StaffEnv>) => {
      const messages = [];
      for (const purpose of purposes)
        messages.push({ title: titles[purpose], href: pathTo(staffPaths.message, { message: purpose }), wording: (await wordingOf(purpose)).wording });
      return sendPage(c, MailTemplatesPage, { account: accountOf(c, key)!, messages });
    },
    show: (c: Context<StaffEnv>) => render(c, purposeOf(c), 200),
    change: async (c: Context<StaffEnv>) => {
      const purpose = purposeOf(c);
      const body = await c.req.parseBody();
      const actor = c.get('staff').user.id;
      if (body.action === 'restore') {
        await db.transaction().execute(async (trx) => {
          await removeMailTemplate(trx, purpose);
          await appendAuditEvent(trx, { actor, action: mailTemplateAuditAction, detail: { message: purpose, wording: 'the platform’s own' }, at: now() });
        });
        return render(c, purpose, 200, { notice: "The message has the platform's own wording again." });
      }
      const typed = { subject: typeof body.subject === 'string' ? body.subject : '', body: typeof body.body === 'string' ? body.body : '' };
      const problems = templateProblems(typed);
      if (problems.length > 0) return render(c, purpose, 400, { typed, problems });
      await db.transaction().execute(async (trx) => {
        await saveMailTemplate(trx, purpose, { subject: typed.subject.trim(), body: typed.body }, { actor, now: now() });
        await appendAuditEvent(trx, { actor, action: mailTemplateAuditAction, detail: { message: purpose, wording: 'edited' }, at: now() });
      });
      return render(c, purpose, 200, { notice: 'Saved. Messages sent from now on use this wording.' });
    },
  };
};
