import { Hono, type Context, type Next } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { definitionOfWave, partOf, type Wave } from '../../survey-definitions/index.js';
import StartPage from '../../web/respondent/StartPage.svelte';
import { sessionCsrf, sessionCsrfProtection } from '../http/csrf-protection.js';
import { reopenLink, sendNotice, sendPage } from '../pages/send-page.js';
import { journeyRoutes } from './journey-routes.js';
import {
  credentialCookie,
  enterCode,
  newPendingNonce,
  partTwoCodeOf,
  partTwoElsewhere,
  passCodeOf,
  pendingCookie,
  readPendingCookie,
  receiptOf,
  resumePath,
} from './part-two-credential.js';
import { leftTheSurvey } from './leave-survey.js';
import { cookieOptions, cookies, leavePaths, removeRespondentCookies, type RespondentDependencies, type RespondentEnv } from './respondent-context.js';
import type { PartForm } from '../pages/section-form.js';
import { sameText } from '../security/tokens.js';
import { endSession, findSession } from '../storage/invitation-store.js';
import { findPartOneDraft, findPartOneResponse, partOneStateOf, savePartOneDraft } from '../storage/part-one-draft-store.js';
import { insertPartOneResponses } from '../storage/part-one-store.js';
import { findRosterEntry, waveStatus } from '../storage/roster-store.js';
import { findStoredWave, formatClosingDate } from '../storage/wave-store.js';
import { respondentRoute } from '../http/route-declarations.js';

/**
 * `/survey`: the identifiable side, reached through an invitation session. Part one, and the door to
 * part two.
 */
export const surveyRoutes = ({ stores, key, publicUrl }: RespondentDependencies) => {
  const db = stores.identifiable;
  type WithInvitation = { get(k: 'invitation'): RespondentEnv['Variables']['invitation']; get(k: 'wave'): Wave };
  const formOf = (c: WithInvitation): PartForm => {
    const invitation = c.get('invitation');
    return { definition: definitionOfWave(c.get('wave')), part: 'identifiable', fixed: { local_authority: invitation.localAuthority } };
  };
  const councilLabel = (wave: Wave, code: string) => {
    const item = partOf(definitionOfWave(wave), 'identifiable')
      .sections.flatMap((s) => s.items)
      .find((i) => i.id === 'local_authority');
    return (item && 'options' in item ? item.options.find((o) => o.code === code)?.label : undefined) ?? code;
  };
  const submitted = async (c: { get(k: 'invitation'): RespondentEnv['Variables']['invitation'] }) => {
    const { waveId, localAuthority } = c.get('invitation');
    return (await findPartOneResponse(db, waveId, localAuthority)) !== undefined;
  };

  // Part two's code. The browser gets a random nonce when it first sees part one's check page; when it
  // submits part one, the code derived from that nonce is given to it (a cookie of part two's path) and
  // part one is stored with the nonce's receipt. Nothing on this side records the code.
  type WithSession = Context<RespondentEnv>;
  const pendingNonce = (c: WithSession) => readPendingCookie(key, c.get('invitation').id, getCookie(c, cookies.pending));
  const keepPending = (c: WithSession, nonce: string) =>
    setCookie(c, cookies.pending, pendingCookie(key, c.get('invitation').id, nonce), cookieOptions('/survey/part-one', 'Strict'));
  const armPartTwo = (c: WithSession, code: string) =>
    setCookie(c, cookies.partTwo, credentialCookie(key, c.get('invitation').waveId, code), cookieOptions('/part-two', 'Strict'));
  /**
   * This browser's part-two code, when it is the browser that submitted part one (its nonce's receipt
   * is the one stored with part one); undefined for every other browser, whoever holds the invitation
   * link included. Nothing here reads the anonymous store, so the answer cannot depend on part two.
   */
  const issuedCode = async (c: WithSession) => {
    const nonce = pendingNonce(c);
    const { waveId, localAuthority } = c.get('invitation');
    const stored = nonce ? await findPartOneResponse(db, waveId, localAuthority) : undefined;
    return nonce && stored?.part_two_receipt && sameText(stored.part_two_receipt, receiptOf(key, nonce)) ? partTwoCodeOf(key, waveId, nonce) : undefined;
  };
  const origin = (c: WithSession) => publicUrl ?? new URL(c.req.url).origin;

  const partOne = journeyRoutes({
    base: '/survey/part-one',
    opensWith: 'respondent-session',
    title: 'Part one',
    declaration: 'Part one is identifiable: Social Work Scotland will see that these answers are yours. Once sent, they cannot be changed here.',
    introduction: 'These questions are about you, your council and your role.',
    form: formOf,
    csrf: (c) => (c as Context<RespondentEnv>).get('csrf').masked(),
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
    beforeCheck: (c) => {
      if (!pendingNonce(c)) keepPending(c, newPendingNonce());
    },
    submit: async (c, answers) => {
      const { id, waveId, localAuthority } = c.get('invitation');
      const nonce = pendingNonce(c) ?? newPendingNonce();
      try {
        await db.transaction().execute(async (trx) => {
          await insertPartOneResponses(trx, waveId, [{ localAuthority, answers, partTwoReceipt: receiptOf(key, nonce) }]);
          await trx.deleteFrom('part_one_draft').where('invitation_id', '=', id).execute();
        });
      } catch (error) {
        // The unique (wave, council) constraint: another tab or device sent it first.
        if (await findPartOneResponse(db, waveId, localAuthority)) return false;
        throw error;
      }
      keepPending(c, nonce);
      armPartTwo(c, partTwoCodeOf(key, waveId, nonce));
      return true;
    },
    sentAgain: async (c) => {
      const code = await issuedCode(c);
      if (!code) return undefined;
      armPartTwo(c, code);
      return c.redirect('/survey/part-one/done', 303);
    },
    done: async (c) => {
      const code = await issuedCode(c);
      if (!code) {
        // Whoever opens the invitation link again sees this, and only this, whatever part two's state.
        return sendNotice(c, 200, {
          title: 'Part one has been submitted',
          paragraphs: ['Social Work Scotland has your answers to part one.', partTwoElsewhere],
          link: enterCode,
        });
      }
      armPartTwo(c, code);
      return sendNotice(c, 200, {
        title: 'Part one submitted',
        confirmation: true,
        paragraphs: [
          'Thank you. Your answers to part one have been sent to Social Work Scotland.',
          'Part two asks about your experiences and professional development. It is anonymous: it is stored separately, with nothing that links it to you or to part one.',
        ],
        passCode: passCodeOf(code, origin(c)),
        action: { href: '/part-two', text: 'Continue to part two' },
      });
    },
  });
  return (
    new Hono<RespondentEnv>()
      .use(
        '*',
        respondentRoute('respondent-session', async (c: Context<RespondentEnv>, next: Next) => {
          const token = getCookie(c, cookies.session);
          const invitation = token ? await findSession(db, token) : undefined;
          const wave = invitation && (await findStoredWave(db, invitation.waveId));
          if (!token || !invitation || !wave) {
            return sendNotice(c, 401, {
              title: 'Your session has ended',
              paragraphs: ['For your security, a session ends after some hours or when the browser is closed.', reopenLink],
            });
          }
          c.set('invitation', invitation);
          c.set('wave', wave);
          c.set('sessionToken', token);
          const csrf = sessionCsrf(key, token);
          c.set('csrf', csrf);
          c.set('leaveForm', () => ({ action: leavePaths.partOne, csrf: csrf.masked() }));
          return next();
        }),
      )
      .use(
        '*',
        sessionCsrfProtection(
          (c) => c.get('csrf'),
          (c) =>
            sendNotice(c, 403, {
              title: 'This form has expired',
              paragraphs: ['The page was open too long, or came from another site. Nothing was saved.', reopenLink],
            }),
        ),
      )
      .get(
        '/',
        respondentRoute('respondent-session', async (c: Context<RespondentEnv>) => {
          const invitation = c.get('invitation');
          const wave = c.get('wave');
          const state = await partOneStateOf(db, invitation);
          return sendPage(c, StartPage, {
            open: (await waveStatus(db, wave.id)) === 'open',
            council: councilLabel(wave, invitation.localAuthority),
            waveName: `${wave.name}, ${wave.fielded}`,
            ...(wave.closes ? { closes: formatClosingDate(wave.closes) } : {}),
            partOne: { state, href: '/survey/part-one' },
            partTwo: { href: '/part-two', resumeHref: resumePath },
          });
        }),
      )
      .route('/part-one', partOne as unknown as Hono<RespondentEnv>)
      // "Leave the survey", in the header of every page. Leaving means leaving nothing behind in the
      // browser either: not the session, not the part-two pass or its pending code (opening the link again
      // gives the session back; part two comes back with its private code). The page is the same whoever
      // leaves, whatever became of part two.
      .post(
        '/sign-out',
        respondentRoute('respondent-session', async (c: Context<RespondentEnv>) => {
          await endSession(db, c.get('sessionToken'));
          removeRespondentCookies(c);
          c.set('leaveForm', undefined);
          return sendNotice(c, 200, leftTheSurvey(origin(c)));
        }),
      )
  );
};
