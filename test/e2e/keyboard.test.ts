import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeElement, checkRows, expectErrorSummary, goto, navigate, pathOf } from './support/journey-steps.js';
import { useSurveyTest } from './support/survey-harness.js';

/**
 * Part one by keyboard alone: Tab and Shift+Tab to move, Space to tick, Enter to follow links and send
 * forms (and typing, End and Backspace inside text fields; arrow keys once, inside a radio group). Never a click. At each stop the test
 * checks which element has focus and that the focus can be seen.
 */

const harness = useSurveyTest();

type Active = Awaited<ReturnType<typeof activeElement>>;

/** Presses `key` until the focused element matches, at most `max` times; returns it. */
const pressUntil = async (page: Page, key: 'Tab' | 'Shift+Tab', matches: (a: Active) => boolean, max = 40): Promise<Active> => {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const active = await activeElement(page);
    if (matches(active)) return active;
    seen.push(`${active.tag}#${active.id}${active.name ? `[${active.name}]` : ''}`);
  }
  throw new Error(`${key} never reached the element; focus went through ${seen.join(' → ')}`);
};

const press = async (page: Page, key: 'Tab' | 'Shift+Tab' | 'Space' | 'Enter') => {
  await page.keyboard.press(key);
  return activeElement(page);
};

/**
 * Whether the focused control shows it has focus: its look (or, for a radio or checkbox, the look of
 * the box the design system draws before its label) differs between focused and not focused.
 */
const focusIsVisible = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { visible: false, why: 'nothing has focus' };
    const input = el as HTMLInputElement;
    const drawn = input.type === 'radio' || input.type === 'checkbox';
    const target = drawn ? document.querySelector(`label[for="${el.id}"]`)! : el;
    const look = () => {
      const s = getComputedStyle(target, drawn ? '::before' : null);
      return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.borderColor, s.borderWidth, s.filter, s.color].join(' | ');
    };
    const box = el.getBoundingClientRect();
    const focused = look();
    el.blur();
    const unfocused = look();
    el.focus({ preventScroll: true });
    return {
      visible: focused !== unfocused && box.width > 1 && box.height > 1 && document.activeElement === el,
      why: `focused: ${focused}; not focused: ${unfocused}; box ${box.width}x${box.height}`,
    };
  });

const expectFocusVisible = async (page: Page) => {
  const { visible, why } = await focusIsVisible(page);
  expect(visible, why).toBe(true);
};

describe('keyboard only', () => {
  it('answers part one by Tab, Shift+Tab, Space and Enter: a mistake, its fix, and a matrix question', async () => {
    const survey = await harness.startSurvey();
    const context = await harness.newContext();
    const { page } = context;
    await goto(page, survey.links.get('moray')!);
    expect(pathOf(page)).toBe('/survey');

    // The first Tab reaches the skip link, which appears when focused.
    const skip = await press(page, 'Tab');
    expect(skip).toMatchObject({ tag: 'a', href: '#main-content', text: 'Skip to main content' });
    await expectFocusVisible(page);
    const start = await pressUntil(page, 'Tab', (a) => a.tag === 'a' && a.text === 'Start part one');
    expect(start.href).toBe('/survey/part-one');
    await expectFocusVisible(page);
    await navigate(page, () => page.keyboard.press('Enter'));
    expect(pathOf(page)).toBe('/survey/part-one/about_you');

    // The mistake: an extra "@" typed at the end of the email address.
    await pressUntil(page, 'Tab', (a) => a.id === 'f-name');
    await expectFocusVisible(page);
    expect(await press(page, 'Tab')).toMatchObject({ id: 'f-email', value: 'mo.moray@moray.gov.uk' });
    await expectFocusVisible(page);
    await page.keyboard.press('End');
    await page.keyboard.type('@');
    // Into the first radio group: Tab lands on its first option, Space chooses it.
    expect(await press(page, 'Tab')).toMatchObject({ name: 'role', value: 'cswo' });
    await expectFocusVisible(page);
    await press(page, 'Space');
    expect(await page.locator('#f-role').isChecked()).toBe(true);
    expect(await press(page, 'Tab')).toMatchObject({ name: 'registered_sw', value: 'yes' });
    await press(page, 'Space');
    const submitButton = await press(page, 'Tab');
    expect(submitButton).toMatchObject({ tag: 'button', text: 'Save and continue' });
    await expectFocusVisible(page);
    const refused = await navigate(page, () => page.keyboard.press('Enter'));
    expect(refused.status()).toBe(400);
    await expectErrorSummary(page, [{ text: 'Enter an email address in the correct format, like name@council.gov.uk', href: '#f-email' }]);

    // Focus starts on the error summary; Tab reaches its link, Enter follows it into the field.
    expect((await activeElement(page)).id).toBe('error-summary');
    const errorLink = await press(page, 'Tab');
    expect(errorLink).toMatchObject({ tag: 'a', href: '#f-email' });
    await expectFocusVisible(page);
    await page.keyboard.press('Enter');
    expect(await activeElement(page)).toMatchObject({ id: 'f-email', value: 'mo.moray@moray.gov.uk@' });
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    // Shift+Tab goes back to the name, Tab returns to the email.
    expect(await press(page, 'Shift+Tab')).toMatchObject({ id: 'f-name' });
    expect(await press(page, 'Tab')).toMatchObject({ id: 'f-email', value: 'mo.moray@moray.gov.uk' });
    // The choices made before the error are kept: Tab lands on the chosen radio.
    expect(await press(page, 'Tab')).toMatchObject({ name: 'role', value: 'cswo' });
    expect(await press(page, 'Tab')).toMatchObject({ name: 'registered_sw', value: 'yes' });
    expect(await press(page, 'Tab')).toMatchObject({ tag: 'button' });
    await navigate(page, () => page.keyboard.press('Enter'));
    expect(pathOf(page)).toBe('/survey/part-one/your_council');

    // Your council: two radio groups, first option of each.
    const urban = await pressUntil(page, 'Tab', (a) => a.name === 'urban_rural');
    expect(urban.value).toBe('large_urban');
    await expectFocusVisible(page);
    await press(page, 'Space');
    expect(await press(page, 'Tab')).toMatchObject({ name: 'time_in_post', value: 'lt1' });
    await press(page, 'Space');
    // Shift+Tab back into a group lands on its chosen option.
    expect(await press(page, 'Tab')).toMatchObject({ tag: 'button' });
    expect(await press(page, 'Shift+Tab')).toMatchObject({ name: 'time_in_post', value: 'lt1' });
    expect(await press(page, 'Tab')).toMatchObject({ tag: 'button' });
    await navigate(page, () => page.keyboard.press('Enter'));
    expect(pathOf(page)).toBe('/survey/part-one/qualifications');

    // Checkboxes: every box is a Tab stop.
    expect(await pressUntil(page, 'Tab', (a) => a.type === 'checkbox')).toMatchObject({ name: 'pq_awards.pq1' });
    await expectFocusVisible(page);
    await press(page, 'Space');
    expect(await press(page, 'Tab')).toMatchObject({ name: 'pq_awards.pq2' });
    await press(page, 'Space');
    await pressUntil(page, 'Tab', (a) => a.tag === 'button');
    await navigate(page, () => page.keyboard.press('Enter'));
    expect(pathOf(page)).toBe('/survey/part-one/portfolio_section');

    // The portfolio matrix: each row is its own radio group.
    expect(await pressUntil(page, 'Tab', (a) => a.name.startsWith('portfolio.'))).toMatchObject({ name: 'portfolio.children_sw', value: 'all' });
    await expectFocusVisible(page);
    await press(page, 'Space');
    // Tab skips a row left blank; Shift+Tab comes back to it. Within a row, the radio group's own
    // arrow keys (the one exception to Tab/Space/Enter) reach the other options.
    expect(await press(page, 'Tab')).toMatchObject({ name: 'portfolio.children_health', value: 'all' });
    expect(await press(page, 'Tab')).toMatchObject({ name: 'portfolio.education_early_years', value: 'all' });
    await press(page, 'Space');
    expect(await press(page, 'Shift+Tab')).toMatchObject({ name: 'portfolio.children_health', value: 'all' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await activeElement(page)).toMatchObject({ name: 'portfolio.children_health', value: 'none' });
    await expectFocusVisible(page);
    expect(await page.locator('input[name="portfolio.children_health"][value="none"]').isChecked()).toBe(true);
    // Tab from a row moves on to the next row, whatever option has focus.
    expect(await press(page, 'Tab')).toMatchObject({ name: 'portfolio.education_early_years', value: 'all' });
    await pressUntil(page, 'Tab', (a) => a.tag === 'button');
    await navigate(page, () => page.keyboard.press('Enter'));
    expect(pathOf(page)).toBe('/survey/part-one/contract_section');

    // What the keyboard chose was saved.
    await goto(page, `${survey.url}/survey/part-one/check`);
    const answers = await checkRows(page);
    expect(answers['Your work email address']).toEqual(['mo.moray@moray.gov.uk']);
    expect(answers['Are you answering as the Chief Social Work Officer or as a designated deputy?']).toEqual(['Chief Social Work Officer']);
    expect(answers['How long have you been in post as Chief Social Work Officer?']).toEqual(['Less than 1 year']);
    expect(answers['Which post-qualifying awards or degrees do you hold?']).toEqual(['PQ1', 'PQ2']);
    const portfolio = answers['For each service area, how much of it is within your operational portfolio?']!;
    expect(portfolio).toHaveLength(3);
    expect(portfolio.join('\n')).toMatch(/Children's social work: All of the service area/);
    expect(portfolio.join('\n')).toMatch(/Children's health: None of the service area/);
    expect(context.problems).toEqual([]);
  }, 60_000);
});
