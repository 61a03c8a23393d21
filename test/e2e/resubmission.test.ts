import { describe, expect, it } from 'vitest';
import {
  button,
  checkRows,
  completePartOne,
  goto,
  heading,
  navigate,
  partOneStatus,
  partOneToCheck,
  partTwoToCheck,
  pathOf,
  linkNamed,
} from './support/journey-steps.js';
import { useSurveyTest } from './support/survey-harness.js';

/**
 * Each part is sent once. A second submission (another tab still on "check your answers", the form
 * posted again with the same cookies, the back button) shows "already been submitted" and stores nothing.
 */

const harness = useSurveyTest();

const csrfOf = (page: import('playwright-core').Page) => page.locator('main form input[name="_csrf"]').inputValue();

describe('a second submission', () => {
  it('of part one, from a second tab and as a re-post with the same cookies, shows "already been submitted" and keeps one row', async () => {
    const survey = await harness.startSurvey();
    const context = await harness.newContext();
    const { page } = context;
    await goto(page, survey.links.get('highland')!);
    await partOneToCheck(page);

    // A second tab on the same check page, as someone with two windows open would have.
    const other = await context.context.newPage();
    await goto(other, `${survey.url}/survey/part-one/check`);
    expect(await heading(other)).toBe('Check your answers');
    const csrf = await csrfOf(other);

    const first = await navigate(page, () => button(page, 'Submit part one').click());
    expect(first.status()).toBe(200);
    expect(await heading(page)).toBe('Part one submitted');
    expect(await survey.counts()).toEqual({ partOne: 1, partTwo: 0 });

    // The other tab's submit button: the same browser sent it, so it is shown the same confirmation
    // (with the same part-two code) and nothing is stored again.
    const code = await page.locator('.part-two-code__value').innerText();
    const second = await navigate(other, () => button(other, 'Submit part one').click());
    expect(second.status()).toBe(200);
    expect(pathOf(other)).toBe('/survey/part-one/done');
    expect(await heading(other)).toBe('Part one submitted');
    expect(await other.locator('.part-two-code__value').innerText()).toBe(code);

    // The same form posted again with the browser's cookies: back to the confirmation, nothing changed.
    const repost = await context.context.request.post(`${survey.url}/survey/part-one/submit`, { form: { _csrf: csrf }, maxRedirects: 0 });
    expect(repost.status()).toBe(303);
    expect(repost.headers().location).toBe('/survey/part-one/done');

    // Another browser with the same invitation link (someone else with the email) is refused.
    const elsewhere = await harness.newContext();
    await goto(elsewhere.page, survey.links.get('highland')!);
    await goto(elsewhere.page, `${survey.url}/survey/part-one/check`);
    expect(await heading(elsewhere.page)).toBe('Part one has already been submitted');
    expect(await elsewhere.context.cookies()).not.toContainEqual(expect.objectContaining({ name: 'cswo_part_two' }));

    // The back button, a section page and the start page all know it is done.
    await goto(page, `${survey.url}/survey/part-one/check`);
    expect(await heading(page)).toBe('Part one has already been submitted');
    const section = await goto(page, `${survey.url}/survey/part-one/about_you`);
    expect(section.status()).toBe(409);
    // Posting a section after submission changes nothing either.
    const sectionPost = await context.context.request.post(`${survey.url}/survey/part-one/about_you`, {
      form: { _csrf: csrf, name: 'Someone Else', email: 'else@highland.gov.uk' },
      maxRedirects: 0,
    });
    expect(sectionPost.status()).toBe(409);
    await goto(page, `${survey.url}/survey`);
    expect(await partOneStatus(page)).toBe('submitted');
    expect(await page.getByRole('link', { name: /part one/ }).count()).toBe(0);
    expect(await linkNamed(page, 'Go to part two').count()).toBe(1);

    expect(await survey.counts()).toEqual({ partOne: 1, partTwo: 0 });
    const rows = await survey.server.stores.identifiable.selectFrom('part_one_response').select(['local_authority', 'answers']).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.local_authority).toBe('highland');
    expect(JSON.parse(rows[0]!.answers)).toMatchObject({ name: 'Hamish Highland', email: 'hamish@highland.gov.uk' });
    expect(context.problems).toEqual([]);
  }, 60_000);

  it('of part two, from a tab still on its check page and as a re-post, shows "already been submitted" and keeps one answer', async () => {
    const survey = await harness.startSurvey();
    const context = await harness.newContext();
    const { page } = context;
    await goto(page, survey.links.get('falkirk')!);
    await completePartOne(page);
    await partTwoToCheck(page);
    expect((await checkRows(page))['How often do you work hours in addition to your contracted weekly hours?']).toEqual(['Sometimes']);

    const other = await context.context.newPage();
    await goto(other, `${survey.url}/part-two/check`);
    const csrf = await csrfOf(other);

    expect((await navigate(page, () => button(page, 'Submit part two').click())).status()).toBe(200);
    expect(await heading(page)).toBe('Thank you: your survey is complete');
    expect(await survey.counts()).toEqual({ partOne: 1, partTwo: 1 });

    const second = await navigate(other, () => button(other, 'Submit part two').click());
    expect(second.status()).toBe(409);
    expect(await heading(other)).toBe('Part two has already been submitted');
    const repost = await context.context.request.post(`${survey.url}/part-two/submit`, { form: { _csrf: csrf }, maxRedirects: 0 });
    expect(repost.status()).toBe(409);

    // Opening part two again from the same browser leads to the same answer, not a fresh part two.
    await goto(page, survey.links.get('falkirk')!);
    await navigate(page, () => linkNamed(page, 'Go to part two').click());
    expect(pathOf(page)).toBe('/part-two/done');
    expect(await heading(page)).toBe('Thank you: your survey is complete');

    expect(await survey.counts()).toEqual({ partOne: 1, partTwo: 1 });
    expect(context.problems).toEqual([]);
  }, 60_000);
});
