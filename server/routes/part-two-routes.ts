import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { definitionOfWave } from '../../survey-definitions/index.js';
import { csrfProtection, csrfToken } from '../http/csrf-protection.js';
import { sendNotice } from '../pages/send-page.js';
import { journeyRoutes } from '../respondent/journey-routes.js';
import { readCredentialCookie } from '../respondent/part-two-credential.js';
import { cookies, type RespondentDependencies, type RespondentEnv } from '../respondent/respondent-context.js';
import { insertPartTwoResponses, scrubArrivalOrder } from '../storage/anonymous-store.js';
import { findPartTwoDraft, isPartTwoSpent, savePartTwoDraft, spendPartTwoCredential } from '../storage/part-two-draft-store.js';
import { waveStatus } from '../storage/roster-store.js';
import { findStoredWave } from '../storage/wave-store.js';

/**
 * `/part-two`: the anonymous side. Requests here carry only the part-two cookie (its path is
 * /part-two), never the invitation session, so nothing on this side knows who is answering.
 */
export const partTwoRoutes = ({ stores, key }: RespondentDependencies) => {
  const db = stores.anonymous;
  const journey = journeyRoutes({
    base: '/part-two',
    title: 'Part two',
    declaration: 'Part two is anonymous: it is stored apart from part one, with nothing that links it to you. Once sent, it cannot be changed or withdrawn, because nobody can tell which answers are yours.',
    introduction: 'Part two is anonymous. Please do not name yourself, colleagues or your council in the comment boxes.',
    form: (c) => ({ definition: definitionOfWave(c.get('wave')), part: 'anonymous', fixed: {} }),
    csrf: (c) => csrfToken(key, c.get('credential')),
    // The wave's open/closed state lives with the identifiable store; reading it reveals nothing.
    isOpen: async (c) => (await waveStatus(stores.identifiable, c.get('waveId'))) === 'open',
    load: (c) => findPartTwoDraft(db, c.get('credential')),
    save: async (c, draft) => {
      await savePartTwoDraft(db, c.get('credential'), c.get('waveId'), draft);
      await scrubArrivalOrder(db);
    },
    isSubmitted: (c) => isPartTwoSpent(db, c.get('credential')),
    submit: async (c, answers) => {
      const credential = c.get('credential');
      const waveId = c.get('waveId');
      const stored = await db.transaction().execute(async (trx) => {
        if (await isPartTwoSpent(trx, credential)) return false;
        await spendPartTwoCredential(trx, credential, waveId);
        await insertPartTwoResponses(trx, waveId, [answers]);
        return true;
      });
      // The draft is gone (secure_delete); now erase the order of arrival from the file and the WAL.
      await scrubArrivalOrder(db);
      return stored;
    },
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

  return new Hono<RespondentEnv>()
    .use('*', async (c, next) => {
      const pass = readCredentialCookie(key, getCookie(c, cookies.partTwo));
      // The wave's definition, from the identifiable store like its status: a wave is no one's answer.
      const wave = pass && (await findStoredWave(stores.identifiable, pass.waveId));
      if (!pass || !wave) {
        return sendNotice(c, 401, {
          title: 'Open part two from your invitation',
          paragraphs: ['Part two opens from the page that confirms part one. Open the link in your invitation email again, then choose “Go to part two”.'],
        });
      }
      c.set('credential', pass.credential);
      c.set('waveId', pass.waveId);
      c.set('wave', wave);
      return next();
    })
    .use(
      '*',
      csrfProtection(key, (c) => c.get('credential'), (c) =>
        sendNotice(c, 403, { title: 'This form has expired', paragraphs: ['The page came from another site or is out of date. Nothing was saved. Go back and try again.'] }),
      ),
    )
    .route('/', journey as unknown as Hono<RespondentEnv>);
};
