import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener } from './helpers.js';
import { csrfToken } from '../../server/http/csrf-protection.js';
import { pageText, titleOf } from './respondent-helpers.js';
import { auditOf } from './staff-helpers.js';
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
  it('the accessibility statement says how the service is checked and whom to write to, and every footer links to it beside a contact link', async () => {
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
      const footer = footerOf(page.html);
      expect(footer, path).toContain('href="/accessibility"');
      expect(footer, path).toContain('<a href="mailto:admin@socialworkscotland.org">Contact us</a>');
    }
  });

  it('links to staff sign-in from the home page only', async () => {
    const t = staffApp(await opener.openIn(tempDir()));
    expect(footerOf((await t.send(undefined, 'GET', '/')).html)).toContain('href="/staff/sign-in">Staff sign in</a>');
    for (const path of ['/accessibility', '/survey', '/staff/sign-in'])
      expect(footerOf((await t.send(undefined, 'GET', path)).html), path).not.toContain('Staff sign in');
  });

  it('the privacy notice: the default covers Article 13 with its gaps marked, and an admin rewrites it', async () => {
    const stores = await opener.openIn(tempDir());
    const t = staffApp(stores);
    const notice = await t.send(undefined, 'GET', '/privacy');
    expect(notice.status).toBe(200);
    expect(titleOf(notice.html)).toBe('Privacy notice – CSWO survey – Social Work Scotland');
    const said = pageText(notice.html);
    for (const heading of ['Who we are', 'What we collect and why', 'Our lawful basis', 'Who sees your information', 'How long we keep it', 'Your rights'])
      expect(notice.html).toContain(`<h2>${heading}</h2>`);
    expect(said).toContain('write to admin@socialworkscotland.org');
    expect(said).toContain('[Operator: the lawful basis under UK GDPR Article 6');
    expect(said).toContain('Part two cannot be found for a person');
    for (const path of ['/', '/privacy', '/staff/sign-in']) expect(footerOf((await t.send(undefined, 'GET', path)).html), path).toContain('href="/privacy"');

    const admin = await t.signedIn('admin');
    const csrf = csrfToken(t.key, admin.token);
    const edit = await t.send(admin.jar, 'GET', '/staff/privacy-notice');
    expect(pageText(edit.html)).toMatch(/\d+ gaps marked "\[Operator: …\]" still need filling in/);
    const empty = await t.send(admin.jar, 'POST', '/staff/privacy-notice', { form: { _csrf: csrf, text: '  ' } });
    expect(empty.status).toBe(400);
    expect(titleOf(empty.html)).toMatch(/^Error: /);
    expect(pageText(empty.html)).toContain('Enter the privacy notice');
    const text = '## Who we are\n\nSocial Work Scotland, 2 Example Street.\n\n## Rights\n\n- To see it\n- To erase it\n\nWrite to {support}.';
    const saved = await t.send(admin.jar, 'POST', '/staff/privacy-notice', { form: { _csrf: csrf, text } });
    expect(saved.status).toBe(200);
    expect(pageText(saved.html)).toContain('Saved. Respondents now read this notice.');
    expect(pageText(saved.html)).not.toContain('still need');
    const now = await t.send(undefined, 'GET', '/privacy');
    expect(now.html).toContain('<h2>Rights</h2>');
    expect(now.html).toContain('<li>To see it</li>');
    expect(now.html).toContain('<li>To erase it</li>');
    expect(pageText(now.html)).toContain('Write to admin@socialworkscotland.org.');
    expect(pageText(now.html)).not.toContain('[Operator:');
    expect((await auditOf(stores, ['privacy.notice.change'])).map((e) => e.detail)).toEqual([{ gaps: 0 }]);
  });
});
