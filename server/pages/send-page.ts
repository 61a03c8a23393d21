import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Component } from 'svelte';
import NoticePage from '../../web/respondent/NoticePage.svelte';
import type { PassCode } from '../../web/respondent/pass-code.js';
import { defaultSupportEmail, type PageChrome } from '../../web/layout/page-chrome.js';
import { pageResponse } from './page-compression.js';
import { renderPage, type PageScript } from './render-page.js';

/**
 * The page chrome a request carries: the app sets the support address for every request (createApp), and
 * the respondent routes the "Leave the survey" form once they know the respondent's session or pass.
 */
export type ChromeVariables = {
  supportEmail?: string;
  /** Made when a page is rendered (it may set a cookie for its token), not for redirects. */
  leaveForm?: (() => NonNullable<PageChrome['leave']>) | undefined;
  /** Set by the home page's route: its footer links to staff sign-in. */
  staffSignIn?: boolean;
};

/** SUPPORT_EMAIL as the app's middleware set it: the pages' footer, and the messages and notices that say where to write. */
export const supportEmailOf = (c: Context): string => (c as Context<{ Variables: ChromeVariables }>).get('supportEmail') ?? defaultSupportEmail;

const chromeOf = (c: Context<{ Variables: ChromeVariables }>): PageChrome => {
  const leave = c.get('leaveForm')?.();
  return { supportEmail: supportEmailOf(c), ...(leave ? { leave } : {}), ...(c.get('staffSignIn') ? { staffSignIn: true } : {}) };
};

export interface PageOptions {
  readonly scripts?: readonly PageScript[];
  /**
   * The page shows a person a secret they read as it is (a part-two code, invitation links), which no mask
   * can hide: it is sent uncompressed, so its size says nothing of the secret (BREACH).
   */
  readonly secret?: boolean;
  /** The page repeats text the request chose (a query or path value) as it was: sent uncompressed too. */
  readonly reflectsRequest?: boolean;
}

/**
 * A page, compressed as the browser accepts (server/pages/page-compression.ts) unless `options` says it
 * holds a secret or repeats the request. Its forms' CSRF tokens need no such care: each is masked afresh.
 */
export const sendPage = <Props extends Record<string, any>>(
  c: Context,
  page: Component<Props>,
  props: Props,
  status: ContentfulStatusCode = 200,
  { scripts, secret = false, reflectsRequest = false }: PageOptions = {},
) => {
  const html = renderPage(page, props, { ...(scripts ? { scripts } : {}), chrome: chromeOf(c) });
  return pageResponse(c, html, status, secret ? 'secret' : reflectsRequest ? 'reflects-request' : undefined);
};

export interface Notice {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly confirmation?: boolean;
  readonly link?: { href: string; text: string };
  readonly form?: { action: string; csrf: string; button: string };
  /** The one thing to do next, as a button. */
  readonly action?: { href: string; text: string };
  /** The respondent's private part-two code, shown once part one is sent. */
  readonly passCode?: PassCode;
  /** A sentence the support address (a mailto link) ends: "If you need a new link, email". */
  readonly contact?: string;
}

/**
 * A page that only tells the respondent something (a refusal, a problem, a confirmation). One that shows
 * the part-two code is sent uncompressed.
 */
export const sendNotice = (c: Context, status: ContentfulStatusCode, notice: Notice) =>
  sendPage(c, NoticePage, { ...notice }, status, { secret: notice.passCode !== undefined });

export const reopenLink = 'Open the link in your invitation email again to carry on where you left off.';
