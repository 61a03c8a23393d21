import { Hono, type Context } from 'hono';
import type { FirstRunLink } from '../staff/first-run-setup.js';
import type { MailOutbox } from '../mail/outbox-sender.js';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { nulGuard } from '../http/nul-guard.js';
import { limitBody, readUrlEncodedForm } from '../http/request-body.js';
import { publicRoute } from '../http/route-declarations.js';
import { clientAddressReader } from '../http/client-address.js';
import { securityHeaders } from '../http/security-headers.js';
import { staffGuard } from '../staff/staff-access.js';
import { accessibilityPath, defaultSupportEmail } from '../../web/layout/page-chrome.js';
import { dataProtectionRoutes } from '../data-protection/data-protection-routes.js';
import AccessibilityStatementPage from '../../web/layout/AccessibilityStatementPage.svelte';
import { pageCompression } from '../pages/page-compression.js';
import { sendNotice, sendPage, type ChromeVariables } from '../pages/send-page.js';
import { refuse } from './app-refusals.js';
import { assetRoutes } from './asset-routes.js';
import { accountsRoutes } from '../accounts/accounts-routes.js';
import { definitionsRoutes } from '../definitions/definitions-routes.js';
import { respondentRoutes } from '../respondent/respondent-routes.js';
import { dashboardsRoutes } from '../dashboards/dashboards-routes.js';
import { staffHomeRoutes } from '../staff/home-routes.js';
import { researchRoutes } from '../research/research-routes.js';
import { wavesRoutes } from '../waves/waves-routes.js';
import type { Stores } from '../storage/open-stores.js';

export interface AppDependencies {
  readonly stores: Stores;
  /** The server key (server/security/server-key.ts): signs CSRF tokens and the part-two cookies. */
  readonly key: Buffer;
  /** Where unexpected errors are reported; never the response. */
  readonly logError?: (message: string) => void;
  /** The clock (epoch ms) of staff sign-in and session timeouts; tests move it. */
  readonly now?: () => number;
  /** The address invitation links start with (PUBLIC_URL); by default, the one the admin's page was reached at. */
  readonly publicUrl?: string;
  /** Addresses of the reverse proxies in front (TRUSTED_PROXIES): the client's address is read through them. */
  readonly trustedProxies?: readonly string[];
  /** SUPPORT_EMAIL: where the pages tell respondents and staff to ask for help. */
  readonly supportEmail?: string;
  /** The outbox's sender, when email is set up (server/app/serve.ts starts it). */
  readonly mail?: MailOutbox;
  /** The first-run setup link, when the server started with no staff account (serve.ts prints it). */
  readonly firstRun?: FirstRunLink;
}

export const createApp = ({
  stores,
  key,
  logError = (m) => console.error(m),
  now = Date.now,
  publicUrl,
  trustedProxies = [],
  supportEmail = defaultSupportEmail,
  mail,
  firstRun,
}: AppDependencies) => {
  const staff = { stores, key, now, publicUrl, ...(mail ? { mail } : {}), ...(firstRun ? { firstRun } : {}) };
  // Every route says who may use it where it is mounted, in its feature; routeAccessOf (server/http/route-declarations.ts) reads the table back.
  const { requireRole } = staffGuard(staff);
  const app = new Hono();
  // Every response: security headers, the support address, the client's address, the body limit and the NUL
  // guard. They let anyone through: what a route allows is its own declaration.
  app.use('*', publicRoute(securityHeaders()));
  // Pages compressed as the browser accepts, unless one says it holds a secret or repeats the request; every
  // response passes through, refusals included.
  app.use('*', publicRoute(pageCompression()));
  app.use(
    '*',
    createMiddleware<{ Variables: ChromeVariables }>(async (c, next) => {
      c.set('supportEmail', supportEmail);
      await next();
    }),
  );
  app.use('*', clientAddressReader(trustedProxies));
  // Survey pages carry at most a few long comments; anything larger is refused before it is read.
  app.use(
    '*',
    limitBody(256 * 1024, (c) =>
      refuse(c, 413, {
        staff: {
          title: 'The file is too large',
          paragraphs: [
            'What you sent is larger than 256 KiB, far more than a roster or a survey definition needs. Check you chose the right file. Nothing was changed.',
          ],
        },
        respondent: {
          title: 'Too much text',
          paragraphs: ['What you sent is larger than this survey accepts. Shorten your comments and try again. Nothing was saved.'],
        },
        api: 'request body too large (at most 256 KiB)',
      }),
    ),
  );
  // A page's form is read once, however many checks below ask for its fields.
  app.use('*', readUrlEncodedForm());
  // Not the invitation links: their route checks a secret's shape before any lookup and sends a bad one
  // to an address without it, so that it does not stay in the address bar.
  const refuseNul = nulGuard((c, where) => {
    const said =
      where === 'address'
        ? 'The address contains a NUL character, which no page of this service has.'
        : 'A field of the form contains a NUL character, which no answer may hold.';
    return refuse(c, 400, {
      staff: { title: 'This request cannot be read', paragraphs: [`${said} Nothing was changed.`] },
      respondent: { title: 'This request cannot be read', paragraphs: [`${said} Nothing was saved.`] },
      api: `${said} Nothing was changed.`,
    });
  });
  app.use('*', (c, next) => (c.req.path.startsWith('/i/') ? next() : refuseNul(c, next)));
  app.route('/assets', assetRoutes);
  app.route('/', respondentRoutes({ stores, key, publicUrl, now }));
  app.route('/', accountsRoutes({ ...staff, requireRole }));
  app.route('/', staffHomeRoutes({ ...staff, requireRole }));
  app.route('/', wavesRoutes({ ...staff, requireRole }));
  app.route('/', dashboardsRoutes({ ...staff, requireRole }));
  app.route('/', researchRoutes({ ...staff, requireRole }));
  app.route('/', definitionsRoutes({ ...staff, requireRole }));
  app.route('/', dataProtectionRoutes({ ...staff, requireRole }));
  app.get(
    '/',
    publicRoute((c: Context) => {
      // Staff find their way in from here, quietly, in the footer.
      c.set('staffSignIn', true);
      return sendNotice(c, 200, {
        title: 'Chief Social Work Officer annual survey',
        paragraphs: ['This is the survey platform of Social Work Scotland. To answer the survey, open the link in your invitation email.'],
      });
    }),
  );
  app.get(
    accessibilityPath,
    publicRoute((c: Context) => sendPage(c, AccessibilityStatementPage, {})),
  );
  app.notFound((c) =>
    refuse(c, 404, {
      staff: { title: 'Page not found', paragraphs: ['If you typed the address, check it is correct.'] },
      respondent: {
        title: 'Page not found',
        paragraphs: ['If you typed the address, check it is correct. If you came from your invitation, open its link again.'],
      },
      api: `no such page: ${c.req.method} ${c.req.path}`,
    }),
  );
  // The only place errors become responses: a user sees a short message, never a stack trace.
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: error.message || 'request refused' }, error.status);
    // Method and path only: a request body may hold survey answers, which must not reach a log.
    // The route pattern, not the path: a path could carry an invitation secret.
    logError(`unexpected error on ${c.req.method} ${c.req.routePath}: ${error.name}`);
    const sorry = { title: 'Sorry, there is a problem with the service', paragraphs: ['Nothing you sent in this step was saved. Try again later.'] };
    return refuse(c, 500, { staff: sorry, respondent: sorry, api: 'something went wrong on our side; nothing you sent was stored' });
  });
  return app;
};
