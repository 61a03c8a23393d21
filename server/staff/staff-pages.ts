import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import StaffNoticePage from '../../web/staff/StaffNoticePage.svelte';
import type { StaffAccount } from '../../web/staff/staff-page-types.js';
import { csrfToken } from '../http/csrf-protection.js';
import { sendPage } from '../pages/send-page.js';
import { roleLabels, staffPaths, type StaffEnv } from './staff-context.js';

/** The account panel of a signed-in page (with its sign-out form), or undefined when nobody is signed in. */
export const accountOf = (c: Context<StaffEnv>, key: Buffer): StaffAccount | undefined => {
  const staff = c.get('staff');
  const token = c.get('staffToken');
  if (!staff || !token) return undefined;
  return { email: staff.user.email, role: roleLabels[staff.user.role], signOut: { action: staffPaths.signOut, csrf: csrfToken(key, token) } };
};

export interface StaffNotice {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly link?: { href: string; text: string };
  readonly account?: StaffAccount;
}

export const sendStaffNotice = (c: Context, status: ContentfulStatusCode, notice: StaffNotice) => sendPage(c, StaffNoticePage, { ...notice }, status);

/**
 * 401: nobody is signed in. When the browser sent a session that no longer exists (signed out elsewhere,
 * timed out and already swept, account disabled), the page says so.
 */
export const notSignedIn = (c: Context, { sessionEnded = false } = {}) =>
  sendStaffNotice(c, 401, {
    title: 'Sign in to see this page',
    paragraphs: [
      ...(sessionEnded ? ['Your session has ended. A session ends when you sign out, after 30 minutes without activity, or 8 hours after signing in.'] : []),
      'This page is for Social Work Scotland staff. Sign in with your staff account to use it.',
    ],
    link: { href: staffPaths.signIn, text: 'Sign in' },
  });

/** 403: signed in, but the role does not open this page. */
export const notAllowed = (c: Context<StaffEnv>, key: Buffer) =>
  sendStaffNotice(c, 403, {
    title: 'You do not have access to this page',
    paragraphs: [`Your account (${roleLabels[c.get('staff').user.role].toLowerCase()}) cannot use this page. If you need it for your work, ask an administrator.`],
    link: { href: staffPaths.home, text: 'Go to the staff home page' },
    account: accountOf(c, key),
  });

/** 403: a signed-in form whose CSRF token is missing or wrong (old page, or another site). */
export const formExpired = (c: Context<StaffEnv>, key: Buffer) =>
  sendStaffNotice(c, 403, {
    title: 'This form has expired',
    paragraphs: ['The page was out of date or came from another site. Nothing was changed. Go back, reload the page and try again.'],
    link: { href: staffPaths.home, text: 'Go to the staff home page' },
    account: accountOf(c, key),
  });

/** 404: a wave page of a wave that does not exist, with the way back to the list. */
export const waveNotFound = (c: Context<StaffEnv>, key: Buffer) =>
  sendStaffNotice(c, 404, {
    title: 'Wave not found',
    paragraphs: ['There is no wave with that name. Choose a wave from the list of waves.'],
    link: { href: staffPaths.waves, text: 'Go to the list of waves' },
    account: accountOf(c, key),
  });
