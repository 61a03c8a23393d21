import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Download, Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WaveTables } from '../../analysis/index.js';
import { choose, goto, heading, navigate, pathOf } from './support/journey-steps.js';
import { axeViolations, cli, repoRoot, saveScreenshot, useSurveyTest, WAVE, type SurveyServer, expectAccessible } from './support/survey-harness.js';

/**
 * The analysts' and researchers' pages in a real browser, over the bundled 2020 data: an analyst reads
 * the 2020-06 dashboard with its charts drawn (live through vega-embed, and by the server with
 * JavaScript off), compares it with 2020-01, and downloads the draft report and a chart; a researcher
 * downloads the data package and cannot reach part one or the identifiable pages. axe-core on every page.
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

const chartOf = (page: Page, tableId: string) => page.locator(`section:has(> h3#table-${tableId}) figure.chart`);
const barsOf = (page: Page, tableId: string) => chartOf(page, tableId).locator('svg [aria-roledescription="bar"]');

const saved = async (download: Download) => readFileSync((await download.path())!);

describe('analyst dashboards (browser)', () => {
  it('an analyst sees every chart drawn, compares two waves, and downloads the draft report and a chart', async () => {
    const survey = await harness.startSurvey();
    await loadBundledData(survey);
    await addUser(survey, 'analyst', 'ana.analyst@socialworkscotland.org');
    const { page, problems } = await harness.newContext({ acceptDownloads: true });
    await signIn(page, survey.url, 'ana.analyst@socialworkscotland.org');

    const list = await navigate(page, () => page.getByRole('link', { name: 'Tables, charts and wave comparisons' }).click());
    await audit(page, 'list of dashboards', list, 200);
    const dashboard = await navigate(page, () => page.getByRole('link', { name: 'Survey 2 (re-issued during COVID-19)' }).click());
    expect(pathOf(page)).toBe(`/staff/dashboards/${WAVE}`);
    const alone = await tablesOf(survey);
    // Every chart is replaced by its live vega-embed drawing.
    await page.waitForFunction((n) => document.querySelectorAll('[data-chart-live] .chart__live svg').length === n, alone.tables.length);
    expect(await page.locator('figure.chart').count()).toBe(alone.tables.length);
    for (const id of ['contract', 'urban_rural', 'pressure', 'support']) {
      expect(await barsOf(page, id).count(), `bars of ${id}`).toBe(expectedBars(alone, id));
      expect(await barsOf(page, id).count()).toBeGreaterThan(0);
    }
    // Each chart's figures are also a table, for screen readers.
    expect(await page.getByRole('table', { name: /^Table \d+: / }).count()).toBe(alone.tables.length);
    await audit(page, 'dashboard', dashboard, 200);
    await saveScreenshot(page, 'staff-dashboard');

    // Compare with 2020-01 through the form.
    await page.getByLabel('Compare with').selectOption(EARLIER);
    const compared = await navigate(page, () => page.getByRole('button', { name: 'Show tables' }).click());
    expect(new URL(page.url()).searchParams.get('compare')).toBe(EARLIER);
    expect(await heading(page)).toBe('Survey 2 (re-issued during COVID-19) compared with Survey 1');
    const both = await tablesOf(survey, EARLIER);
    await page.waitForFunction(() => document.querySelectorAll('[data-chart-live] .chart__live svg').length > 0);
    await chartOf(page, 'contract').locator('.chart__live svg').waitFor();
    expect(await barsOf(page, 'contract').count()).toBe(expectedBars(both, 'contract'));
    const change = page.getByRole('table', { name: /: CSWO contract$/ });
    expect(await change.innerText()).toMatch(/evidence of change \(Fisher's exact p/);
    await audit(page, 'comparison', compared, 200);

    // The draft report: one HTML file with every table and chart.
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

    // A chart as PNG.
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Chart as PNG (table 1)' }).click()]);
    expect(png.suggestedFilename()).toBe(`cswo-${WAVE}-role-vs-${EARLIER}-analyst.png`);
    expect([...(await saved(png)).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

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
  }, 120_000);

  it('with JavaScript off the charts are there, drawn by the server, and the options form works', async () => {
    const survey = await harness.startSurvey();
    await loadBundledData(survey);
    await addUser(survey, 'analyst', 'ana.analyst@socialworkscotland.org');
    const { page, problems } = await harness.newContext({ javaScriptEnabled: false });
    await signIn(page, survey.url, 'ana.analyst@socialworkscotland.org');
    await goto(page, `${survey.url}/staff/dashboards/${WAVE}`);
    const alone = await tablesOf(survey);
    expect(await page.locator('[data-chart-live]').count()).toBe(0);
    expect(await page.locator('figure.chart svg').count()).toBe(alone.tables.length);
    expect(await barsOf(page, 'pressure').count()).toBe(expectedBars(alone, 'pressure'));
    await choose(page.getByLabel(/^Public view/));
    const pub = await navigate(page, () => page.getByRole('button', { name: 'Show tables' }).click());
    expect(pub.status()).toBe(200);
    expect(new URL(page.url()).searchParams.get('view')).toBe('public');
    expect(await page.getByText('Suppressed', { exact: true }).count()).toBeGreaterThan(0);
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
    const both = strFromU8(unzipSync(await saved(across))['part-two.csv']!).split('\r\n').filter((line) => line !== '');
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
