import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import ConfirmActionPage from '../../web/staff/ConfirmActionPage.svelte';
import PersonRequestsPage from '../../web/staff/PersonRequestsPage.svelte';
import { csrfToken } from '../http/csrf-protection.js';
import { formErrors, type FieldProblem } from '../pages/field-problems.js';
import { sendPage } from '../pages/send-page.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf } from '../staff/staff-pages.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { StoreRewriteBlocked } from './retention.js';
import { erasePerson, findPerson, partTwoExplanation, personAuditActions, personCsv, personJson, type PersonRecord } from './subject-access.js';

/**
 * `/staff/people` (admins): a CSWO's requests on a page, as `person show` and `person erase` do them. The
 * address travels in POST bodies only, never in an address or a log; looking, downloading and erasing are
 * audited with the waves and councils, never the address; erasing needs a reason and a confirmation.
 */
export const personPages = ({ stores, key, now }: StaffRouteDependencies) => {
  const db = stores.identifiable;

  const render = async (
    c: Context<StaffEnv>,
    status: ContentfulStatusCode,
    { email = '', record, problems = [], notice }: { email?: string; record?: PersonRecord; problems?: readonly FieldProblem[]; notice?: string } = {},
  ) =>
    sendPage(
      c,
      PersonRequestsPage,
      {
        account: accountOf(c, key)!,
        action: staffPaths.people,
        csrf: csrfToken(key, c.get('staffToken')),
        email,
        ...(record
          ? {
              found: record.entries.map((e) => ({
                wave: e.wave,
                council: e.council,
                name: e.name,
                invited: e.invited,
                partOne: e.partOne ? 'sent' : e.partOneDraft ? 'draft' : 'none',
                messages: e.messages.length,
              })),
            }
          : {}),
        partTwo: partTwoExplanation,
        ...(notice ? { notice } : {}),
        ...formErrors(problems),
      },
      status,
      // The page shows the address that was sent: not compressed beside the CSRF token's masks (BREACH).
      { reflectsRequest: true },
    );

  const looked = (c: Context<StaffEnv>, record: PersonRecord, detail: Record<string, unknown>) =>
    appendAuditEvent(db, {
      actor: c.get('staff').user.id,
      action: personAuditActions.access,
      detail: { entries: record.entries.map((e) => `${e.wave}/${e.council}`), ...detail },
      at: now(),
    });

  return {
    form: (c: Context<StaffEnv>) => render(c, 200),
    act: async (c: Context<StaffEnv>) => {
      const body = await c.req.parseBody();
      const email = typeof body.email === 'string' ? body.email.trim() : '';
      if (email === '') return render(c, 400, { problems: [{ field: 'email', message: 'Enter their email address' }] });
      const record = await findPerson(db, email);
      if (body.step === 'download' && record.entries.length > 0) {
        const format = body.format === 'csv' ? 'csv' : 'json';
        await looked(c, record, { format });
        c.header('Cache-Control', 'no-store');
        c.header('Content-Disposition', `attachment; filename="person-${new Date(now()).toISOString().slice(0, 10)}.${format}"`);
        return format === 'csv'
          ? c.body(personCsv(record, { bom: true }), 200, { 'Content-Type': 'text/csv; charset=utf-8' })
          : c.body(personJson(record), 200, { 'Content-Type': 'application/json; charset=utf-8' });
      }
      if (body.step === 'erase' && record.entries.length > 0) {
        const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
        if (reason === '') return render(c, 400, { email, record, problems: [{ field: 'reason', message: 'Say why, for the audit log' }] });
        if (body.confirm !== 'yes')
          return sendPage(
            c,
            ConfirmActionPage,
            {
              account: accountOf(c, key)!,
              label: 'Data protection',
              heading: `Erase what is held about ${email}?`,
              consequences: [
                `Their roster entries go: ${record.entries.map((e) => `${e.wave} (${e.council})`).join(', ')}.`,
                "In those waves, their council's part one and draft, invitation, links and emails go too; the part one leaves that wave's tables.",
                partTwoExplanation,
              ],
              warning: 'This cannot be undone.',
              form: {
                action: staffPaths.people,
                csrf: csrfToken(key, c.get('staffToken')),
                fields: [
                  { name: 'step', value: 'erase' },
                  { name: 'email', value: email },
                  { name: 'reason', value: reason },
                ],
              },
              button: 'Erase it',
              cancel: { href: staffPaths.people, text: 'Cancel' },
            },
            200,
            { reflectsRequest: true },
          );
        let erased;
        try {
          erased = await erasePerson(stores, email, reason, { actor: c.get('staff').user.id, now: now() });
        } catch (error) {
          if (!(error instanceof StoreRewriteBlocked)) throw error;
          return render(c, 200, {
            notice: `Erased what was held about ${email} from the tables, but ${error.message}, then run "npm run cli -- retention apply", which rewrites the store.`,
          });
        }
        return render(c, 200, {
          notice: `Erased what was held about ${email}: ${erased.entries} roster entries, ${erased.partOnes} part ones, ${erased.invitations} invitations and ${erased.messages} emails.`,
        });
      }
      if (record.entries.length > 0) await looked(c, record, { page: 'person' });
      return render(c, 200, { email, record });
    },
  };
};
