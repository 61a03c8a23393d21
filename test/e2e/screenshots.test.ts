import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  answerAboutYou,
  answerContract,
  answerPortfolio,
  answerPressure,
  answerQualifications,
  answerYourCouncil,
  button,
  goto,
  navigate,
  pathOf,
  saveAndContinue,
  timeShareInput,
  linkNamed,
} from './support/journey-steps.js';
import { saveScreenshot, useSurveyTest } from './support/survey-harness.js';

/**
 * Full-page screenshots at a phone's 320 px and a desktop's 1280 px, written to test-output/screenshots/
 * for a person to look at; at 320 px no page may scroll sideways (WCAG 1.4.10 Reflow).
 */

const harness = useSurveyTest();

/** The page's width against the viewport's, and the elements that stick out, for the failure message. */
const horizontalOverflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 8)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).trim().replace(/\s+/g, '.')}` : ''} (right edge ${Math.round(el.getBoundingClientRect().right)})`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, wide };
  });

describe.each([320, 1280])('at %i px wide', (width) => {
  it('screenshots the start page, a section with errors, the pressure matrix and a check page', async () => {
    const survey = await harness.startSurvey();
    const context = await harness.newContext({ viewport: { width, height: 800 } });
    const { page } = context;
    const shots: string[] = [];
    const fitsWidth = async (what: string) => {
      if (width !== 320) return;
      const { scrollWidth, wide } = await horizontalOverflow(page);
      expect(scrollWidth, `${what} scrolls sideways at 320 px; too wide: ${wide.join(', ')}`).toBeLessThanOrEqual(320 + 1);
    };
    const shoot = async (name: string) => {
      await fitsWidth(name);
      shots.push(await saveScreenshot(page, `${name}-${width}`));
    };

    await goto(page, survey.links.get('stirling')!);
    await shoot('start-page');
    await navigate(page, () => page.getByRole('link', { name: 'Start part one' }).click());
    await fitsWidth('part one: about you');
    await page.getByLabel('Your work email address').fill('stuart at stirling');
    await page.getByLabel('Your name').fill('');
    expect((await saveAndContinue(page)).status()).toBe(400);
    await shoot('part-one-errors');
    await page.getByLabel('Your name').fill('Stuart Stirling');
    await page.getByLabel('Your work email address').fill('stuart@stirling.gov.uk');
    await answerAboutYou(page);
    await saveAndContinue(page);
    for (const answer of [answerYourCouncil, answerQualifications, answerPortfolio, answerContract]) {
      await fitsWidth(pathOf(page));
      await answer(page);
      await saveAndContinue(page);
    }
    expect(pathOf(page)).toBe('/survey/part-one/check');
    await shoot('part-one-check');
    await navigate(page, () => button(page, 'Submit part one').click());
    await fitsWidth('part one: confirmation');
    await navigate(page, () => linkNamed(page, 'Continue to part two').click());
    await timeShareInput(page, 'children').fill('70');
    await timeShareInput(page, 'adults').fill('20');
    await shoot('part-two-time-share');
    await saveAndContinue(page);
    expect(pathOf(page)).toBe('/part-two/pressures');
    await answerPressure(page);
    await shoot('part-two-pressure');
    await saveAndContinue(page);
    while (pathOf(page) !== '/part-two/check') {
      await fitsWidth(pathOf(page));
      await saveAndContinue(page);
    }
    await shoot('part-two-check');
    await navigate(page, () => button(page, 'Submit part two').click());
    await fitsWidth('part two: thanks');

    expect(shots).toHaveLength(6);
    expect(context.problems).toEqual([]);
  }, 60_000);
});
