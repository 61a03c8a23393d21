import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { sendNotice } from '../pages/send-page.js';
import { staffPaths } from '../staff/staff-context.js';
import { sendStaffNotice } from '../staff/staff-pages.js';

/**
 * The refusals the app makes itself, around every feature's routes (a body too large, a NUL character,
 * no such page, an unexpected error): one function tells them, choosing the reader's form. Staff get the
 * staff page with the way home, respondents the survey's page, and the API (`/api`) JSON.
 */

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/');

export const isStaffPath = (path: string) => path === staffPaths.home || path.startsWith(`${staffPaths.home}/`);

export interface Refusal {
  /** What staff read (the page adds the link to the staff home). */
  readonly staff: { readonly title: string; readonly paragraphs: readonly string[] };
  /** What a respondent (or anyone outside /staff and /api) reads. */
  readonly respondent: { readonly title: string; readonly paragraphs: readonly string[] };
  /** The API's `error`. */
  readonly api: string;
}

export const refuse = (c: Context, status: ContentfulStatusCode, refusal: Refusal) =>
  isStaffPath(c.req.path)
    ? sendStaffNotice(c, status, { ...refusal.staff, link: { href: staffPaths.home, text: 'Go to the staff home page' } })
    : isApiPath(c.req.path)
      ? c.json({ error: refusal.api }, status)
      : sendNotice(c, status, refusal.respondent);
