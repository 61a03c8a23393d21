import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createApp } from '../../server/app/app.js';
import type { MailOutbox } from '../../server/mail/outbox-sender.js';
import { staffGuard } from '../../server/staff/staff-access.js';
import { staffCookies, type StaffRouteDependencies } from '../../server/staff/staff-context.js';
import type { Stores } from '../../server/storage/open-stores.js';
import type { StaffRole } from '../../server/storage/staff-user-store.js';
import { CookieJar, csrfOf, formBody, stackTrace } from './respondent-helpers.js';
import { addStaff, PASSWORD } from './staff-helpers.js';

/** Helpers of the staff web tests: an app over real stores with a clock the test moves, and a browser's view of it. */

export const T0 = Date.UTC(2026, 0, 12, 9, 0, 0);

export interface Sent {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
  readonly location: string | null;
  readonly setCookies: string[];
}

export interface SendOptions {
  readonly form?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** The client's address, as the Node server would report it from the socket. */
  readonly address?: string;
}

/** The headers every response must carry. */
export const expectSecurityHeaders = (path: string, headers: Headers) => {
  expect(headers.get('content-security-policy') ?? '', `${path}: CSP`).toContain("frame-ancestors 'none'");
  expect(headers.get('x-content-type-options'), `${path}: nosniff`).toBe('nosniff');
  expect(headers.get('referrer-policy'), `${path}: referrer policy`).toBe('no-referrer');
  if (!path.startsWith('/assets/')) expect(headers.get('cache-control'), `${path}: cache-control`).toBe('no-store');
};

/** What getConnInfo of @hono/node-server reads: the socket's remote address. */
export const socketEnv = (address: string) => ({
  incoming: { socket: { remoteAddress: address, remotePort: 50_000, remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4' } },
});

/** An app over these stores with a clock starting at T0 (move it with `clock.now = ...`). */
export const staffApp = (
  stores: Stores,
  { extend, mail }: { extend?: (app: ReturnType<typeof createApp>, deps: StaffRouteDependencies) => void; mail?: MailOutbox } = {},
) => {
  const key = randomBytes(32);
  const clock = { now: T0 };
  const logged: string[] = [];
  const now = () => clock.now;
  const app = createApp({ stores, key, now, logError: (m) => logged.push(m), ...(mail ? { mail } : {}) });
  // Routes a test adds (before the first request: Hono builds its router then).
  extend?.(app, { stores, key, now, requireRole: staffGuard({ stores, key, now }).requireRole });

  /** One request as a browser with this jar would send it; checks what every response must satisfy. */
  const send = async (jar: CookieJar | undefined, method: 'GET' | 'POST', path: string, { form, headers = {}, address }: SendOptions = {}): Promise<Sent> => {
    const cookie = jar?.header(path);
    const response = await app.request(
      path,
      {
        method,
        headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
        ...(form ? { body: formBody(form) } : {}),
      },
      address ? socketEnv(address) : undefined,
    );
    const html = await response.text();
    expectSecurityHeaders(path, response.headers);
    expect(html, `${method} ${path} leaked a stack trace`).not.toMatch(stackTrace);
    const setCookies = response.headers.getSetCookie();
    jar?.store(setCookies, path);
    return { status: response.status, headers: response.headers, html, location: response.headers.get('location'), setCookies };
  };

  /** Opens the sign-in page and sends it filled in, as a person would. */
  const signIn = async (jar: CookieJar, email: string, password = PASSWORD, options: Omit<SendOptions, 'form'> = {}) => {
    const page = await send(jar, 'GET', '/staff/sign-in', options);
    expect(page.status).toBe(200);
    return send(jar, 'POST', '/staff/sign-in', { ...options, form: { _csrf: csrfOf(page.html), email, password } });
  };

  /** A browser signed in as a new account of this role; its session token. */
  const signedIn = async (role: StaffRole, email = `${role}@example.org`) => {
    await addStaff(stores, email, role);
    const jar = new CookieJar();
    const sent = await signIn(jar, email);
    expect(sent, `sign-in as ${email}`).toMatchObject({ status: 303, location: '/staff' });
    return { jar, email, token: jar.value(staffCookies.session)! };
  };

  return { app, key, clock, logged, send, signIn, signedIn };
};
