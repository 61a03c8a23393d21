import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { definitionOfWave, partOf, type Wave } from '../../survey-definitions/index.js';
import StartPage from '../../web/respondent/StartPage.svelte';
import { csrfProtection, csrfToken } from '../http/csrf-protection.js';
import { reopenLink, sendNotice, sendPage } from '../pages/send-page.js';
import { journeyRoutes } from '../respondent/journey-routes.js';
import { credentialCookie, deriveCredential } from '../respondent/part-two-credential.js';
import { cookieOptions, cookies, type RespondentDependencies, type RespondentEnv } from '../respondent/respondent-context.js';
import type { PartForm } from '../respondent/section-form.js';
import { endSession, findInvitationBySecret, findSession } from '../storage/invitation-store.js';
import { findPartOneDraft, findPartOneResponse, partOneStateOf, savePartOneDraft } from '../storage/part-one-draft-store.js';
import { insertPartOneResponses } from '../storage/part-one-store.js';
import { findRosterEntry, waveStatus } from '../storage/roster-store.js';
import { findStoredWave } from '../storage/wave-store.js';

/**
 * `/survey`: the identifiable side, reached through an invitation session. Part one, and the door to
 * part two.
 */
export const surveyRoutes = ({ stores, key }: RespondentDependencies) => {
  const db = stores.identifiable;
  type WithInvitation = { get(k: 'invitation'): RespondentEnv['Variables']['invitation']; get(k: 'wave'): Wave };
  const formOf = (c: WithInvitation): PartForm => {
    const invitation = c.get('invitation');
    return { definition: definitionOfWave(c.get('wave')), part: 'identifiable', fixed: { local_authority: invitation.localAuthority } };
  };
  const councilLabel = (wave: Wave, code: string) => {
    const item = partOf(definitionOfWave(wave), 'identifiable').sections.flatMap((s) => s.items).find((i) => i.id === 'local_authority');
    return (item && 'options' in item ? item.options.find((o) => o.code === code)?.label : undefined) ?? code;
  };
  const submitted = async (c: { get(k: 'invitation'): RespondentEnv['Variables']['invitation'] }) => {
    const { waveId, localAuthority } = c.get('invitation');
    return (await findPartOneResponse(db, waveId, localAuthority)) !== undefined;
  };
  const partTwoDoor = (token: string) => ({ action: '/survey/part-two-pass', csrf: csrfToken(key, token) });

  const partOne = journeyRoutes({
    base: '/survey/part-one',
    title: 'Part one',
    declaration: 'Part one is identifiable: Social Work Scotland will see that these answers are yours. Once sent, they cannot be changed here.',
    introduction: 'These questions are about you, your council and your role.',
    form: formOf,
    csrf: (c) => csrfToken(key, c.get('sessionToken')),
    isOpen: async (c) => (await waveStatus(db, c.get('invitation').waveId)) === 'open',
    load: async (c) => {
      const draft = await findPartOneDraft(db, c.get('invitation').id);
      if (draft) return draft;
      // Start from what the roster knows, so the respondent checks rather than types their name and email.
      const { waveId, localAuthority } = c.get('invitation');
      const entry = await findRosterEntry(db, waveId, localAuthority);
      return entry ? { answers: { name: entry.name, email: entry.email, local_authority: localAuthority }, section: 'about_you' } : undefined;
    },
    save: (c, draft) => savePartOneDraft(db, c.get('invitation').id, draft),
    isSubmitted: submitted,
    submit: async (c, answers) => {
      const { id, waveId, localAuthority } = c.get('invitation');
      try {
        await db.transaction().execute(async (trx) => {
          await insertPartOneResponses(trx, waveId, [{ localAuthority, answers }]);
          await trx.deleteFrom('part_one_draft').where('invitation_id', '=', id).execute();
        });
        return true;
      } catch (error) {
        // The unique (wave, council) constraint: another tab or device sent it first.
        if (await findPartOneResponse(db, waveId, localAuthority)) return false;
        throw error;
      }
    },
    done: (c) =>
      sendNotice(c, 200, {
        title: 'Part one submitted',
        confirmation: true,
        paragraphs: [
          'Thank you. Your answers to part one have been sent to Social Work Scotland.',
          'Part two asks about your experiences and professional development. It is anonymous: it is stored separately, with nothing that links it to you or to part one.',
        ],
        form: { ...partTwoDoor(c.get('sessionToken')), button: 'Continue to part two' },
      }),
  });

  return new Hono<RespondentEnv>()
    .use('*', async (c, next) => {
      const token = getCookie(c, cookies.session);
      const invitation = token ? await findSession(db, token) : undefined;
      const wave = invitation && (await findStoredWave(db, invitation.waveId));
      if (!token || !invitation || !wave) {
        return sendNotice(c, 401, { title: 'Your session has ended', paragraphs: ['For your security, a session ends after some hours or when the browser is closed.', reopenLink] });
      }
      c.set('invitation', invitation);
      c.set('wave', wave);
      c.set('sessionToken', token);
      return next();
    })
    .use(
      '*',
      csrfProtection(key, (c) => c.get('sessionToken'), (c) =>
        sendNotice(c, 403, { title: 'This form has expired', paragraphs: ['The page was open too long, or came from another site. Nothing was saved.', reopenLink] }),
      ),
    )
    .get('/', async (c) => {
      const invitation = c.get('invitation');
      const wave = c.get('wave');
      const state = await partOneStateOf(db, invitation);
      return sendPage(c, StartPage, {
        council: councilLabel(wave, invitation.localAuthority),
        waveName: `${wave.name}, ${wave.fielded}`,
        partOne: { state, href: '/survey/part-one' },
        partTwo: partTwoDoor(c.get('sessionToken')),
      });
    })
    .route('/part-one', partOne as unknown as Hono<RespondentEnv>)
    .post('/part-two-pass', async (c) => {
      // Part two opens only after part one, and only with the invitation secret the browser kept:
      // the credential is derived from it here, in memory, and nothing connecting the two is stored.
      const invitation = c.get('invitation');
      if (!(await submitted(c))) return c.redirect('/survey/part-one', 303);
      const secret = getCookie(c, cookies.invitation);
      // The secret must be this session's own invitation's, and still its current link.
      const owner = secret ? await findInvitationBySecret(db, secret) : undefined;
      if (!secret || owner?.id !== invitation.id) {
        return sendNotice(c, 403, { title: 'Open your invitation link again', paragraphs: ['To reach part two, open the link in your invitation email again, then choose “Go to part two”.'] });
      }
      const credential = deriveCredential(key, secret);
      setCookie(c, cookies.partTwo, credentialCookie(key, invitation.waveId, credential), cookieOptions('/part-two', 'Strict'));
      return c.redirect('/part-two', 303);
    })
    .post('/sign-out', async (c) => {
      await endSession(db, c.get('sessionToken'));
      // Leaving means leaving nothing behind in the browser either: not the session, not the invitation
      // secret, not the part-two pass (opening the link again gives them back).
      for (const [name, path] of [[cookies.session, '/survey'], [cookies.invitation, '/survey/part-two-pass'], [cookies.partTwo, '/part-two']] as const) {
        deleteCookie(c, name, { path, secure: true, httpOnly: true });
      }
      return sendNotice(c, 200, { title: 'You have left the survey', paragraphs: ['Your answers so far are saved.', reopenLink] });
    });
};
