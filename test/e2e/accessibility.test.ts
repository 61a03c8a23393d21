import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findInvitationBySecret } from '../../server/storage/invitation-store.js';
import { savePartOneDraft } from '../../server/storage/part-one-draft-store.js';
import {
  answerAboutYou,
  answerContract,
  answerLinks,
  answerPortfolio,
  answerPressure,
  answerQualifications,
  answerYourCouncil,
  button,
  choose,
  goto,
  heading,
  navigate,
  pathOf,
  questions,
  radio,
  saveAndContinue,
  timeShareInput,
  linkNamed,
} from './support/journey-steps.js';
import { axeViolations, outputDir, secretOf, WAVE, useSurveyTest } from './support/survey-harness.js';

/**
 * axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) on every page a respondent can meet: the start
 * page in each state, every section of both parts, the check pages, the confirmations, every notice,
 * and every error state that can be provoked, including ones only a tampered form can reach.
 */

const harness = useSurveyTest();
const open = (options: { javaScriptEnabled?: boolean } = {}) => harness.newContext(options);

/** Sets a control's posted value to one the form never offers, as a tampered or stale form would. */
const tamper = (page: Page, name: string, value: string) =>
  page.evaluate(
    ([n, v]) => {
      const input = document.querySelector<HTMLInputElement>(`input[name="${n}"]`)!;
      input.value = v;
      input.checked = true;
    },
    [name, value] as const,
  );

/** Clears whatever the re-rendered page shows for a control (a value it does not offer shows as nothing). */
const untamper = (page: Page, name: string) =>
  page.evaluate((n) => {
    for (const input of document.querySelectorAll<HTMLInputElement>(`input[name="${n}"]`)) input.checked = false;
  }, name);

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  it('finds no violation on any page or error state of either part', async () => {
    const s = await harness.startSurvey();
    const audited: { name: string; path: string; status: number; violations: number }[] = [];
    const reports: string[] = [];

    /** Audits the page as it is now, under a name, checking the status it came with. */
    const audit = async (page: Page, name: string, response: Response | number, title?: RegExp) => {
      const status = typeof response === 'number' ? response : response.status();
      if (title) expect(await page.title(), name).toMatch(title);
      const { violations, report, passes } = await axeViolations(page);
      expect(passes, `axe ran on ${name}`).toBeGreaterThan(0);
      audited.push({ name, path: pathOf(page), status, violations: violations.length });
      if (violations.length > 0) reports.push(`${name} (${page.url()}):\n${report}`);
    };
    const errorTitle = /^Error: /;

    // Notices a visitor without cookies can reach.
    const visitor = await open();
    let page = visitor.page;
    await goto(page, `${s.url}/`);
    // The checker itself: an image without a text alternative must be caught.
    await page.evaluate(() =>
      document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img id="axe-probe" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'),
    );
    expect((await axeViolations(page)).violations.map((v) => v.id)).toContain('image-alt');
    await audit(page, 'home page', await goto(page, `${s.url}/`));
    await audit(page, 'accessibility statement', await navigate(page, () => linkNamed(page, 'Accessibility').click()));
    await audit(page, 'page not found', await goto(page, `${s.url}/no-such-page`));
    const invalid = await goto(page, `${s.url}/i/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(invalid.status()).toBe(404);
    // Shown at its own address: the (wrong) secret does not stay in the address bar.
    expect(new URL(page.url()).pathname).toBe('/i/problem/not-valid');
    expect(await heading(page)).toBe('This link does not work');
    await audit(page, 'invalid invitation link', invalid);
    const noSession = await goto(page, `${s.url}/survey`);
    expect(noSession.status()).toBe(401);
    expect(await heading(page)).toBe('Your session has ended');
    await audit(page, 'session ended (no or expired session)', noSession);
    const noPass = await goto(page, `${s.url}/part-two/workload`);
    expect(noPass.status()).toBe(401);
    await audit(page, 'part two without its pass', noPass);

    // Part one, every page and every error state.
    const respondent = await open();
    page = respondent.page;
    const link = s.links.get('fife')!;
    await audit(page, 'start page, not started', await goto(page, link));
    await audit(page, 'part one: about you', await navigate(page, () => page.getByRole('link', { name: 'Start part one' }).click()));
    await page.getByLabel('Your name').fill('');
    await page.getByLabel('Your work email address').fill('not an email');
    await answerAboutYou(page);
    const aboutErrors = await saveAndContinue(page);
    expect(aboutErrors.status()).toBe(400);
    expect(await page.locator('#error-summary li').count()).toBe(2);
    await audit(page, 'part one: about you, with errors (required text, email)', aboutErrors, errorTitle);
    await page.getByLabel('Your name').fill('Fiona Fife');
    await page.getByLabel('Your work email address').fill('fiona.fife@fife.gov.uk');
    await audit(page, 'part one: your council', await saveAndContinue(page));
    await audit(page, 'start page, in progress', await goto(page, `${s.url}/survey`));
    await navigate(page, () => page.getByRole('link', { name: 'Continue part one' }).click());
    expect(pathOf(page)).toBe('/survey/part-one/your_council');
    await answerYourCouncil(page);
    await audit(page, 'part one: qualifications', await saveAndContinue(page));
    await answerQualifications(page);
    await tamper(page, 'pq_awards.phd', '2');
    const multiErrors = await saveAndContinue(page);
    expect(multiErrors.status()).toBe(400);
    await audit(page, 'part one: qualifications, with an error on a multiple choice', multiErrors, errorTitle);
    await untamper(page, 'pq_awards.phd');
    await audit(page, 'part one: portfolio (matrix of choices)', await saveAndContinue(page));
    expect(pathOf(page)).toBe('/survey/part-one/portfolio_section');
    await answerPortfolio(page);
    await tamper(page, 'portfolio.homelessness', 'most');
    const matrixErrors = await saveAndContinue(page);
    expect(matrixErrors.status()).toBe(400);
    await audit(page, 'part one: portfolio, with an error in a matrix row', matrixErrors, errorTitle);
    await untamper(page, 'portfolio.homelessness');
    await audit(page, 'part one: contract', await saveAndContinue(page));
    await answerContract(page);
    await page.getByLabel('How many hours a week are you contracted to work?').fill('lots');
    const numberErrors = await saveAndContinue(page);
    expect(numberErrors.status()).toBe(400);
    await audit(page, 'part one: contract, with an error on a number', numberErrors, errorTitle);
    await page.getByLabel('How many hours a week are you contracted to work?').fill('37');
    const check = await saveAndContinue(page);
    expect(pathOf(page)).toBe('/survey/part-one/check');
    await audit(page, 'part one: check your answers', check);
    await audit(page, 'part one: no such section', await goto(page, `${s.url}/survey/part-one/no-such-section`));
    await goto(page, `${s.url}/survey/part-one/check`);
    // A form whose token does not match: the "form has expired" notice.
    await page.locator('main input[name="_csrf"]').evaluate((el: HTMLInputElement) => {
      el.value = 'stale';
    });
    const expired = await navigate(page, () => button(page, 'Submit part one').click());
    expect(expired.status()).toBe(403);
    expect(await heading(page)).toBe('This form has expired');
    await audit(page, 'form expired (CSRF refused)', expired);
    await goto(page, `${s.url}/survey/part-one/check`);
    const done = await navigate(page, () => button(page, 'Submit part one').click());
    expect(await heading(page)).toBe('Part one submitted');
    await audit(page, 'part one: confirmation', done);
    await audit(page, 'start page, submitted', await goto(page, `${s.url}/survey`));
    const already = await goto(page, `${s.url}/survey/part-one/check`);
    expect(already.status()).toBe(409);
    await audit(page, 'part one already submitted', already);

    // Part two opens with the code the browser was given with part one. Without it (another device, or
    // a browser that forgot it), a notice says to enter the code, on a form of its own.
    const pass = (await respondent.context.cookies()).find((c) => c.name === 'cswo_part_two')!;
    await respondent.context.clearCookies({ name: 'cswo_part_two' });
    await goto(page, `${s.url}/survey`);
    const noCode = await navigate(page, () => linkNamed(page, 'Go to part two').click());
    expect(noCode.status()).toBe(401);
    expect(await heading(page)).toBe('Continue part two with your code');
    await audit(page, 'part two without its code', noCode);
    const resume = await navigate(page, () => linkNamed(page, 'Enter your part-two code').click());
    expect(await heading(page)).toBe('Continue part two');
    await audit(page, 'part two: enter your code', resume);
    await page.getByLabel('Your part-two code').fill('ABCDE-FGHJK-MNPQR-STVWX-YZ012');
    const wrongCode = await navigate(page, () => button(page, 'Continue').click());
    expect(wrongCode.status()).toBe(400);
    await audit(page, 'part two: a code that opens nothing', wrongCode, errorTitle);
    await respondent.context.addCookies([pass]);
    await goto(page, `${s.url}/survey`);

    // Part two, every section and error state.
    await audit(page, 'part two: working time (matrix of numbers)', await navigate(page, () => linkNamed(page, 'Go to part two').click()));
    expect(pathOf(page)).toBe('/part-two/workload');
    await choose(radio(page, questions.extraFrequency, 'Always'));
    await timeShareInput(page, 'children').fill('abc');
    await timeShareInput(page, 'adults').fill('150');
    const shareErrors = await saveAndContinue(page);
    expect(shareErrors.status()).toBe(400);
    expect(await page.locator('#error-summary li').count()).toBe(2);
    await audit(page, 'part two: working time, with errors in matrix rows', shareErrors, errorTitle);
    await timeShareInput(page, 'children').fill('50');
    await timeShareInput(page, 'adults').fill('50');
    await audit(page, 'part two: pressures (matrix of ratings)', await saveAndContinue(page));
    await answerPressure(page);
    await tamper(page, 'pressure.budgets', '9');
    const ratingErrors = await saveAndContinue(page);
    expect(ratingErrors.status()).toBe(400);
    await audit(page, 'part two: pressures, with an error in a rating row', ratingErrors, errorTitle);
    await untamper(page, 'pressure.budgets');
    await audit(page, 'part two: links', await saveAndContinue(page));
    await answerLinks(page);
    await page.getByLabel('How many of those do you chair?').fill('-1');
    const linkErrors = await saveAndContinue(page);
    expect(linkErrors.status()).toBe(400);
    await audit(page, 'part two: links, with an error on a whole number', linkErrors, errorTitle);
    await page.getByLabel('How many of those do you chair?').fill('2');
    await audit(page, 'part two: leaders', await saveAndContinue(page));
    await tamper(page, 'senior_team_member', 'perhaps');
    const singleErrors = await saveAndContinue(page);
    expect(singleErrors.status()).toBe(400);
    await audit(page, 'part two: leaders, with an error on a single choice', singleErrors, errorTitle);
    await untamper(page, 'senior_team_member');
    await audit(page, 'part two: COVID-19', await saveAndContinue(page));
    await audit(page, 'part two: support networks (rating)', await saveAndContinue(page));
    await tamper(page, 'peer_support_likelihood', '7');
    const scaleErrors = await saveAndContinue(page);
    expect(scaleErrors.status()).toBe(400);
    await audit(page, 'part two: support networks, with an error on a rating', scaleErrors, errorTitle);
    await untamper(page, 'peer_support_likelihood');
    await audit(page, 'part two: learning', await saveAndContinue(page));
    await audit(page, 'part two: reflections', await saveAndContinue(page));
    // More text than the service accepts.
    await page.getByLabel('Is there anything else you would like to tell us about the CSWO role?').evaluate((el: HTMLTextAreaElement) => {
      el.value = 'x'.repeat(300 * 1024);
    });
    const tooLarge = await saveAndContinue(page);
    expect(tooLarge.status()).toBe(413);
    await audit(page, 'too much text', tooLarge);
    await goto(page, `${s.url}/part-two/reflections`);
    await audit(page, 'part two: check your answers', await saveAndContinue(page));
    expect(pathOf(page)).toBe('/part-two/check');
    await audit(page, 'part two: no such section', await goto(page, `${s.url}/part-two/no-such-section`));
    await goto(page, `${s.url}/part-two/check`);
    await audit(page, 'part two: thanks', await navigate(page, () => button(page, 'Submit part two').click()));
    expect(await heading(page)).toBe('Thank you: your survey is complete');
    const twoAlready = await goto(page, `${s.url}/part-two/check`);
    expect(twoAlready.status()).toBe(409);
    await audit(page, 'part two already submitted', twoAlready);

    // A check page with errors: a draft that lacks the required name and email (as a draft saved
    // under an older definition could).
    const angus = await open();
    page = angus.page;
    const angusLink = s.links.get('angus')!;
    const invitation = (await findInvitationBySecret(s.server.stores.identifiable, secretOf(angusLink)))!;
    await savePartOneDraft(s.server.stores.identifiable, invitation.id, { answers: { local_authority: 'angus', role: 'deputy' }, section: 'check' });
    await goto(page, angusLink);
    await navigate(page, () => page.getByRole('link', { name: 'Continue part one' }).click());
    expect(pathOf(page)).toBe('/survey/part-one/check');
    const checkErrors = await navigate(page, () => button(page, 'Submit part one').click());
    expect(checkErrors.status()).toBe(400);
    expect(await page.locator('#error-summary li').count()).toBe(2);
    await audit(page, 'part one: check your answers, with errors', checkErrors, errorTitle);
    for (const href of await page.locator('#error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))) {
      expect(await page.locator(href).count(), `${href} is on the check page`).toBe(1);
    }

    // Signing out (a form posting to /survey/sign-out, with the session's token from this page's form).
    const signedOut = await navigate(page, () =>
      page.evaluate(() => {
        const form = document.querySelector('main form') as HTMLFormElement;
        form.action = '/survey/sign-out';
        form.submit();
      }),
    );
    expect(await heading(page)).toBe('You have left the survey');
    await audit(page, 'signed out', signedOut);
    await goto(page, angusLink);

    // The survey closes: a form sent after that, and an invitation opened after that.
    await goto(page, `${s.url}/survey/part-one/about_you`);
    expect((await s.run(['wave', 'close', '--wave', WAVE])).code).toBe(0);
    const closedPost = await saveAndContinue(page);
    expect(closedPost.status()).toBe(403);
    expect(await heading(page)).toBe('This survey is closed');
    await audit(page, 'survey closed (form sent)', closedPost);
    const closedLink = await goto(page, s.links.get('moray')!);
    expect(closedLink.status()).toBe(403);
    await audit(page, 'survey closed (invitation opened)', closedLink);

    // Too many invitation links tried from one address.
    let limited = '';
    for (let i = 0; i < 30 && limited !== '/i/problem/too-many'; i++) {
      limited = (await angus.context.request.get(`${s.url}/i/guess${i}`, { maxRedirects: 0 })).headers().location ?? '';
    }
    expect(limited).toBe('/i/problem/too-many');
    const tooMany = await goto(page, `${s.url}/i/one-more-guess`);
    expect(tooMany.status()).toBe(429);
    await audit(page, 'too many attempts', tooMany);

    for (const c of [visitor, respondent, angus]) expect(c.problems).toEqual([]);
    const summary = audited.map((a) => `${a.violations === 0 ? 'ok  ' : 'FAIL'} ${a.status} ${a.name} (${a.path})`).join('\n');
    mkdirSync(outputDir, { recursive: true });
    writeFileSync(join(outputDir, 'axe-report.txt'), `${summary}\n\n${reports.join('\n\n') || 'no violations'}\n`);
    expect(reports, `axe violations:\n\n${reports.join('\n\n')}\n\npages audited:\n${summary}`).toEqual([]);
    expect(audited.length).toBeGreaterThanOrEqual(45);
  }, 150_000);
});
