import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import StaffNoticePage from '../../web/staff/StaffNoticePage.svelte';
import type { StaffAccount } from '../../web/staff/staff-page-types.js';
import { csrfToken } from '../http/csrf-protection.js';
import { sendPage, type PageOptions } from '../pages/send-page.js';
import type { Stores } from '../storage/open-stores.js';
import { findStoredWave, type StoredWave } from '../storage/wave-store.js';
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

/** `options.reflectsRequest` when a paragraph repeats a value of the address as it was sent (sent uncompressed). */
export const sendStaffNotice = (c: Context, status: ContentfulStatusCode, notice: StaffNotice, options: Pick<PageOptions, 'reflectsRequest'> = {}) =>
  sendPage(c, StaffNoticePage, { ...notice }, status, options);

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
    paragraphs: [
      `Your account (${roleLabels[c.get('staff').user.role].toLowerCase()}) cannot use this page. If you need it for your work, ask an administrator.`,
    ],
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

/** Where a page about one wave leads back to when there is no such wave: its feature's list of waves. */
export interface WaveList {
  readonly href: string;
  /** `the list of waves`, `the research downloads`. */
  readonly name: string;
}

const waveList: WaveList = { href: staffPaths.waves, name: 'the list of waves' };

/** 404: a wave page of a wave that does not exist, with the way back to the list. */
export const waveNotFound = (c: Context<StaffEnv>, key: Buffer, list: WaveList = waveList) =>
  sendStaffNotice(c, 404, {
    title: 'Wave not found',
    paragraphs: [`There is no wave with that name. Choose a wave from ${list.name}.`],
    link: { href: list.href, text: `Go to ${list.name}` },
    account: accountOf(c, key),
  });

/**
 * Resolves a route's `:wave` once, after `requireRole` (so nobody learns which waves exist without the
 * right to see them): the handler reads the stored wave with `waveOf(c)`; a wave that does not exist
 * gets the 404 page leading back to `list`.
 */
export const withWave =
  (stores: Stores, key: Buffer, list: WaveList = waveList): MiddlewareHandler<StaffEnv> =>
  async (c, next) => {
    const wave = await findStoredWave(stores.identifiable, c.req.param('wave') ?? '');
    if (!wave) return waveNotFound(c, key, list);
    c.set('wave', wave);
    await next();
  };

/** The wave `withWave` resolved for this route. */
export const waveOf = (c: Context<StaffEnv>): StoredWave => {
  const wave = c.get('wave');
  // A route with :wave mounted without withWave is a programming error, caught by every test of it.
  if (!wave) throw new Error(`${c.req.path}: no wave resolved (mount the route with withWave)`);
  return wave;
};
