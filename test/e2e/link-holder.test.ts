import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { button, completePartOne, goto, heading, navigate, partTwoToCheck, pathOf, saveAndContinue } from './support/journey-steps.js';
import { useSurveyTest, type Council } from './support/survey-harness.js';

/**
 * Whoever holds an invitation link (the administrator who issued it and kept the CSV, anyone with the
 * mailbox) opens it in a fresh browser with JavaScript off, after the council has sent part one, and
 * follows every way on: every link of every page, every form. What they see must be the same whether
 * that council's part two is untouched, half saved or submitted, up to the council's own name; and they
 * never get a part-two cookie.
 */

const harness = useSurveyTest();

/** Council names as the pages show them (label and code), replaced so that pages can be compared. */
const names: Record<string, readonly string[]> = { fife: ['Fife', 'fife'], angus: ['Angus', 'angus'], moray: ['Moray', 'moray'] };

interface Seen {
  readonly what: string;
  readonly status: number;
  readonly path: string;
  readonly title: string;
  readonly text: string;
}

/** The visible page, as a reader of it gets it: the address, status, title and main text. */
const read = async (page: Page, what: string, status: number): Promise<Seen> => ({
  what,
  status,
  path: `${pathOf(page)}${new URL(page.url()).search}`,
  title: await page.title(),
  text: await page.locator('body').innerText(),
});

const leaveForms = ['post /survey/sign-out', 'post /part-two/leave'];

/** Every page a fresh browser reaches from the link, following each link and submitting each form once. */
const crawl = async (page: Page, origin: string, link: string): Promise<Seen[]> => {
  const seen: Seen[] = [];
  const opened = await goto(page, link);
  seen.push(await read(page, 'the invitation link', opened.status()));
  // Addresses a link holder would try by hand, besides those the pages link to.
  const queue = [
    pathOf(page),
    '/survey/part-one',
    '/survey/part-one/check',
    '/survey/part-one/done',
    '/part-two',
    '/part-two/workload',
    '/part-two/check',
    '/part-two/done',
    '/part-two/resume',
  ];
  const visited = new Set<string>();
  const submitted = new Set<string>();
  const leaving: [form: string, from: string][] = [];
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (visited.has(path)) continue;
    visited.add(path);
    const response = await goto(page, `${origin}${path}`);
    seen.push(await read(page, `GET ${path}`, response.status()));
    const here = pathOf(page);
    for (const href of await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
      const url = new URL(href);
      if (url.origin === origin && !url.pathname.startsWith('/assets/') && !url.pathname.startsWith('/staff')) queue.push(`${url.pathname}${url.search}`);
    }
    // Each form once, as it stands (its own hidden fields, nothing typed), from the page it is on.
    const forms = await page
      .locator('form')
      .evaluateAll((fs) => fs.map((f) => `${(f as HTMLFormElement).method} ${new URL((f as HTMLFormElement).action).pathname}`));
    for (const [i, form] of forms.entries()) {
      if (submitted.has(form)) continue;
      // "Leave the survey" ends the session: tried last, once the rest has been seen.
      if (leaveForms.includes(form)) {
        if (!leaving.some(([f]) => f === form)) leaving.push([form, here]);
        continue;
      }
      submitted.add(form);
      const sent = await navigate(page, () => page.locator('form').nth(i).locator('button[type="submit"], button:not([type])').first().click());
      seen.push(await read(page, `${form} (from ${here})`, sent.status()));
      await goto(page, `${origin}${here}`);
    }
  }
  for (const [form, from] of leaving) {
    await goto(page, `${origin}${from}`);
    const sent = await navigate(page, () => button(page, 'Leave the survey').click());
    seen.push(await read(page, `${form} (from ${from})`, sent.status()));
  }
  return seen;
};

describe('the invitation link after part one, held by someone else', () => {
  it('leads to the same pages whether part two is untouched, half saved or submitted, and never to part two', async () => {
    const survey = await harness.startSurvey();
    const origin = survey.url;

    // Three councils' CSWOs, in their own browsers: one stops after part one, one saves a page of part
    // two, one sends part two.
    const respondents = {} as Record<'fife' | 'angus' | 'moray', Page>;
    for (const council of ['fife', 'angus', 'moray'] as const) {
      const { page } = await harness.newContext();
      await goto(page, survey.links.get(council)!);
      await completePartOne(page);
      respondents[council] = page;
    }
    const half = respondents.angus;
    await navigate(half, () => half.getByRole('link', { name: 'Continue to part two' }).click());
    await saveAndContinue(half);
    expect(pathOf(half)).toBe('/part-two/pressures');
    await partTwoToCheck(respondents.moray);
    await navigate(respondents.moray, () => button(respondents.moray, 'Submit part two').click());
    expect(await heading(respondents.moray)).toBe('Thank you: your survey is complete');
    expect(await survey.counts()).toEqual({ partOne: 3, partTwo: 1 });

    // The link holder, for each council: a fresh browser, JavaScript off.
    const walks: Record<string, Seen[]> = {};
    for (const council of ['fife', 'angus', 'moray'] as const satisfies readonly Council[]) {
      const holder = await harness.newContext({ javaScriptEnabled: false });
      walks[council] = await crawl(holder.page, origin, survey.links.get(council)!);
      expect(
        (await holder.context.cookies()).map((c) => c.name),
        `${council}: the link gave a part-two cookie`,
      ).not.toContain('cswo_part_two');
    }
    const neutral = (council: string, seen: readonly Seen[]) =>
      seen.map((s) => names[council]!.reduce((text, name) => text.replaceAll(name, 'COUNCIL'), JSON.stringify(s)));
    expect(neutral('angus', walks.angus!)).toEqual(neutral('fife', walks.fife!));
    expect(neutral('moray', walks.moray!)).toEqual(neutral('fife', walks.fife!));

    // The walk went where a link holder would go: part one's confirmation, part two's door, the code form.
    const fife = walks.fife!;
    expect(fife.length).toBeGreaterThan(10);
    expect(fife.map((s) => s.text).join('\n')).toContain('Part one has been submitted');
    expect(fife.find((s) => s.what === 'GET /part-two')).toMatchObject({ status: 401, title: expect.stringMatching(/^Continue part two with your code/) });
    expect(fife.some((s) => s.what.startsWith('post /part-two/resume'))).toBe(true);
    expect(fife.map((s) => s.text).join('\n')).not.toMatch(/Thank you: your survey is complete|Part two has already been submitted|Your private part-two code/);

    // The control: the CSWOs' own browsers, which hold their passes, do see three different states.
    const own = await Promise.all(
      Object.values(respondents).map(async (page) => {
        const response = await goto(page, `${origin}/part-two`);
        return `${response.status()} ${pathOf(page)} ${await page.title()}`;
      }),
    );
    expect(new Set(own).size).toBe(3);
  }, 120_000);
});
