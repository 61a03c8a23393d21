import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeElement, expectErrorSummary, goto, heading, navigate, pathOf } from './support/journey-steps.js';
import { cli, saveScreenshot, useSurveyTest, expectAccessible } from './support/survey-harness.js';

/**
 * The staff sign-in in a real browser: by keyboard alone (Tab, typing, Enter), a wrong password and its
 * error summary, the staff home page, signing out; axe-core (WCAG 2.2 AA) on every page on the way.
 */

const harness = useSurveyTest();

const EMAIL = 'ann.analyst@socialworkscotland.org';
const PASSWORD = 'a long and memorable staff passphrase';

type Active = Awaited<ReturnType<typeof activeElement>>;

/** Presses Tab until the focused element matches; fails naming where focus went. */
const tabUntil = async (page: Page, matches: (a: Active) => boolean, max = 30): Promise<Active> => {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const active = await activeElement(page);
    if (matches(active)) return active;
    seen.push(`${active.tag}#${active.id}`);
  }
  throw new Error(`Tab never reached the element; focus went through ${seen.join(' → ')}`);
};

const audit = expectAccessible;

describe('staff sign-in (browser)', () => {
  it('signs in by keyboard after a wrong password, shows the home page, signs out; no axe violation on any page', async () => {
    const survey = await harness.startSurvey();
    const added = await cli(['user', 'add', '--data', survey.dataDir, '--role', 'analyst', '--email', EMAIL], survey.dataDir, `${PASSWORD}\n`);
    expect(added.code, added.stderr).toBe(0);
    const context = await harness.newContext();
    const { page } = context;

    const denied = await goto(page, `${survey.url}/staff`);
    await audit(page, 'staff home without a session', denied, 401);
    expect(await page.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/staff/sign-in');

    const signInPage = await navigate(page, () => page.getByRole('link', { name: 'Sign in' }).click());
    expect(pathOf(page)).toBe('/staff/sign-in');
    await audit(page, 'sign-in page', signInPage, 200);
    await saveScreenshot(page, 'staff-sign-in');

    // Keyboard only from here: the skip link first, then the email field.
    await page.keyboard.press('Tab');
    expect(await activeElement(page)).toMatchObject({ tag: 'a', href: '#main-content' });
    await tabUntil(page, (a) => a.id === 'email');
    await page.keyboard.type(EMAIL);
    await page.keyboard.press('Tab');
    expect(await activeElement(page)).toMatchObject({ id: 'password', type: 'password' });
    await page.keyboard.type('not the right passphrase');
    const refused = await navigate(page, () => page.keyboard.press('Enter'));
    await audit(page, 'sign-in page with a wrong password', refused, 400);
    await expectErrorSummary(page, [{ text: 'The email address or password is not right', href: '#email' }]);
    expect(await page.locator('#email').inputValue()).toBe(EMAIL);
    expect(await page.locator('#password').inputValue()).toBe('');
    await saveScreenshot(page, 'staff-sign-in-error');

    // Focus is on the error summary; its link leads into the field, and on to the password.
    expect((await activeElement(page)).id).toBe('error-summary');
    await page.keyboard.press('Tab');
    expect(await activeElement(page)).toMatchObject({ tag: 'a', href: '#email' });
    await page.keyboard.press('Enter');
    expect(await activeElement(page)).toMatchObject({ id: 'email', value: EMAIL });
    await page.keyboard.press('Tab');
    expect((await activeElement(page)).id).toBe('password');
    await page.keyboard.type(PASSWORD);
    const home = await navigate(page, () => page.keyboard.press('Enter'));
    expect(pathOf(page)).toBe('/staff');
    await audit(page, 'staff home page', home, 200);
    expect(await heading(page)).toBe('Staff home');
    expect(await page.getByText('Signed in as').innerText()).toBe(`Signed in as ${EMAIL} (Analyst)`);
    expect(await page.getByRole('link', { name: 'Tables, charts and wave comparisons' }).count()).toBe(1);
    expect(await page.getByText('Staff accounts (coming)').count()).toBe(0);
    await saveScreenshot(page, 'staff-home');
    // Nothing runs off a 320 px screen (WCAG 1.4.10 Reflow), a long email address included.
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await saveScreenshot(page, 'staff-home-320');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The session cookie as the browser keeps it.
    const cookie = (await context.context.cookies()).find((c) => c.name === 'cswo_staff')!;
    // A browser-session cookie (expires -1): the server ends the session, the browser forgets it on closing.
    expect(cookie).toMatchObject({ path: '/staff', httpOnly: true, secure: true, sameSite: 'Strict', expires: -1 });
    expect((await context.context.cookies()).map((c) => c.name)).not.toContain('cswo_staff_sign_in');

    const signOut = await tabUntil(page, (a) => a.tag === 'button');
    expect(signOut.text).toBe('Sign out');
    const signedOut = await navigate(page, () => page.keyboard.press('Enter'));
    await audit(page, 'signed-out page', signedOut, 200);
    expect(await heading(page)).toBe('You have signed out');
    expect((await context.context.cookies()).map((c) => c.name)).not.toContain('cswo_staff');
    expect((await goto(page, `${survey.url}/staff`)).status()).toBe(401);
    expect(context.problems).toEqual([]);
  }, 60_000);
});
