import { describe, expect, it } from 'vitest';
import {
  answerAboutYou,
  answerYourCouncil,
  checkbox,
  checkRows,
  choose,
  expectErrorSummary,
  goto,
  matrixRadio,
  navigate,
  pathOf,
  saveAndContinue,
} from './support/journey-steps.js';
import { axeViolations, useSurveyTest } from './support/survey-harness.js';

/**
 * A wave fielding cswo-annual@3 (published from its example file), whose questions carry rules between answers and written error
 * messages: "None of these" alone, the "other awards" box that follows its option, chaired groups no
 * more than attended. The server refuses what breaks a rule with the written message; with JavaScript
 * the page also keeps the respondent from breaking them.
 */

const harness = useSurveyTest();
const otherAwards = 'Which other awards or degrees do you hold?';

/** From the invitation to the qualifications page of part one. */
const toQualifications = async (page: import('playwright-core').Page, link: string) => {
  await goto(page, link);
  await navigate(page, () => page.getByRole('link', { name: /part one/ }).click());
  await answerAboutYou(page);
  await saveAndContinue(page);
  await answerYourCouncil(page);
  await saveAndContinue(page);
  expect(pathOf(page)).toBe('/survey/part-one/qualifications');
};

describe('questions with rules between answers (cswo-annual@3)', () => {
  it('without JavaScript: the follow-up is shown, and answers that break a rule are refused with the written messages', async () => {
    const survey = await harness.startSurvey({ id: '2021-01', definition: 'cswo-annual@3', publish: 'survey-definitions/examples/cswo-annual@3.json' });
    const { page } = await harness.newContext({ javaScriptEnabled: false });
    await toQualifications(page, survey.links.get('fife')!);
    await expect(page.getByLabel(otherAwards).isVisible()).resolves.toBe(true);
    await choose(checkbox(page, 'PQ1'));
    await choose(checkbox(page, 'None of these'));
    await page.getByLabel(otherAwards).fill('A diploma in management');
    const refused = await saveAndContinue(page);
    expect(refused.status()).toBe(400);
    await expectErrorSummary(page, [
      { text: 'Select “None of these” on its own, or the awards and degrees you hold', href: '#f-pq_awards--pq1' },
      { text: 'Select “Another award or degree” if you want to tell us which other awards or degrees you hold', href: '#f-pq_awards_other' },
    ]);
    // Put right: the awards held, the other one ticked, its name given.
    await checkbox(page, 'None of these').uncheck({ force: true });
    await choose(checkbox(page, 'Another award or degree'));
    expect((await saveAndContinue(page)).status()).toBe(200);
    expect(pathOf(page)).toBe('/survey/part-one/portfolio_section');

    // A grid row once chosen is undone with its "No answer" radio.
    await choose(matrixRadio(page, "Children's social work", 'All of the service area'));
    await saveAndContinue(page);
    await navigate(page, () => page.getByRole('link', { name: 'Back' }).click());
    await choose(matrixRadio(page, "Children's social work", 'No answer'));
    expect((await saveAndContinue(page)).status()).toBe(200);
    await goto(page, `${survey.url}/survey/part-one/check`);
    const answers = await checkRows(page);
    expect(answers['Which other awards or degrees do you hold?']).toEqual(['A diploma in management']);
    expect(answers['For each service area, how much of it is within your operational portfolio?']).toEqual(['Not answered']);
  });

  it('with JavaScript: the follow-up shows only while its option is ticked, and "None of these" unticks the rest', async () => {
    const survey = await harness.startSurvey({ id: '2021-01', definition: 'cswo-annual@3', publish: 'survey-definitions/examples/cswo-annual@3.json' });
    const { page } = await harness.newContext({ javaScriptEnabled: true });
    await toQualifications(page, survey.links.get('angus')!);
    const followUp = page.getByLabel(otherAwards);
    await expect(followUp.isVisible()).resolves.toBe(false);
    await choose(checkbox(page, 'Another award or degree'));
    await expect(followUp.isVisible()).resolves.toBe(true);
    await expect(checkbox(page, 'Another award or degree').getAttribute('aria-expanded')).resolves.toBe('true');
    const { violations, report } = await axeViolations(page);
    expect(violations, report).toEqual([]);
    await followUp.fill('A diploma in management');
    await choose(checkbox(page, 'PQ1'));
    // "None of these" clears the others, which hides the follow-up; its text is then not sent.
    await choose(checkbox(page, 'None of these'));
    await expect(checkbox(page, 'PQ1').isChecked()).resolves.toBe(false);
    await expect(checkbox(page, 'Another award or degree').isChecked()).resolves.toBe(false);
    await expect(followUp.isVisible()).resolves.toBe(false);
    // Ticking an award clears "None of these".
    await choose(checkbox(page, 'PQ2'));
    await expect(checkbox(page, 'None of these').isChecked()).resolves.toBe(false);
    expect((await saveAndContinue(page)).status()).toBe(200);
    await navigate(page, () => page.getByRole('link', { name: 'Back' }).click());
    await expect(checkbox(page, 'PQ2').isChecked()).resolves.toBe(true);
    await expect(followUp.inputValue()).resolves.toBe('');
    await expect(followUp.isVisible()).resolves.toBe(false);
  });
});
