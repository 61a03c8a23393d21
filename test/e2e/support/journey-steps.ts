import type { Locator, Page, Response } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Steps of the respondent journey, written as a respondent sees the pages: labels, legends, buttons.
 * Every step waits for the page it leads to and returns the final response, so tests can check status.
 */

/** Runs an action that loads a new document and waits for it; returns the last main-frame response. */
export const navigate = async (page: Page, action: () => Promise<unknown>): Promise<Response> => {
  let last: Response | undefined;
  const onResponse = (response: Response) => {
    if (response.frame() === page.mainFrame() && response.request().isNavigationRequest()) last = response;
  };
  page.on('response', onResponse);
  try {
    const loaded = page.waitForEvent('load');
    try {
      await action();
    } catch (error) {
      loaded.catch(() => {}); // the action's failure is the one to report
      throw error;
    }
    await loaded;
  } finally {
    page.off('response', onResponse);
  }
  if (!last) throw new Error(`no page was loaded (now at ${page.url()})`);
  return last;
};

export const goto = async (page: Page, url: string): Promise<Response> => {
  const response = await page.goto(url);
  if (!response) throw new Error(`no response for ${url}`);
  return response;
};

export const pathOf = (page: Page) => new URL(page.url()).pathname;

export const heading = (page: Page) => page.locator('h1').innerText();

export const button = (page: Page, name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });

/** A link by its text (the design system styles the one next step as a button, but it is a link). */
export const linkNamed = (page: Page, name: string | RegExp) => page.getByRole('link', { name, exact: typeof name === 'string' });

export const saveAndContinue = (page: Page) => navigate(page, () => button(page, 'Save and continue').click());

/** A radio by its label, inside the question (fieldset) whose legend starts with `question`. */
export const radio = (page: Page, question: string, option: string): Locator =>
  page.getByRole('group', { name: question }).getByRole('radio', { name: option, exact: true });

/** A radio of one row of a matrix question: the row is a nested fieldset whose legend is the row label. */
export const matrixRadio = (page: Page, row: string, option: string): Locator =>
  page.getByRole('group', { name: row, exact: true }).getByRole('radio', { name: option, exact: true });

export const checkbox = (page: Page, label: string): Locator => page.getByRole('checkbox', { name: label, exact: true });

/**
 * Ticks a radio or checkbox as a person does: the design system hides the native control under its
 * label, so the label is what gets clicked.
 */
export const choose = async (control: Locator) => {
  const id = await control.getAttribute('id');
  if (!id) throw new Error('a radio or checkbox without an id has no label to click');
  const page = control.page();
  await page.locator(`label[for="${id}"]`).click();
  if (!(await control.isChecked())) throw new Error(`#${id} is not checked after clicking its label`);
};

/** What `document.activeElement` is, in a form a test can compare. */
export const activeElement = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      id: el?.id ?? '',
      type: el?.getAttribute('type') ?? '',
      name: el?.getAttribute('name') ?? '',
      value: (el as HTMLInputElement | null)?.value ?? '',
      href: el?.getAttribute('href') ?? '',
      text: (el?.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 120),
    };
  });

/** Checks the error summary: first in the content, titled "There is a problem", messages linking to fields. */
export const expectErrorSummary = async (page: Page, messages: readonly { text: string | RegExp; href: string }[]) => {
  expect(await page.title()).toMatch(/^Error: /);
  const summary = page.locator('#error-summary');
  expect(await summary.count()).toBe(1);
  expect(await summary.getAttribute('role')).toBe('alert');
  expect((await summary.locator('h2').innerText()).trim()).toBe('There is a problem');
  // The summary comes before the page's heading and every question: it is the first thing read.
  const order = await page.evaluate(() => {
    const summaryEl = document.getElementById('error-summary')!;
    const h1 = document.querySelector('h1')!;
    const firstField = document.querySelector('form input:not([type=hidden]), form textarea');
    const before = (a: Node, b: Node | null) => !b || (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    return { beforeHeading: before(summaryEl, h1), beforeFields: before(summaryEl, firstField) };
  });
  expect(order).toEqual({ beforeHeading: true, beforeFields: true });
  const links = await summary.locator('a').evaluateAll((as) => as.map((a) => ({ text: (a.textContent ?? '').trim(), href: a.getAttribute('href') ?? '' })));
  expect(links).toHaveLength(messages.length);
  messages.forEach((m, i) => {
    if (typeof m.text === 'string') expect(links[i]!.text).toBe(m.text);
    else expect(links[i]!.text).toMatch(m.text);
    expect(links[i]!.href).toBe(m.href);
  });
  // Each link leads to a field that exists on the page.
  for (const m of messages) expect(await page.locator(m.href).count(), `${m.href} is on the page`).toBe(1);
};

/** The visible text of "Status: ..." on the start page. */
export const partOneStatus = async (page: Page) => (await page.locator('p', { hasText: 'Status:' }).innerText()).replace('Status:', '').trim();

/** The rows of a check-your-answers page, label -> answer lines. */
export const checkRows = (page: Page) =>
  page
    .locator('.ds_summary-list__item')
    .evaluateAll((items) =>
      Object.fromEntries(
        items.map((item) => [
          (item.querySelector('dt')?.textContent ?? '').trim(),
          [...item.querySelectorAll('.ds_summary-list__answer')].map((q) => (q.textContent ?? '').trim()),
        ]),
      ),
    );

// ---------------------------------------------------------------------------------------------------
// The answers the journeys give, and the steps that give them.

export const partOneAnswers = {
  email: 'fiona.fife@fife.gov.uk',
  badEmail: 'fiona.fife at fife.gov.uk',
} as const;

export const questions = {
  role: 'Are you answering as the Chief Social Work Officer or as a designated deputy?',
  registered: 'Are you a registered social worker?',
  urbanRural: 'Which category of the Scottish Government 6-fold Urban Rural Classification',
  timeInPost: 'How long have you been in post as Chief Social Work Officer?',
  location: 'Where is your post formally located?',
  contract: 'Is your position as CSWO permanent, acting or temporary?',
  hours: 'Are you employed full time or part time?',
  salary: 'What is your annual salary?',
  supplement: 'Does the CSWO role carry a supplementary payment',
  reportsTo: 'Who do you report to directly?',
  extraFrequency: 'How often do you work hours in addition to your contracted weekly hours?',
  extraBand: 'In a typical week, how many additional hours do you work?',
  adminSupport: 'What administrative support do you have?',
} as const;

export const rows = {
  children:
    "Children's social work and social care, child protection, fostering and adoption, statutory responsibilities for looked after children and young people, secure accommodation authorisation",
  adults: 'Adult social work and social care, adult protection',
  sds: 'Self-directed support implementation',
} as const;

/** about_you with a valid email: the roster fills in name and email. */
export const answerAboutYou = async (page: Page) => {
  await choose(radio(page, questions.role, 'Chief Social Work Officer'));
  await choose(radio(page, questions.registered, 'Yes'));
};

export const answerYourCouncil = async (page: Page) => {
  await choose(radio(page, questions.urbanRural, 'Remote rural areas'));
  await choose(radio(page, questions.timeInPost, '3 to 5 years'));
};

export const answerQualifications = async (page: Page) => {
  await choose(checkbox(page, 'PQ1'));
  await choose(checkbox(page, 'Masters level qualification'));
};

export const answerPortfolio = async (page: Page) => {
  await choose(matrixRadio(page, "Children's social work", 'All of the service area'));
  await choose(matrixRadio(page, 'Adult social work', 'Part of the service area'));
  await choose(radio(page, questions.location, 'Within a council directorate'));
};

export const answerContract = async (page: Page) => {
  await choose(radio(page, questions.contract, 'Permanent'));
  await choose(radio(page, questions.hours, 'Full time'));
  await page.getByLabel('How many hours a week are you contracted to work?').fill('37');
  await choose(radio(page, questions.salary, '£90,000 to £99,999'));
  await choose(radio(page, questions.supplement, 'No'));
  await choose(radio(page, questions.reportsTo, 'An Executive Director'));
};

export const timeShareInput = (page: Page, row: string) => page.locator(`#f-time_share--${row}`);
export const timeShareTotal = (page: Page) => page.locator('[data-total-for="time_share"]').innerText();

export const answerPressure = async (page: Page) => {
  await choose(matrixRadio(page, rows.children, '5, most pressured'));
  await choose(matrixRadio(page, rows.adults, '4'));
  await choose(matrixRadio(page, rows.sds, '1, least pressured'));
  await page.getByLabel('Tell us about the pressures behind your ratings').fill('Winter pressures and vacancies in two teams.');
};

export const answerLinks = async (page: Page) => {
  await page.getByLabel('How many groups, boards and committees do you attend regularly?').fill('6');
  await page.getByLabel('How many of those do you chair?').fill('2');
  await choose(radio(page, questions.adminSupport, 'Shared administrative support'));
};

/** From the start page of a fresh invitation, through part one with valid answers to its check page. */
export const partOneToCheck = async (page: Page) => {
  await navigate(page, () => page.getByRole('link', { name: /part one/ }).click());
  await answerAboutYou(page);
  await saveAndContinue(page);
  await answerYourCouncil(page);
  await saveAndContinue(page);
  await answerQualifications(page);
  await saveAndContinue(page);
  await answerPortfolio(page);
  await saveAndContinue(page);
  await answerContract(page);
  await saveAndContinue(page);
  expect(pathOf(page)).toBe('/survey/part-one/check');
};

/**
 * From the start page of a fresh invitation, through part one with valid answers to its confirmation:
 * for tests that need to be past part one.
 */
export const completePartOne = async (page: Page) => {
  await partOneToCheck(page);
  const done = await navigate(page, () => button(page, 'Submit part one').click());
  expect(done.status()).toBe(200);
  expect(pathOf(page)).toBe('/survey/part-one/done');
};

/** From part one's confirmation through part two to its check page, answering a few questions. */
export const partTwoToCheck = async (page: Page) => {
  await navigate(page, () => linkNamed(page, 'Continue to part two').click());
  expect(pathOf(page)).toBe('/part-two/workload');
  await choose(radio(page, questions.extraFrequency, 'Sometimes'));
  await timeShareInput(page, 'children').fill('60');
  await timeShareInput(page, 'adults').fill('40');
  await saveAndContinue(page);
  await answerPressure(page);
  await saveAndContinue(page);
  await answerLinks(page);
  await saveAndContinue(page);
  while (pathOf(page) !== '/part-two/check') {
    if (!pathOf(page).startsWith('/part-two/')) throw new Error(`left part two for ${page.url()}`);
    await saveAndContinue(page);
  }
};
