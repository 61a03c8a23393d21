import { describe, expect, it } from 'vitest';
import {
  answerAboutYou,
  answerContract,
  answerPortfolio,
  answerQualifications,
  answerYourCouncil,
  button,
  goto,
  heading,
  linkNamed,
  navigate,
  pathOf,
  saveAndContinue,
} from './support/journey-steps.js';
import { expectAccessible, saveScreenshot, useSurveyTest } from './support/survey-harness.js';

/**
 * "Leave the survey", on a shared computer with JavaScript off: the header's plain form removes every
 * cookie of both parts at once, and the page it lands on says how to come back. After it, the next person
 * at the browser finds neither part open.
 */

const harness = useSurveyTest();

const surveyCookies = async (context: import('playwright-core').BrowserContext) =>
  (await context.cookies()).filter((c) => c.name.startsWith('cswo_')).map((c) => c.name);

describe('leaving the survey (browser, JavaScript off)', () => {
  it('from part one and from part two: every survey cookie goes, and each part comes back the way the page says', async () => {
    const survey = await harness.startSurvey();
    const { context, page } = await harness.newContext({ javaScriptEnabled: false });

    // Part one, half done: leave from a section page.
    await goto(page, survey.links.get('highland')!);
    await navigate(page, () => page.getByRole('link', { name: /part one/ }).click());
    await answerAboutYou(page);
    await saveAndContinue(page);
    expect(await surveyCookies(context)).toContain('cswo_session');
    const left = await navigate(page, () => button(page, 'Leave the survey').click());
    expect(left.status()).toBe(200);
    expect(await heading(page)).toBe('You have left the survey');
    expect(await page.locator('main').innerText()).toContain('open the link in your invitation email again');
    expect(await page.getByRole('button', { name: 'Leave the survey' }).count()).toBe(0);
    expect(await surveyCookies(context)).toEqual([]);
    expect((await goto(page, `${survey.url}/survey/part-one/your_council`)).status()).toBe(401);

    // The invitation link brings part one back where it was left.
    await goto(page, survey.links.get('highland')!);
    await navigate(page, () => page.getByRole('link', { name: /part one/ }).click());
    expect(pathOf(page)).toBe('/survey/part-one/your_council');

    // Part one sent, part two started: leave from a part-two page.
    for (const answer of [answerYourCouncil, answerQualifications, answerPortfolio, answerContract]) {
      await answer(page);
      await saveAndContinue(page);
    }
    await navigate(page, () => button(page, 'Submit part one').click());
    expect(pathOf(page)).toBe('/survey/part-one/done');
    const code = await page.locator('.part-two-code__value').innerText();
    await navigate(page, () => linkNamed(page, 'Continue to part two').click());
    await saveAndContinue(page);
    expect((await surveyCookies(context)).sort()).toEqual(['cswo_part_two', 'cswo_part_two_pending', 'cswo_session']);
    const leftTwo = await navigate(page, () => button(page, 'Leave the survey').click());
    expect(leftTwo.status()).toBe(200);
    expect(await heading(page)).toBe('You have left the survey');
    // The code is shown once more, since nothing else can give it back.
    expect(await page.locator('.part-two-code__value').innerText()).toBe(code);
    expect(await surveyCookies(context)).toEqual([]);
    expect((await goto(page, `${survey.url}/part-two`)).status()).toBe(401);
    expect((await goto(page, `${survey.url}/survey`)).status()).toBe(401);

    // The code opens part two again, where it was left.
    await goto(page, `${survey.url}/part-two/resume`);
    await page.getByLabel('Your part-two code').fill(code);
    await navigate(page, () => button(page, 'Continue').click());
    expect(pathOf(page)).not.toBe('/part-two/workload');
    expect(pathOf(page)).toMatch(/^\/part-two\//);
  });

  it('at 320 px with JavaScript on: the header button and the page it leads to fit the screen and pass axe', async () => {
    const survey = await harness.startSurvey();
    const { page, problems } = await harness.newContext({ viewport: { width: 320, height: 800 } });
    const start = await goto(page, survey.links.get('highland')!);
    await expectAccessible(page, 'start page with the leave button', start, 200);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const left = await navigate(page, () => button(page, 'Leave the survey').click());
    await expectAccessible(page, 'you have left the survey', left, 200);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await saveScreenshot(page, 'left-the-survey-320');
    expect(problems).toEqual([]);
  });
});
