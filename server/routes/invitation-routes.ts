import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { invitationRateLimit } from '../http/invitation-rate-limit.js';
import { sendNotice } from '../pages/send-page.js';
import { cookieOptions, cookies, sessionLifetimeMs, type RespondentDependencies } from '../respondent/respondent-context.js';
import { createSession, findInvitationBySecret } from '../storage/invitation-store.js';
import { waveStatus } from '../storage/roster-store.js';
import { looksLikeToken } from '../security/tokens.js';

const notValid = {
  title: 'This link does not work',
  paragraphs: [
    'The link may have been copied only in part, or replaced by a newer invitation.',
    'Check that you used the whole link from your most recent invitation email, or ask Social Work Scotland for a new one.',
  ],
};

/**
 * `/i/<secret>`: the link in an invitation email. The secret is exchanged at once for cookies and the
 * browser is sent on to a URL without it, so it does not linger in history or reach another site.
 */
export const invitationRoutes = ({ stores }: RespondentDependencies) =>
  new Hono()
    .use(
      '*',
      invitationRateLimit((c) =>
        sendNotice(c, 429, { title: 'Too many attempts', paragraphs: ['Too many invitation links were tried from your connection. Wait ten minutes, then use the link in your invitation email.'] }),
      ),
    )
    .get('/:secret', async (c) => {
      const secret = c.req.param('secret');
      const invitation = looksLikeToken(secret) ? await findInvitationBySecret(stores.identifiable, secret) : undefined;
      if (!invitation) return sendNotice(c, 404, notValid);
      if ((await waveStatus(stores.identifiable, invitation.waveId)) !== 'open') {
        return sendNotice(c, 403, { title: 'This survey is closed', paragraphs: ['The survey is not taking answers at the moment.'] });
      }
      const token = await createSession(stores.identifiable, invitation.id, sessionLifetimeMs);
      setCookie(c, cookies.session, token, cookieOptions('/survey', 'Lax'));
      // Kept by the browser only for the one request that opens part two, which derives the part-two
      // credential from it; the server never stores it.
      setCookie(c, cookies.invitation, secret, cookieOptions('/survey/part-two-pass', 'Strict'));
      return c.redirect('/survey', 303);
    });
