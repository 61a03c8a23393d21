import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';
import { pageText, titleOf } from './respondent-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/**
 * Issue 18: the pages everyone can open. Every footer links to the accessibility statement; the home page's
 * footer alone links, quietly, to staff sign-in.
 */
const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const footerOf = (html: string) => /<footer[\s\S]*<\/footer>/.exec(html)?.[0] ?? '';

describe('public pages (issue 18)', () => {
  it('the accessibility statement says how the service is checked and whom to write to, and every footer links to it', async () => {
    const t = staffApp(await opener.openIn(tempDir()));
    const statement = await t.send(undefined, 'GET', '/accessibility');
    expect(statement.status).toBe(200);
    expect(titleOf(statement.html)).toBe('Accessibility statement – CSWO survey – Social Work Scotland');
    const said = pageText(statement.html);
    expect(said).toContain('WCAG) version 2.2 at level AA');
    expect(said).toContain('has not yet been audited');
    expect(statement.html).toContain('href="mailto:admin@socialworkscotland.org"');
    for (const path of ['/', '/accessibility', '/staff/sign-in', '/survey', '/no-such-page']) {
      const page = await t.send(undefined, 'GET', path);
      expect(footerOf(page.html), path).toContain('href="/accessibility"');
    }
  });

  it('links to staff sign-in from the home page only', async () => {
    const t = staffApp(await opener.openIn(tempDir()));
    expect(footerOf((await t.send(undefined, 'GET', '/')).html)).toContain('href="/staff/sign-in">Staff sign in</a>');
    for (const path of ['/accessibility', '/survey', '/staff/sign-in'])
      expect(footerOf((await t.send(undefined, 'GET', path)).html), path).not.toContain('Staff sign in');
  });
});
