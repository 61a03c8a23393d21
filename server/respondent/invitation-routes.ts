import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { invitationRateLimit } from './invitation-rate-limit.js';
import { sendNotice } from '../pages/send-page.js';
import { cookieOptions, cookies, sessionLifetimeMs, type RespondentDependencies } from './respondent-context.js';
import { createSession, findInvitationBySecret } from '../storage/invitation-store.js';
import { waveStatus } from '../storage/roster-store.js';
import { findStoredWave, formatClosingDate, isWaveId } from '../storage/wave-store.js';
import { looksLikeToken } from '../security/tokens.js';
import { publicRoute } from '../http/route-declarations.js';

/** Refusals are shown at their own address, so the secret never stays in the address bar or history. */
const problems = {
  'not-valid': {
    status: 404,
    title: 'This link does not work',
    paragraphs: [
      'The link may have been copied only in part, or replaced by a newer invitation.',
      'Check that you used the whole link from your most recent invitation email.',
    ],
    contact: 'To ask Social Work Scotland for a new link, email',
  },
  closed: {
    status: 403,
    title: 'This survey is closed',
    paragraphs: ['The survey is not taking answers at the moment. Any answers you sent before it closed are kept.'],
    contact: 'If you think it should be open, or you need more time, email',
  },
  'too-many': {
    status: 429,
    title: 'Too many attempts',
    paragraphs: ['Too many invitation links were tried from your connection. Wait ten minutes, then use the link in your invitation email.'],
    contact: 'If it still does not work, email',
  },
} as const;

type Problem = keyof typeof problems;
const problemPath = (problem: Problem) => `/i/problem/${problem}`;

/**
 * `/i/<secret>`: the link in an invitation email. The secret is exchanged at once for cookies and the
 * browser is sent on to a URL without it, so it does not linger in history or reach another site.
 */
export const invitationRoutes = ({ stores, key }: RespondentDependencies) =>
  new Hono()
    .get(
      '/problem/:problem',
      publicRoute(async (c: Context) => {
        const named = c.req.param('problem') ?? '';
        if (!Object.hasOwn(problems, named)) return c.notFound();
        const problem = problems[named as Problem];
        const { status, ...notice } = problem;
        // The closed wave's closing date, when the link named a wave that has one (the wave's id is no secret).
        // Only the form of a wave id is looked up (this path skips the NUL guard, which PostgreSQL needs).
        const asked = c.req.query('wave') ?? '';
        const wave = named === 'closed' && isWaveId(asked) ? await findStoredWave(stores.identifiable, asked) : undefined;
        const closes = wave?.closes ? [`The closing date of ${wave.name} (${wave.fielded}) is ${formatClosingDate(wave.closes)}.`] : [];
        return sendNotice(c, status, { ...notice, paragraphs: [...notice.paragraphs, ...closes] });
      }),
    )
    .get(
      '/:secret',
      invitationRateLimit((c) => c.redirect(problemPath('too-many'), 303), { db: stores.identifiable, key }),
      publicRoute(async (c: Context) => {
        const secret = c.req.param('secret') ?? '';
        const invitation = looksLikeToken(secret) ? await findInvitationBySecret(stores.identifiable, secret) : undefined;
        if (!invitation) return c.redirect(problemPath('not-valid'), 303);
        if ((await waveStatus(stores.identifiable, invitation.waveId)) !== 'open')
          return c.redirect(`${problemPath('closed')}?wave=${encodeURIComponent(invitation.waveId)}`, 303);
        const token = await createSession(stores.identifiable, invitation.id, sessionLifetimeMs);
        setCookie(c, cookies.session, token, cookieOptions('/survey', 'Lax'));
        return c.redirect('/survey', 303);
      }),
    );
