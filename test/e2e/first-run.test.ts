import { describe, expect, it } from 'vitest';
import { button, goto, heading, linkNamed, navigate, pathOf } from './support/journey-steps.js';
import { axeViolations, useBareServer } from './support/survey-harness.js';

/**
 * Issue 18, a newcomer's first run in a real browser (JavaScript off, and on with axe-core): the server
 * started on an empty data directory prints a setup link; it opens a page that creates the first
 * administrator, who then signs in; the link then no longer works. The home page's footer leads to sign-in.
 */
const bare = useBareServer();
const PASSWORD = 'a long and memorable staff passphrase';

describe.each([
  { mode: 'JavaScript off', javaScriptEnabled: false },
  { mode: 'JavaScript on, axe-core on each page', javaScriptEnabled: true },
])('first run (browser, $mode)', ({ javaScriptEnabled }) => {
  it('the printed link creates the first administrator once; they sign in; the link is then refused', async () => {
    const log: string[] = [];
    const { server } = await bare.start({ seedWhenEmpty: true, log: (m) => log.push(m) });
    const link = /open (http:\/\/\S+\/staff\/setup\/[A-Za-z0-9_-]{43}) within the hour/.exec(log.join('\n'))?.[1];
    expect(link, log.join('\n')).toBeDefined();
    const { page, problems } = await bare.newContext({ javaScriptEnabled });
    const accessible = async (name: string) => {
      if (!javaScriptEnabled) return;
      const { violations, report } = await axeViolations(page);
      expect(violations, `axe violations on ${name}:\n${report}`).toEqual([]);
    };

    // The home page leads staff to sign-in, quietly.
    await goto(page, `${server.url}/`);
    await navigate(page, () => linkNamed(page, 'Staff sign in').click());
    expect(pathOf(page)).toBe('/staff/sign-in');

    expect((await goto(page, link!)).status()).toBe(200);
    expect(await heading(page)).toBe('Create the first administrator');
    await accessible('setup page');
    await page.locator('#email').fill('ada.admin@socialworkscotland.org');
    await page.locator('#password').fill('short');
    await page.locator('#confirm').fill('short');
    const refused = await navigate(page, () => button(page, 'Create the administrator').click());
    expect(refused.status()).toBe(400);
    expect(await page.locator('.ds_error-summary').innerText()).toContain('The password is too short');
    await accessible('setup page with an error');

    await page.locator('#password').fill(PASSWORD);
    await page.locator('#confirm').fill(PASSWORD);
    await navigate(page, () => button(page, 'Create the administrator').click());
    expect(pathOf(page)).toBe('/staff/sign-in');
    expect(await page.locator('main').innerText()).toContain('The first administrator account is made: sign in with it.');
    await page.locator('#email').fill('ada.admin@socialworkscotland.org');
    await page.locator('#password').fill(PASSWORD);
    await navigate(page, () => button(page, 'Sign in').click());
    expect(pathOf(page)).toBe('/staff');

    const again = await goto(page, link!);
    expect(again.status()).toBe(404);
    expect(await heading(page)).toBe('This setup link does not work');
    await accessible('used setup link');
    expect(problems).toEqual([]);
  });
});
