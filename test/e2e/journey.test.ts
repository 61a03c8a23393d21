import { describe, expect, it } from 'vitest';
import type { AnalysisTable, MeanCell, ShareCell } from '../../analysis/index.js';
import {
  activeElement,
  answerContract,
  answerLinks,
  answerPortfolio,
  answerPressure,
  answerQualifications,
  answerYourCouncil,
  button,
  choose,
  checkRows,
  expectErrorSummary,
  goto,
  heading,
  navigate,
  partOneAnswers,
  partOneStatus,
  pathOf,
  questions,
  radio,
  saveAndContinue,
  timeShareInput,
  timeShareTotal,
  linkNamed,
} from './support/journey-steps.js';
import { secretOf, useSurveyTest } from './support/survey-harness.js';

/**
 * The whole respondent journey in a real browser, once with JavaScript and once with plain HTML forms
 * only: invitation link, part one with a mistake and its fix, leaving and coming back by the same link,
 * check and submit, part two with the running total and the pressure matrix, and the wave's tables.
 */

const harness = useSurveyTest();

const tableOf = (tables: readonly AnalysisTable[], id: string) => {
  const table = tables.find((t) => t.id === id);
  if (!table) throw new Error(`no table ${id}`);
  return table;
};
const cell = (table: AnalysisTable, row: string, column: string) => {
  const found = table.rows.find((r) => r.id === row);
  if (!found) throw new Error(`table ${table.id} has no row ${row}: ${table.rows.map((r) => r.id).join(', ')}`);
  const c = found.cells[column];
  if (!c) throw new Error(`table ${table.id} row ${row} has no column ${column}: ${Object.keys(found.cells).join(', ')}`);
  return c;
};

describe.each([
  { mode: 'with JavaScript', javaScriptEnabled: true },
  { mode: 'without JavaScript (plain HTML forms)', javaScriptEnabled: false },
])('the respondent journey $mode', ({ javaScriptEnabled }) => {
  it('goes from the invitation link through both parts to the thanks page, and the answers reach the tables', async () => {
    const survey = await harness.startSurvey();
    const link = survey.links.get('fife')!;
    const first = await harness.newContext({ javaScriptEnabled });
    let page = first.page;

    // The link is exchanged for cookies and the secret leaves the address bar at once.
    const opened = await goto(page, link);
    expect(opened.status()).toBe(200);
    expect(page.url()).toBe(`${survey.url}/survey`);
    expect(page.url()).not.toContain(secretOf(link));
    expect(opened.request().redirectedFrom()?.url()).toBe(link);
    expect(await heading(page)).toBe('Chief Social Work Officer annual survey');
    expect(await page.locator('.ds_page-header__label').innerText()).toContain('Fife');
    expect(await partOneStatus(page)).toBe('not started');

    // Part one, first page: name and email come from the roster; the email gets a mistake.
    await navigate(page, () => page.getByRole('link', { name: 'Start part one' }).click());
    expect(pathOf(page)).toBe('/survey/part-one/about_you');
    expect(await page.getByLabel('Your name').inputValue()).toBe('Fiona Fife');
    await page.getByLabel('Your work email address').fill(partOneAnswers.badEmail);
    await choose(radio(page, questions.role, 'Chief Social Work Officer'));
    await choose(radio(page, questions.registered, 'Yes'));
    const refused = await saveAndContinue(page);
    expect(refused.status()).toBe(400);
    expect(pathOf(page)).toBe('/survey/part-one/about_you');
    await expectErrorSummary(page, [{ text: 'Enter an email address in the correct format, like name@council.gov.uk', href: '#f-email' }]);
    // What was typed and chosen is kept, so only the mistake needs fixing.
    expect(await page.getByLabel('Your work email address').inputValue()).toBe(partOneAnswers.badEmail);
    expect(await radio(page, questions.role, 'Chief Social Work Officer').isChecked()).toBe(true);
    expect(await page.locator('#f-email-error').innerText()).toContain('Enter an email address in the correct format');
    expect(await page.getByLabel('Your work email address').getAttribute('aria-describedby')).toBe('f-email-error');
    // The enhancement moves focus to the summary so it is read out first; plain HTML leaves it at the top.
    expect((await activeElement(page)).id).toBe(javaScriptEnabled ? 'error-summary' : '');

    // Following the summary's link puts focus in the field.
    await page.locator('#error-summary a[href="#f-email"]').click();
    expect(new URL(page.url()).hash).toBe('#f-email');
    expect((await activeElement(page)).id).toBe('f-email');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(partOneAnswers.email);
    // With JavaScript, typing in the field clears its message at once; without, it stays until sent.
    expect(await page.locator('#f-email-error').count()).toBe(javaScriptEnabled ? 0 : 1);
    expect((await saveAndContinue(page)).status()).toBe(200);
    expect(pathOf(page)).toBe('/survey/part-one/your_council');
    expect(await page.title()).not.toMatch(/^Error/);

    await answerYourCouncil(page);
    await saveAndContinue(page);
    expect(pathOf(page)).toBe('/survey/part-one/qualifications');
    // Something ticked but not saved: leaving now keeps only what was saved.
    await choose(page.getByRole('checkbox', { name: 'PhD', exact: true }));
    await first.context.close();

    // Back by the same link in a new browser: the draft is kept and "continue" lands where they were.
    const second = await harness.newContext({ javaScriptEnabled });
    page = second.page;
    await goto(page, link);
    expect(pathOf(page)).toBe('/survey');
    expect(await partOneStatus(page)).toBe('in progress');
    await navigate(page, () => page.getByRole('link', { name: 'Continue part one' }).click());
    expect(pathOf(page)).toBe('/survey/part-one/qualifications');
    expect(await page.getByRole('checkbox', { name: 'PhD', exact: true }).isChecked()).toBe(false);
    // The earlier pages show what was saved.
    await navigate(page, () => page.getByRole('link', { name: 'Back' }).click());
    expect(pathOf(page)).toBe('/survey/part-one/your_council');
    expect(await radio(page, questions.urbanRural, 'Remote rural areas').isChecked()).toBe(true);
    expect(await radio(page, questions.timeInPost, '3 to 5 years').isChecked()).toBe(true);
    await saveAndContinue(page);

    await answerQualifications(page);
    await saveAndContinue(page);
    expect(pathOf(page)).toBe('/survey/part-one/portfolio_section');
    await answerPortfolio(page);
    await saveAndContinue(page);
    expect(pathOf(page)).toBe('/survey/part-one/contract_section');
    await answerContract(page);
    await saveAndContinue(page);

    // Check your answers, then submit.
    expect(pathOf(page)).toBe('/survey/part-one/check');
    expect(await heading(page)).toBe('Check your answers');
    const partOneRows = await checkRows(page);
    expect(partOneRows['Your name']).toEqual(['Fiona Fife']);
    expect(partOneRows['Your work email address']).toEqual([partOneAnswers.email]);
    expect(partOneRows['Are you a registered social worker?']).toEqual(['Yes']);
    expect(Object.entries(partOneRows).find(([k]) => k.startsWith(questions.urbanRural))?.[1]).toEqual(['Remote rural areas']);
    expect(partOneRows['Which post-qualifying awards or degrees do you hold?']).toEqual(['PQ1', 'Masters level qualification']);
    expect(partOneRows['How many hours a week are you contracted to work?']!.join(' ')).toContain('37');
    expect(partOneRows['Which other awards or degrees do you hold?']).toEqual(['Not answered']);
    // A change link goes to the page of its question.
    expect(await page.getByRole('link', { name: /Change\s*your answer to: Your work email address/ }).getAttribute('href')).toBe(
      '/survey/part-one/about_you#f-email',
    );
    const submitted = await navigate(page, () => button(page, 'Submit part one').click());
    expect(submitted.status()).toBe(200);
    expect(pathOf(page)).toBe('/survey/part-one/done');
    expect(await heading(page)).toBe('Part one submitted');
    expect(await page.locator('.ds_confirmation-message').getAttribute('role')).toBe('status');
    expect(await survey.counts()).toEqual({ partOne: 1, partTwo: 0 });
    // The private part-two code, the only way back to part two from another device.
    const code = await page.locator('.part-two-code__value').innerText();
    expect(code).toMatch(/^([0-9A-Z]{5}-){4}[0-9A-Z]{5}$/);

    // On to part two, which lives under its own path and cookie.
    await navigate(page, () => linkNamed(page, 'Continue to part two').click());
    expect(pathOf(page)).toBe('/part-two/workload');
    expect(await heading(page)).toBe('Your working time');
    expect(await page.locator('.ds_page-header__label').innerText()).toBe('Part two: section 1 of 8');
    const cookies = await second.context.cookies();
    expect(cookies.find((c) => c.name === 'cswo_part_two')?.path).toBe('/part-two');

    await choose(radio(page, questions.extraFrequency, 'Always'));
    await choose(radio(page, questions.extraBand, '10 to 20 hours'));
    // With JavaScript a running total; without, the total when the page was last saved, and it says so.
    const totalWord = javaScriptEnabled ? 'Total so far:' : 'Total when you last saved:';
    expect(await timeShareTotal(page)).toBe(`${totalWord} 0% (roughly 100% is expected, but you can continue)`);
    await timeShareInput(page, 'children').fill('40');
    await timeShareInput(page, 'adults').fill('30');
    await timeShareInput(page, 'own_ld').fill('10');
    if (javaScriptEnabled) {
      // The running total follows the typing.
      expect(await timeShareTotal(page)).toBe('Total so far: 80% (roughly 100% is expected, but you can continue)');
      // People type the unit the box shows; the total reads it as the server will.
      await timeShareInput(page, 'governance').fill('20%');
      expect(await timeShareTotal(page)).toBe('Total so far: 100%');
    } else {
      // Without JavaScript the total is the one the server rendered; it shows again after saving.
      expect(await timeShareTotal(page)).toBe('Total when you last saved: 0% (roughly 100% is expected, but you can continue)');
      // People type the unit the box shows.
      await timeShareInput(page, 'governance').fill('20%');
    }
    // A share over 100 is refused, and the row's error is linked from the summary. The fix is
    // followed at once by a click on "Save and continue": the message that clears must not move the
    // button away from under the pointer (it did, and the click was lost).
    await timeShareInput(page, 'budgets').fill('150');
    const tooMuch = await saveAndContinue(page);
    expect(tooMuch.status()).toBe(400);
    await expectErrorSummary(page, [{ text: /^“Budgets” must be between 0 and 100%$/, href: '#f-time_share--budgets' }]);
    expect(await timeShareTotal(page)).toBe(
      `${javaScriptEnabled ? 'Total so far:' : 'Total of what you sent (not saved):'} 250% (roughly 100% is expected, but you can continue)`,
    );
    await page.locator('#error-summary a').click();
    expect((await activeElement(page)).id).toBe('f-time_share--budgets');
    await timeShareInput(page, 'budgets').fill('');
    if (javaScriptEnabled) expect(await timeShareTotal(page)).toBe('Total so far: 100%');
    await saveAndContinue(page);
    expect(pathOf(page)).toBe('/part-two/pressures');
    await navigate(page, () => page.getByRole('link', { name: 'Back' }).click());
    expect(await timeShareTotal(page)).toBe(`${totalWord} 100%`);
    expect(await timeShareInput(page, 'children').inputValue()).toBe('40');
    // Every part-two page shows the code.
    expect(await page.locator('.part-two-code__value').innerText()).toBe(code);
    await saveAndContinue(page);

    // On another device, the code typed as a person would (lower case, spaces) resumes the same part two.
    const device = await harness.newContext({ javaScriptEnabled });
    await goto(device.page, `${survey.url}/part-two`);
    expect(await heading(device.page)).toBe('Continue part two with your code');
    await navigate(device.page, () => linkNamed(device.page, 'Enter your part-two code').click());
    await device.page.getByLabel('Your part-two code').fill(code.toLowerCase().replaceAll('-', ' '));
    await navigate(device.page, () => button(device.page, 'Continue').click());
    expect(pathOf(device.page)).toBe('/part-two/pressures');
    await goto(device.page, `${survey.url}/part-two/workload`);
    expect(await timeShareInput(device.page, 'children').inputValue()).toBe('40');
    await device.context.close();

    await answerPressure(page);
    await saveAndContinue(page);
    expect(pathOf(page)).toBe('/part-two/links');
    await answerLinks(page);
    await saveAndContinue(page);
    for (const section of ['leaders', 'covid', 'support_networks', 'learning', 'reflections']) {
      expect(pathOf(page)).toBe(`/part-two/${section}`);
      await saveAndContinue(page);
    }
    expect(pathOf(page)).toBe('/part-two/check');
    expect(await page.title()).toBe('Check your answers (Part two) – CSWO survey – Social Work Scotland');
    const partTwoRows = await checkRows(page);
    expect(partTwoRows[questions.extraFrequency]).toEqual(['Always']);
    const timeShareLines = partTwoRows['Roughly what percentage of your working time do you spend on each area?']!;
    expect(timeShareLines).toHaveLength(4);
    expect(timeShareLines[0]).toMatch(/^Children's social work.*40/);
    const pressureLines = partTwoRows['How much organisational pressure or stress do you feel in each area?']!;
    expect(pressureLines).toHaveLength(3);
    expect(pressureLines.join('\n')).toMatch(/Adult social work and social care, adult protection: 4/);
    const sent = await navigate(page, () => button(page, 'Submit part two').click());
    expect(sent.status()).toBe(200);
    expect(pathOf(page)).toBe('/part-two/done');
    expect(await heading(page)).toBe('Thank you: your survey is complete');
    expect(await survey.counts()).toEqual({ partOne: 1, partTwo: 1 });

    expect(first.problems).toEqual([]);
    expect(second.problems).toEqual([]);

    // The wave's tables count both answers.
    const result = await survey.tables();
    expect(result.respondents).toEqual({ identifiable: 1, anonymous: 1 });
    const share = (id: string, row: string, column = 'share') => cell(tableOf(result.tables, id), row, column) as ShareCell;
    expect(share('urban_rural', 'remote_rural')).toMatchObject({ n: 1, count: 1, pct: 100 });
    expect(share('urban_rural', 'large_urban')).toMatchObject({ n: 1, count: 0, pct: 0 });
    expect(share('time_in_post', '3_5')).toMatchObject({ n: 1, count: 1 });
    expect(share('registered_sw', 'yes')).toMatchObject({ n: 1, count: 1 });
    expect(share('salary_band', '90_99k')).toMatchObject({ n: 1, count: 1 });
    expect(share('extra_hours_frequency', 'always')).toMatchObject({ n: 1, count: 1 });
    expect(share('admin_support', 'shared')).toMatchObject({ n: 1, count: 1 });
    const mean = (row: string) => cell(tableOf(result.tables, 'time_share'), row, 'mean') as MeanCell;
    expect(mean('children')).toMatchObject({ n: 1, mean: 40 });
    expect(mean('adults')).toMatchObject({ n: 1, mean: 30 });
    expect(mean('governance')).toMatchObject({ n: 1, mean: 20 });
    expect(mean('budgets')).toMatchObject({ n: 0, mean: null });
    const band = (row: string, column: 'low' | 'high') => cell(tableOf(result.tables, 'pressure'), row, column) as ShareCell;
    expect(band('children', 'high')).toMatchObject({ n: 1, count: 1 });
    expect(band('children', 'low')).toMatchObject({ n: 1, count: 0 });
    expect(band('adults', 'high')).toMatchObject({ n: 1, count: 1 });
    expect(band('sds', 'low')).toMatchObject({ n: 1, count: 1 });
    expect(band('health', 'high')).toMatchObject({ n: 0, count: 0 });
    const portfolio = (row: string, column: string) => cell(tableOf(result.tables, 'portfolio'), row, column) as ShareCell;
    expect(portfolio('children_sw', 'all')).toMatchObject({ n: 1, count: 1 });
    expect(portfolio('adult_sw', 'part')).toMatchObject({ n: 1, count: 1 });
  }, 120_000);
});
