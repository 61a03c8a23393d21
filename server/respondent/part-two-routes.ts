import { Hono, type Context, type MiddlewareHandler, type Next } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { definitionOfWave, storedAnswers } from '../../survey-definitions/index.js';
import ResumePartTwoPage from '../../web/respondent/ResumePartTwoPage.svelte';
import { csrfTokenMatches, fromAnotherSite, sentCsrfToken, sessionCsrf, sessionCsrfProtection } from '../http/csrf-protection.js';
import { signedDoubleSubmit } from '../http/double-submit-csrf.js';
import { sendNotice, sendPage } from '../pages/send-page.js';
import { journeyRoutes } from './journey-routes.js';
import {
  credentialCookie,
  enterCode,
  isLegacyCredential,
  partTwoElsewhere,
  passCodeOf,
  readCredentialCookie,
  readPartTwoCode,
  resumePath,
  waveOfCode,
} from './part-two-credential.js';
import { leftTheSurvey } from './leave-survey.js';
import { cookieOptions, cookies, leavePaths, removeRespondentCookies, type RespondentDependencies, type RespondentEnv } from './respondent-context.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../storage/anonymous-store.js';
import { commitTogether } from '../storage/group-commit.js';
import { findPartTwoPass, savePartTwoDraft, spendPartTwoPass } from '../storage/part-two-pass-store.js';
import { waveStatus } from '../storage/roster-store.js';
import { findStoredWave, listWaves } from '../storage/wave-store.js';
import { publicRoute, respondentRoute } from '../http/route-declarations.js';

const resumeFormMaxAgeMs = 60 * 60_000;

/** Under every comment box of part two; the words of the published definitions' own hints. */
export const noNamesHint = 'Do not name yourself, colleagues or your council.';

/**
 * `/part-two`: the anonymous side. Requests here carry only the part-two cookie (its path is
 * /part-two), never the invitation session, so nothing on this side knows who is answering. The way in
 * is the pass issued to the browser that sent part one, or its private code typed at /part-two/resume.
 */
export const partTwoRoutes = ({ stores, key, publicUrl, now = Date.now }: RespondentDependencies) => {
  const db = stores.anonymous;
  const origin = (c: Context) => publicUrl ?? new URL(c.req.url).origin;
  const journey = journeyRoutes({
    base: '/part-two',
    opensWith: 'part-two-pass',
    title: 'Part two',
    declaration:
      'Part two is anonymous: it is stored apart from part one, with nothing that links it to you. Once sent, it cannot be changed or withdrawn, because nobody can tell which answers are yours.',
    introduction: 'Part two is anonymous. Please do not name yourself, colleagues or your council in the comment boxes.',
    freeTextHint: noNamesHint,
    form: (c) => ({ definition: definitionOfWave(c.get('wave')), part: 'anonymous', fixed: {} }),
    csrf: (c) => (c as Context<RespondentEnv>).get('csrf').masked(),
    // The wave's open/closed state lives with the identifiable store; reading it reveals nothing.
    isOpen: async (c) => (await waveStatus(stores.identifiable, c.get('waveId'))) === 'open',
    load: async (c) => c.get('pass')?.draft,
    save: async (c, draft) => {
      // Committed with the saves and answers arriving meanwhile (one fsync for all), then the intake rewritten.
      await commitTogether(db, (trx) => savePartTwoDraft(trx, c.get('credential'), c.get('waveId'), draft));
      await scrubArrivalOrder(db, 'intake');
    },
    isSubmitted: async (c) => c.get('pass')?.spent ?? false,
    submit: async (c, answers) => {
      const waveId = c.get('waveId');
      const stored = await commitTogether(db, async (trx) => {
        if (!(await spendPartTwoPass(trx, c.get('credential'), waveId))) return false;
        await insertPartTwoResponses(trx, waveId, [answers], 'intake', storedAnswers(definitionOfWave(c.get('wave')), 'anonymous'));
        return true;
      });
      // The draft is erased (secure_delete); now erase the order of arrival from the intake's file and WAL.
      await scrubArrivalOrder(db, 'intake');
      return stored;
    },
    // Every part-two page shows the code, yet is compressed (the notices that show it are not): BREACH needs
    // text of an attacker's choosing beside the secret, and these pages have none. They repeat nothing of
    // the address (test/server/page-compression.test.ts), their draft is written only by a form carrying
    // the page's masked token, and the part-two cookie is SameSite=Strict, so no request another site
    // starts is ever answered with them.
    passCode: (c) => passCodeOf(c.get('credential'), origin(c)),
    done: (c) =>
      sendNotice(c, 200, {
        title: 'Thank you: your survey is complete',
        confirmation: true,
        paragraphs: [
          'Your anonymous answers to part two have been stored, with nothing that links them to you or to part one.',
          'Social Work Scotland will publish the combined results. You can now close this window.',
        ],
      }),
  });

  const enterWith = (c: Context, credential: string, waveId: string) => {
    setCookie(c, cookies.partTwo, credentialCookie(key, waveId, credential), cookieOptions('/part-two', 'Strict'));
    return c.redirect('/part-two', 303);
  };

  /**
   * The wave a credential opens part two of, and its stored pass if part two has been saved: a code the
   * server issued (its tag is right for the wave), or a credential of an earlier version whose pass is
   * stored. Undefined when it opens nothing, or its wave no longer exists.
   */
  const opened = async (credential: string, waveIds: readonly string[]) => {
    const pass = await findPartTwoPass(db, credential);
    const waveId = isLegacyCredential(credential) ? pass?.waveId : waveOfCode(key, credential, waveIds);
    if (!waveId || (pass && pass.waveId !== waveId)) return undefined;
    const wave = await findStoredWave(stores.identifiable, waveId);
    return wave && { wave, pass };
  };
  const allWaves = async () => (await listWaves(stores.identifiable)).map((w) => w.id);

  // Guessing is hopeless (75 random bits to find someone's part two, a 50-bit tag to forge a new one),
  // so there is no limit per address, which would have to record addresses beside part two's activity.
  const resumeForm = signedDoubleSubmit({ key, cookie: cookies.resumeForm, path: resumePath, maxAgeMs: resumeFormMaxAgeMs, now });
  const renderResume = (c: Context, status: 200 | 400 | 403 | 404, state: { code?: string; message?: string } = {}) =>
    sendPage(
      c,
      ResumePartTwoPage,
      {
        action: resumePath,
        csrf: resumeForm.issue(c),
        code: state.code ?? '',
        errors: state.message ? { code: state.message } : {},
        summary: state.message ? [{ field: 'code', message: state.message }] : [],
      },
      status,
    );
  const notRecognised = 'There is no part two with this code. Check it against the code you were shown when you sent part one';

  const resume = new Hono()
    .get(
      '/',
      publicRoute((c: Context) =>
        c.req.query('link') === 'not-valid'
          ? renderResume(c, 404, { message: 'Your private link did not work: it may have been copied only in part. Enter the code from it instead' })
          : renderResume(c, 200),
      ),
    )
    .post(
      '/',
      resumeForm.protect((c) => renderResume(c, 403, { message: 'The page had expired. Enter your part-two code again' })),
      publicRoute(async (c: Context) => {
        const body = await c.req.parseBody();
        const typed = typeof body.code === 'string' ? body.code.slice(0, 200) : '';
        if (!typed.trim()) return renderResume(c, 400, { message: 'Enter your part-two code' });
        const credential = readPartTwoCode(typed);
        if (!credential) return renderResume(c, 400, { code: typed, message: 'Enter the code as you were shown it: 25 letters and digits' });
        const found = await opened(credential, await allWaves());
        if (!found) return renderResume(c, 400, { code: typed, message: notRecognised });
        resumeForm.clear(c);
        return enterWith(c, credential, found.wave.id);
      }),
    )
    // The private link: like an invitation link, exchanged at once for the cookie, so the code does not
    // stay in the address bar.
    .get(
      '/:code',
      publicRoute(async (c: Context) => {
        const credential = readPartTwoCode(c.req.param('code') ?? '');
        const found = credential && (await opened(credential, await allWaves()));
        if (!credential || !found) return c.redirect(`${resumePath}?link=not-valid`, 303);
        return enterWith(c, credential, found.wave.id);
      }),
    );

  // "Leave the survey". A browser holding its pass signs the form with a token of its code, as every
  // part-two form; one without (the resume pages, the page asking for the code) gets a signed double
  // submit, made only when such a page is shown.
  const leaveForm = signedDoubleSubmit({ key, cookie: cookies.leaveForm, path: leavePaths.partTwo, maxAgeMs: resumeFormMaxAgeMs, now });
  const heldPass = (c: Context) => readCredentialCookie(key, getCookie(c, cookies.partTwo));
  const refuseLeave = (c: Context) =>
    sendNotice(c, 403, {
      title: 'This form has expired',
      paragraphs: ['The page came from another site or is out of date. Go back, reload the page and choose “Leave the survey” again.'],
    });
  const checkLeave: MiddlewareHandler = async (c, next) => {
    const pass = heldPass(c);
    if (pass && !fromAnotherSite(c) && csrfTokenMatches(key, pass.credential, await sentCsrfToken(c))) return next();
    return leaveForm.protect(refuseLeave)(c, next);
  };

  return new Hono<RespondentEnv>()
    .use('*', async (c, next) => {
      c.set('leaveForm', () => {
        // The pass that opened the page, or else (the resume pages) one the browser holds.
        const pass = c.get('csrf') ? undefined : heldPass(c);
        const held = c.get('csrf') ?? (pass && sessionCsrf(key, pass.credential));
        return { action: leavePaths.partTwo, csrf: held ? held.masked() : leaveForm.issue(c) };
      });
      return next();
    })
    .post(
      '/leave',
      checkLeave,
      publicRoute(async (c: Context<RespondentEnv>) => {
        // Reads the pass only to show its code again while part two is unsent; writes nothing, and the
        // request carries no part-one cookie (their paths), so leaving ties part two to nothing.
        const pass = heldPass(c);
        const found = pass && (await opened(pass.credential, [pass.waveId]));
        removeRespondentCookies(c);
        c.set('leaveForm', undefined);
        return sendNotice(c, 200, leftTheSurvey(origin(c), found && !found.pass?.spent ? passCodeOf(pass.credential, origin(c)) : undefined));
      }),
    )
    .route('/resume', resume)
    .use(
      '*',
      respondentRoute('part-two-pass', async (c: Context<RespondentEnv>, next: Next) => {
        const cookie = readCredentialCookie(key, getCookie(c, cookies.partTwo));
        const found = cookie && (await opened(cookie.credential, [cookie.waveId]));
        if (!cookie || !found) {
          return sendNotice(c, 401, {
            title: 'Continue part two with your code',
            paragraphs: [partTwoElsewhere, 'If you have not sent part one yet, open the link in your invitation email.'],
            action: enterCode,
          });
        }
        c.set('credential', cookie.credential);
        c.set('csrf', sessionCsrf(key, cookie.credential));
        c.set('waveId', cookie.waveId);
        c.set('wave', found.wave);
        c.set('pass', found.pass);
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
            paragraphs: ['The page came from another site or is out of date. Nothing was saved. Go back and try again.'],
          }),
      ),
    )
    .route('/', journey as unknown as Hono<RespondentEnv>);
};
