import type { Context } from 'hono';
import AuditLogPage from '../../web/staff/AuditLogPage.svelte';
import { sendPage } from '../pages/send-page.js';
import { londonTime } from '../staff/london-time.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice } from '../staff/staff-pages.js';
import { auditActionsInLog, countAuditEvents, listAuditEventsNewestFirst, type AuditEventWithActor } from '../storage/audit-log-store.js';

export const auditPageSize = 50;

const pageNumber = /^[1-9][0-9]{0,6}$/;

/** The event's detail in a line: `wave: 2020-06; councils: fife, angus`. */
const detailText = (detail: Readonly<Record<string, unknown>>) =>
  Object.entries(detail)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') || 'none' : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join('; ');

/** Who acted: an account's email, or what acted for nobody (`via`: the command line, the email sender), or nobody signed in (a failed sign-in). */
const whoText = (e: AuditEventWithActor) => e.actorEmail ?? (typeof e.detail.via === 'string' ? e.detail.via : 'not signed in');

/**
 * `/staff/audit`: the audit log (admins only), newest first, 50 events a page, optionally one action.
 * Reading it is not itself audited: it shows staff activity, not a respondent's data.
 */
export const auditLogPage =
  ({ stores, key }: StaffRouteDependencies) =>
  async (c: Context<StaffEnv>) => {
    const db = stores.identifiable;
    const action = (c.req.query('action') ?? '').slice(0, 100);
    const pageText = c.req.query('page') ?? '1';
    // The action filter is free text from the address; shown back, it is sent uncompressed unless it is one
    // of the log's own actions, which the page lists anyway.
    const notFound = (paragraph: string) =>
      sendStaffNotice(
        c,
        404,
        {
          title: 'Page not found',
          paragraphs: [paragraph],
          link: { href: staffPaths.audit, text: 'Go to the newest events' },
          account: accountOf(c, key),
        },
        { reflectsRequest: action !== '' },
      );
    if (!pageNumber.test(pageText)) return notFound('The page number in the address is not a page of the audit log.');
    const page = Number(pageText);
    const filter = action === '' ? {} : { action };
    const total = await countAuditEvents(db, filter);
    const pages = Math.max(1, Math.ceil(total / auditPageSize));
    if (page > pages) return notFound(`The audit log has ${pages} page${pages === 1 ? '' : 's'} of events${action ? ` of the action ${action}` : ''}.`);
    const events = await listAuditEventsNewestFirst(db, { ...filter, limit: auditPageSize, offset: (page - 1) * auditPageSize });
    const href = (n: number) => {
      const params = new URLSearchParams();
      if (action) params.set('action', action);
      if (n > 1) params.set('page', String(n));
      const query = params.toString();
      return query ? `${staffPaths.audit}?${query}` : staffPaths.audit;
    };
    const actions = await auditActionsInLog(db);
    return sendPage(
      c,
      AuditLogPage,
      {
        account: accountOf(c, key)!,
        events: events.map((e) => ({ id: e.id, when: londonTime(e.at), who: whoText(e), action: e.action, details: detailText(e.detail) })),
        actions,
        action,
        total,
        page,
        pages,
        previousHref: page > 1 ? href(page - 1) : undefined,
        nextHref: page < pages ? href(page + 1) : undefined,
        filterAction: staffPaths.audit,
      },
      200,
      { reflectsRequest: action !== '' && !actions.includes(action) },
    );
  };
