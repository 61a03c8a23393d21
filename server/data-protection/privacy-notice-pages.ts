import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import PrivacyNoticeEditPage from '../../web/staff/PrivacyNoticeEditPage.svelte';
import PrivacyNoticePage from '../../web/layout/PrivacyNoticePage.svelte';
import { privacyPath } from '../../web/layout/page-chrome.js';
import { csrfToken } from '../http/csrf-protection.js';
import { formErrors, type FieldProblem } from '../pages/field-problems.js';
import { sendPage, supportEmailOf } from '../pages/send-page.js';
import { londonDate, londonTime } from '../staff/london-time.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf } from '../staff/staff-pages.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { findPrivacyNotice, savePrivacyNotice } from '../storage/privacy-notice-store.js';
import { findStaffUserById } from '../storage/staff-user-store.js';
import { defaultPrivacyNotice, noticeBlocks, noticeMaxLength, operatorGaps } from './privacy-notice-text.js';

export const privacyNoticeAuditAction = 'privacy.notice.change';

/**
 * The privacy notice: `/privacy` for everyone (linked from every footer and the survey's start page), and
 * `/staff/privacy-notice` where an administrator writes it, starting from the platform's default with its
 * gaps marked for the operator. A change is audited.
 */
export const privacyNoticePages = ({ stores, key, now }: StaffRouteDependencies) => {
  const db = stores.identifiable;

  const current = async () => {
    const stored = await findPrivacyNotice(db);
    if (!stored) return { text: defaultPrivacyNotice, wording: "the platform's default", updatedAt: undefined };
    const by = await findStaffUserById(db, stored.updatedBy);
    return {
      text: stored.text,
      wording: `as ${by?.email ?? 'an account since removed'} saved it on ${londonTime(stored.updatedAt).text}`,
      updatedAt: stored.updatedAt,
    };
  };

  const renderEdit = async (
    c: Context<StaffEnv>,
    status: ContentfulStatusCode,
    { typed, problems = [], notice }: { typed?: string; problems?: readonly FieldProblem[]; notice?: string } = {},
  ) => {
    const saved = await current();
    return sendPage(
      c,
      PrivacyNoticeEditPage,
      {
        account: accountOf(c, key)!,
        text: typed ?? saved.text,
        gaps: operatorGaps(saved.text),
        wording: saved.wording,
        ...(notice ? { notice } : {}),
        form: { action: staffPaths.privacyNotice, csrf: csrfToken(key, c.get('staffToken')) },
        ...formErrors(problems),
        publicHref: privacyPath,
      },
      status,
    );
  };

  return {
    read: async (c: Context) => {
      const saved = await current();
      return sendPage(c, PrivacyNoticePage, {
        blocks: noticeBlocks(saved.text, supportEmailOf(c)),
        ...(saved.updatedAt === undefined ? {} : { updated: londonDate(saved.updatedAt).text }),
      });
    },
    edit: (c: Context<StaffEnv>) => renderEdit(c, 200),
    save: async (c: Context<StaffEnv>) => {
      const body = await c.req.parseBody();
      const text = typeof body.text === 'string' ? body.text : '';
      const problems: FieldProblem[] = [];
      if (text.trim() === '') problems.push({ field: 'text', message: 'Enter the privacy notice' });
      else if ([...text].length > noticeMaxLength)
        problems.push({ field: 'text', message: `The notice must be ${noticeMaxLength.toLocaleString('en-GB')} characters or fewer` });
      if (problems.length > 0) return renderEdit(c, 400, { typed: text, problems });
      const actor = c.get('staff').user.id;
      await db.transaction().execute(async (trx) => {
        await savePrivacyNotice(trx, text, { actor, now: now() });
        await appendAuditEvent(trx, { actor, action: privacyNoticeAuditAction, detail: { gaps: operatorGaps(text).length }, at: now() });
      });
      return renderEdit(c, 200, { notice: 'Saved. Respondents now read this notice.' });
    },
  };
};
