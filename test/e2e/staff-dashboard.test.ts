import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WaveTables } from '../../analysis/index.js';
import { choose, goto, heading, navigate, pathOf } from './support/journey-steps.js';
import { axeViolations, cli, repoRoot, saveScreenshot, useSurveyTest, WAVE, type SurveyServer, expectAccessible } from './support/survey-harness.js';

/**
 * The analysts' and researchers' pages in a real browser, over the bundled 2020 data: an analyst reads
 * the 2020-06 dashboard section by section with its charts drawn (live through vega-embed, and by the
 * server with JavaScript off), compares it with 2020-01 and reads what changed, and downloads the draft
 * report and a chart; a researcher downloads the data package and cannot reach part one or the
 * identifiable pages. axe-core on every page.
 */

const harness = useSurveyTest();
const EARLIER = '2020-01';
const PASSWORD = 'a long and memorable staff passphrase';

const audit = expectAccessible;

/** The bundled microdata of both waves, through the command line as an analyst would load it. */
const loadBundledData = async (survey: SurveyServer) => {
  for (const wave of [EARLIER, WAVE]) {
    for (const part of ['identifiable', 'anonymous']) {
      const imported = await survey.run(['import', '--wave', wave, '--part', part, join(repoRoot, 'bundled-data', wave, `${part}.csv`)]);
      expect(imported.code, imported.stderr).toBe(0);
    }
  }
};

const addUser = async (survey: SurveyServer, role: string, email: string) => {
  const added = await cli(['user', 'add', '--data', survey.dataDir, '--role', role, '--email', email], survey.dataDir, `${PASSWORD}\n`);
  expect(added.code, added.stderr).toBe(0);
};

const signIn = async (page: Page, url: string, email: string) => {
  await goto(page, `${url}/staff/sign-in`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await navigate(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  expect(pathOf(page)).toBe('/staff');
};

const tablesOf = async (survey: SurveyServer, compare?: string): Promise<WaveTables> => {
  const result = await survey.run(['tables', '--wave', WAVE, '--format', 'json', ...(compare ? ['--compare', compare] : [])]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as WaveTables;
};

/** Bars a chart of this table draws: one per cell (and compared cell) that has a value. */
const expectedBars = (tables: WaveTables, id: string) => {
  const table = tables.tables.find((t) => t.id === id)!;
  const valued = (cells: Record<string, unknown> | undefined) => Object.values(cells ?? {}).filter((c) => (c as { pct: number | null }).pct !== null).length;
  return table.rows.reduce((sum, row) => sum + valued(row.cells) + valued(row.compare), 0);
};

const chartOf = (page: Page, tableId: string) => page.locator(`section:has(> h2#table-${tableId}) figure.chart`);

/** The report's sections, as the wave's contents link them. */
const SECTIONS = [
  'Background information',
  'Chief Social Work Officer role',
  'Organisational role and pressures',
  'Links and connections across partnerships',
  'Support, learning and professional development',
];

/** Which section's page holds a table. */
const sectionOfTable: Record<string, string> = {
  role: SECTIONS[0]!,
  urban_rural: SECTIONS[0]!,
  contract: SECTIONS[1]!,
  pressure: SECTIONS[2]!,
  support: SECTIONS[4]!,
};

/**
 * The smallest chart text as drawn on the screen: its font size scaled as the SVG is (it shrinks to
 * fit its column).
 */
const smallestChartText = (page: Page) =>
  page.evaluate(() => {
    let smallest = Infinity;
    for (const svg of document.querySelectorAll<SVGSVGElement>('figure.chart svg')) {
      const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal?.width || svg.width.baseVal.value);
      for (const text of svg.querySelectorAll('text')) smallest = Math.min(smallest, parseFloat(getComputedStyle(text).fontSize) * scale);
    }
    return smallest;
  });
const barsOf = (page: Page, tableId: string) => chartOf(page, tableId).locator('svg [aria-roledescription="bar"]');

const saved = async (download: Download) => readFileSync((await download.path())!);

describe('analyst dashboards (browser)', () => {
  it('an analyst reads every section with its charts drawn, compares two waves, reads what changed, and downloads the draft report and a chart', async () => {
    const survey = await harness.startSurvey();
    await loadBundledData(survey);
    await addUser(survey, 'analyst', 'ana.analyst@socialworkscotland.org');
    const { page, problems } = await harness.newContext({ acceptDownloads: true });
    await signIn(page, survey.url, 'ana.analyst@socialworkscotland.org');

    const list = await navigate(page, () => page.getByRole('link', { name: 'Tables, charts and wave comparisons' }).click());
    await audit(page, 'list of dashboards', list, 200);
    const dashboard = await navigate(page, () => page.getByRole('link', { name: 'Survey 2 (re-issued during COVID-19)' }).click());
    expect(pathOf(page)).toBe(`/staff/dashboards/${WAVE}`);
    // The wave's page is its contents: no chart, a link to each section's page and to each table.
    expect(await page.locator('figure.chart').count()).toBe(0);
    const alone = await tablesOf(survey);
    const contents = page.getByRole('navigation', { name: /^Contents/ });
    expect(await contents.getByRole('link', { name: /^Table \d+: / }).count()).toBe(alone.tables.length);
    await audit(page, 'dashboard contents', dashboard, 200);
    await saveScreenshot(page, 'staff-dashboard');

    // Section by section, from the first to the last through "next".
    const section = await navigate(page, () => contents.getByRole('link', { name: SECTIONS[0], exact: true }).click());
    await audit(page, 'dashboard section', section, 200);
    let charts = 0;
    for (const [i, title] of SECTIONS.entries()) {
      expect(await heading(page)).toBe(title);
      const figures = await page.locator('figure.chart').count();
      expect(figures).toBeGreaterThan(0);
      // Every chart is replaced by its live vega-embed drawing.
      await page.waitForFunction((n) => document.querySelectorAll('[data-chart-live] .chart__live svg').length === n, figures);
      for (const id of Object.keys(sectionOfTable).filter((t) => sectionOfTable[t] === title)) {
        expect(await barsOf(page, id).count(), `bars of ${id}`).toBe(expectedBars(alone, id));
        expect(await barsOf(page, id).count()).toBeGreaterThan(0);
      }
      // Each chart's figures are also a table, for screen readers; chart text no smaller than 12 px.
      expect(await page.getByRole('table', { name: /^Table \d+: / }).count()).toBe(figures);
      expect(await smallestChartText(page), title).toBeGreaterThanOrEqual(12);
      charts += figures;
      if (i === 0) await saveScreenshot(page, 'staff-dashboard-section');
      if (i < SECTIONS.length - 1) await navigate(page, () => page.getByRole('link', { name: new RegExp(`^next ${SECTIONS[i + 1]}`, 'i') }).click());
    }
    expect(charts).toBe(alone.tables.length);

    // A chart as PNG, from its section's page.
    await navigate(page, () => page.getByRole('navigation', { name: 'Sections', exact: true }).getByRole('link', { name: SECTIONS[0] }).click());
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Chart as PNG (table 1)' }).click()]);
    expect(png.suggestedFilename()).toBe(`cswo-${WAVE}-role-analyst.png`);
    expect([...(await saved(png)).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

    // Compare with 2020-01 through the form on the wave's page.
    await navigate(page, () => page.getByRole('link', { name: /^Back to the contents/ }).click());
    await page.getByLabel('Compare with').selectOption(EARLIER);
    const compared = await navigate(page, () => page.getByRole('button', { name: 'Show tables' }).click());
    expect(new URL(page.url()).searchParams.get('compare')).toBe(EARLIER);
    expect(await heading(page)).toBe('Survey 2 (re-issued during COVID-19) compared with Survey 1');
    await audit(page, 'comparison', compared, 200);
    await saveScreenshot(page, 'staff-dashboard-what-changed');
    // What changed: each cell with evidence of change links to its table, on its section's page.
    await page.getByRole('heading', { name: `What changed from ${EARLIER} to ${WAVE}` }).waitFor();
    const findings = page.locator('ul.what-changed > li');
    expect(await findings.count()).toBeGreaterThan(0);
    const first = findings.first();
    const target = (await first.getByRole('link').getAttribute('href'))!;
    await navigate(page, () => first.getByRole('link').click());
    const anchor = new URL(target, survey.url).hash.slice(1);
    const table = page.locator(`section:has(> h2#${anchor}) table`);
    expect(await table.innerText()).toMatch(/Evidence of change \((Fisher's exact|permutation test)/);
    // Oldest wave first in the table, as in the legend and the change statement.
    const groups = await table.locator('thead th[scope="colgroup"]').allInnerTexts();
    expect(groups).toEqual([`Wave ${EARLIER}`, `Wave ${WAVE}`]);

    await navigate(page, () => page.getByRole('navigation', { name: 'Sections', exact: true }).getByRole('link', { name: SECTIONS[1] }).click());
    const both = await tablesOf(survey, EARLIER);
    await chartOf(page, 'contract').locator('.chart__live svg').waitFor();
    expect(await barsOf(page, 'contract').count()).toBe(expectedBars(both, 'contract'));
    const change = page.getByRole('table', { name: /: CSWO contract$/ });
    expect(await change.innerText()).toMatch(/evidence of change \(Fisher's exact p/i);
    // The compared chart's title gives each wave's n.
    expect(await chartOf(page, 'contract').locator('svg').first().textContent()).toMatch(new RegExp(`n=\\d+ in ${EARLIER}, n=\\d+ in ${WAVE}`));
    await audit(page, 'comparison section', await page.reload().then((r) => r!), 200);
    await saveScreenshot(page, 'staff-dashboard-comparison');

    // The draft report: one HTML file with every table and chart.
    await navigate(page, () => page.getByRole('link', { name: /^Change the view or comparison/ }).click());
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Download the draft report/ }).click()]);
    expect(report.suggestedFilename()).toBe(`cswo-${WAVE}-draft-report-vs-${EARLIER}-analyst.html`);
    const html = (await saved(report)).toString('utf8');
    expect(html.match(/<svg /g)).toHaveLength(both.tables.length);
    expect(html).toContain('Table 1: Responding as CSWO or designated deputy');
    // Opened on its own, as an analyst would open the file: no WCAG A/AA violation either.
    const reader = await page.context().newPage();
    await reader.setContent(html);
    const { violations, report: axeReport } = await axeViolations(reader);
    expect(violations, `axe violations on the draft report:\n${axeReport}`).toEqual([]);
    await saveScreenshot(reader, 'staff-draft-report');
    await reader.close();

    // Free text: read, refused without the confirmation, then released.
    const freeText = await navigate(page, () => page.getByRole('link', { name: /^Read the free-text answers/ }).click());
    await audit(page, 'free-text answers', freeText, 200);
    const question = 'Tell us about the pressures behind your ratings';
    const refused = await navigate(page, () => page.getByRole('button', { name: `Release “${question}” to researchers` }).click());
    await audit(page, 'free-text release refused', refused, 400);
    expect(await page.title()).toMatch(/^Error: /);
    await page.getByRole('link', { name: /^Confirm that you have read every answer/ }).waitFor();
    await choose(page.locator('#confirm-pressures_comment'));
    await navigate(page, () => page.getByRole('button', { name: `Release “${question}” to researchers` }).click());
    expect(await page.getByRole('status').innerText()).toContain('is released');
    expect(await page.getByRole('button', { name: `Withdraw the release of “${question}”` }).count()).toBe(1);

    // No script error and no refusal by the Content Security Policy (vega runs without eval).
    expect(problems).toEqual([]);
  }, 180_000);

  it('with JavaScript off the charts are there, drawn by the server, suppressed cells marked, and the options form works', async () => {
    const survey = await harness.startSurvey();
    await loadBundledData(survey);
    await addUser(survey, 'analyst', 'ana.analyst@socialworkscotland.org');
    const { page, problems } = await harness.newContext({ javaScriptEnabled: false });
    await signIn(page, survey.url, 'ana.analyst@socialworkscotland.org');
    await goto(page, `${survey.url}/staff/dashboards/${WAVE}`);
    const alone = await tablesOf(survey);
    await navigate(page, () => page.getByRole('link', { name: SECTIONS[2], exact: true }).click());
    expect(await page.locator('[data-chart-live]').count()).toBe(0);
    expect(await page.locator('figure.chart svg').count()).toBe(await page.locator('figure.chart').count());
    expect(await barsOf(page, 'pressure').count()).toBe(expectedBars(alone, 'pressure'));
    expect(await smallestChartText(page)).toBeGreaterThanOrEqual(12);

    await navigate(page, () => page.getByRole('link', { name: /^Change the view or comparison/ }).click());
    await choose(page.getByLabel(/^Public view/));
    const pub = await navigate(page, () => page.getByRole('button', { name: 'Show tables' }).click());
    expect(pub.status()).toBe(200);
    expect(new URL(page.url()).searchParams.get('view')).toBe('public');
    await navigate(page, () => page.getByRole('link', { name: SECTIONS[0], exact: true }).click());
    expect(new URL(page.url()).searchParams.get('view')).toBe('public');
    expect(await page.getByText('Suppressed', { exact: true }).count()).toBeGreaterThan(0);
    // The charts say so too: a [c] where a suppressed bar would be, with its footnote, and a sentence
    // in place of a chart with every figure suppressed.
    expect(await page.locator('figure.chart svg text', { hasText: /^\[c\]$/ }).count()).toBeGreaterThan(0);
    expect(await page.locator('figure.chart svg text', { hasText: /^\[c\] suppressed to protect confidentiality/ }).count()).toBeGreaterThan(0);
    expect(await chartOf(page, 'role').locator('.chart__none').innerText()).toMatch(/^No chart: every figure of this table is suppressed/);
    expect(await chartOf(page, 'role').locator('svg').count()).toBe(0);
    // Nothing runs off a phone's screen: charts shrink, tables turn into blocks.
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await saveScreenshot(page, 'staff-dashboard-320');

    expect(problems).toEqual([]);
  }, 120_000);
});

describe('researcher downloads (browser)', () => {
  it('a researcher downloads the data package and cannot reach part one or the identifiable pages', async () => {
    const survey = await harness.startSurvey();
    await loadBundledData(survey);
    await addUser(survey, 'researcher', 'rae.researcher@university.ac.uk');
    const { page, problems } = await harness.newContext({ acceptDownloads: true });
    await signIn(page, survey.url, 'rae.researcher@university.ac.uk');
    expect(await page.getByRole('link', { name: 'Tables, charts and wave comparisons' }).count()).toBe(0);
    const research = await navigate(page, () => page.getByRole('link', { name: 'Research downloads' }).click());
    await audit(page, 'research downloads', research, 200);
    await saveScreenshot(page, 'staff-research');

    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `Data package for ${WAVE} (zip)` }).click()]);
    const files = unzipSync(await saved(zip));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'datapackage.json', 'part-two.csv', 'read_cswo.R', 'read_cswo.py']);
    const header = strFromU8(files['part-two.csv']!).split('\r\n')[0]!.split(',');
    expect(header).not.toContain('local_authority');

    // One package across waves: nothing ticked is refused with the error summary; both ticked give one file.
    const refused = await navigate(page, () => page.getByRole('button', { name: 'Download the data package (zip)' }).click());
    await audit(page, 'research package without a wave', refused, 400);
    expect(await page.title()).toMatch(/^Error: /);
    await page.getByRole('link', { name: 'Choose at least one wave for the data package' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('waves');
    for (const wave of ['2020-01', '2020-06']) await choose(page.getByRole('checkbox', { name: new RegExp(wave) }));
    const [across] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the data package (zip)' }).click()]);
    const both = strFromU8(unzipSync(await saved(across))['part-two.csv']!)
      .split('\r\n')
      .filter((line) => line !== '');
    expect(both[0]!.split(',')[0]).toBe('wave');
    expect(new Set(both.slice(1).map((line) => line.split(',')[0]))).toEqual(new Set(['2020-01', '2020-06']));

    for (const path of [`/staff/dashboards/${WAVE}`, `/staff/dashboards/${WAVE}/report`, `/staff/waves/${WAVE}/responses`]) {
      await audit(page, `refused ${path}`, await goto(page, `${survey.url}${path}`), 403);
    }
    // Part one and part two belong to respondents: a staff session opens neither.
    for (const path of ['/survey/part-one', '/part-two']) {
      expect((await goto(page, `${survey.url}${path}`)).status(), path).toBe(401);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
