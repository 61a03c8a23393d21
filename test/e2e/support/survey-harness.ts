import { runCliInMemory } from '../../support/cli-in-memory.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Response } from 'playwright-core';
import { afterAll, afterEach, expect } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import type { WaveTables } from '../../../analysis/index.js';
import { startServer, type RunningServer, type ServeOptions } from '../../../server/app/serve.js';
import { countPartTwo } from '../../../server/storage/anonymous-store.js';

/**
 * End-to-end harness: the real server (startServer on port 0, its own temp data directory), a roster
 * and invitations made with the real command line, and Debian's Chromium driven by playwright-core.
 * No browser is ever downloaded: CI installs the distribution's chromium (.ci/run).
 */

export const WAVE = '2020-06';
const DEFAULT_WAVE = WAVE;
export const chromiumPath = '/usr/bin/chromium';
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const outputDir = join(repoRoot, 'test-output');
export const screenshotDir = join(outputDir, 'screenshots');

/** Councils on the test roster, so each test can take an invitation of its own. */
export const rosterCouncils = [
  ['fife', 'Fiona Fife', 'fiona.fife@fife.gov.uk'],
  ['angus', 'Ann Angus', 'ann.angus@angus.gov.uk'],
  ['moray', 'Mo Moray', 'mo.moray@moray.gov.uk'],
  ['highland', 'Hamish Highland', 'hamish@highland.gov.uk'],
  ['falkirk', 'Flora Falkirk', 'flora@falkirk.gov.uk'],
  ['stirling', 'Stuart Stirling', 'stuart@stirling.gov.uk'],
  ['dundee_city', 'Dana Dundee', 'dana@dundeecity.gov.uk'],
  ['orkney_islands', 'Olly Orkney', 'olly@orkney.gov.uk'],
] as const;

export type Council = (typeof rosterCouncils)[number][0];

/** Runs one command line in-process, as `npm run cli -- ...` would, and returns its output. */
export const cli = (argv: readonly string[], cwd: string, stdinText = '') => runCliInMemory(cwd, argv, stdinText);

export interface SurveyServer {
  readonly url: string;
  readonly dataDir: string;
  readonly server: RunningServer;
  /** The invitation link printed by `invite` for each council on the roster. */
  readonly links: ReadonlyMap<Council, string>;
  /** Runs a command of the command line on this server's data directory (`--data` is added). */
  run(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** `tables --format json` for the wave. */
  tables(): Promise<WaveTables>;
  /** Rows of part one and part two stored for the wave. */
  counts(): Promise<{ partOne: number; partTwo: number }>;
  stop(): Promise<void>;
}

/**
 * The pages load the bundles in dist/web, which `npm install` builds from web/ (enhance.js for the survey
 * pages, dashboard-charts.js for the dashboards). A missing or stale bundle would test old code (or none),
 * so it is refused with the command that fixes it.
 */
const bundles = {
  'enhance.js': ['web/enhance/enhance.ts'],
  'dashboard-charts.js': ['web/staff/dashboard-charts.ts', 'web/staff/VegaChart.svelte'],
} as const;

const checkEnhancementBuilt = () => {
  for (const [name, sources] of Object.entries(bundles)) {
    const bundle = join(repoRoot, 'dist', 'web', name);
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run "npm run build" (npm install does it) before the end-to-end tests`);
    for (const source of sources) {
      if (statSync(bundle).mtimeMs < statSync(join(repoRoot, source)).mtimeMs) throw new Error(`${bundle} is older than ${source}: run "npm run build"`);
    }
  }
};

/** A wave the test creates, fielding another definition version than the bundled June 2020 wave. */
export interface NewWave {
  readonly id: string;
  readonly definition: string;
  /** A definition file to publish into the data directory first (`definitions publish`), relative to the repository. */
  readonly publish?: string;
}

/**
 * Starts the real server in a fresh data directory, imports the roster and issues every invitation,
 * for the June 2020 wave or for a wave the test creates and opens.
 */
export const startSurvey = async (newWave?: NewWave): Promise<SurveyServer> => {
  const WAVE = newWave?.id ?? DEFAULT_WAVE;
  checkEnhancementBuilt();
  const root = mkdtempSync(join(tmpdir(), 'cswo-e2e-'));
  const dataDir = join(root, 'data');
  const log: string[] = [];
  const server = await startServer({ dataDir, port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: (m) => log.push(m) });
  try {
    writeFileSync(join(root, 'roster.csv'), stringify([['local_authority', 'name', 'email'], ...rosterCouncils.map((r) => [...r])]));
    if (newWave?.publish) {
      const published = await cli(['definitions', 'publish', '--data', dataDir, join(repoRoot, newWave.publish)], root);
      if (published.code !== 0) throw new Error(`definitions publish failed: ${published.stderr}`);
    }
    if (newWave) {
      const created = await cli(
        ['wave', 'create', '--data', dataDir, '--wave', WAVE, '--name', `Wave ${WAVE}`, '--fielded', WAVE, '--definition', newWave.definition],
        root,
      );
      if (created.code !== 0) throw new Error(`wave create failed: ${created.stderr}`);
    }
    const roster = await cli(['roster', 'import', '--data', dataDir, '--wave', WAVE, 'roster.csv'], root);
    if (roster.code !== 0) throw new Error(`roster import failed: ${roster.stderr}`);
    const invite = await cli(['invite', '--data', dataDir, '--wave', WAVE, '--base-url', server.url], root);
    if (invite.code !== 0) throw new Error(`invite failed: ${invite.stderr}`);
    if (newWave) {
      const opened = await cli(['wave', 'open', '--data', dataDir, '--wave', WAVE], root);
      if (opened.code !== 0) throw new Error(`wave open failed: ${opened.stderr}`);
    }
    const links = new Map<Council, string>();
    for (const line of invite.stdout.trimEnd().split('\n')) {
      const [council, , , link] = line.split('\t');
      if (!link?.startsWith(`${server.url}/i/`)) throw new Error(`unexpected invite line ${JSON.stringify(line)}`);
      links.set(council as Council, link);
    }
    if (links.size !== rosterCouncils.length) throw new Error(`expected ${rosterCouncils.length} links, got ${links.size}`);
    return {
      url: server.url,
      dataDir,
      server,
      links,
      run: (argv) => cli([...argv, '--data', dataDir], root),
      tables: async () => {
        const result = await cli(['tables', '--data', dataDir, '--wave', WAVE, '--format', 'json'], root);
        if (result.code !== 0) throw new Error(`tables failed: ${result.stderr}`);
        return JSON.parse(result.stdout) as WaveTables;
      },
      counts: async () => {
        const one = await server.stores.identifiable
          .selectFrom('part_one_response')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('wave_id', '=', WAVE)
          .executeTakeFirstOrThrow();
        // Both places of part two: the open wave's answers are in the intake.
        return { partOne: Number(one.n), partTwo: await countPartTwo(server.stores.anonymous, WAVE) };
      },
      stop: async () => {
        await server.stop();
        rmSync(root, { recursive: true, force: true });
        // The server reports unexpected errors (method and route only) through its log.
        const errors = log.filter((line) => line.startsWith('unexpected error'));
        if (errors.length > 0) throw new Error(`the server hit unexpected errors:\n${errors.join('\n')}`);
      },
    };
  } catch (error) {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
};

/**
 * Launches Debian's Chromium. A missing browser is a failure with a message, never a silent skip:
 * CI installs it (.ci/run).
 */
export const launchBrowser = async (): Promise<Browser> => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `the end-to-end tests need Chromium at ${chromiumPath}, which is missing: install Debian's chromium ` +
        '(apt-get update && apt-get install -y chromium; .ci/run does this in CI). No browser is downloaded.',
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};

/**
 * One browser per test file, launched by the first test that asks for it and closed after the file.
 * Launched inside the tests rather than in a beforeAll hook, so that a missing Chromium fails every
 * test with the message above instead of leaving them reported as skipped.
 */
export const useBrowser = () => {
  let launched: Promise<Browser> | undefined;
  afterAll(async () => {
    const browser = await launched?.catch(() => undefined);
    await browser?.close();
  });
  return () => (launched ??= launchBrowser());
};

/**
 * A fresh context (cookies and all) per test. Console errors and CSP violations are collected so a
 * test can assert none happened.
 */
export const newContext = async (browser: Browser, options: BrowserContextOptions = {}) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(10_000);
  const problems: string[] = [];
  context.on('page', (page) => watchPage(page, problems));
  const page = await context.newPage();
  return { context, page, problems };
};

const watchPage = (page: Page, problems: string[]) => {
  page.on('console', (message) => {
    // The browser logs a 4xx page load as an error; only script problems and CSP refusals count.
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
      problems.push(`console error on ${page.url()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`script error on ${page.url()}: ${error.message}`));
};

export const closeContext = async (context: BrowserContext | undefined) => {
  await context?.close().catch(() => {});
};

/**
 * One browser per file; per test, a server started as `npm start` starts it (`startServer`) on a fresh,
 * empty data directory, for journeys that begin before any wave has links (a first run, invitations by
 * email), which `useSurveyTest` cannot set up. The server, its browser contexts and its directory are
 * all gone after the test, whatever it did.
 */
export const useBareServer = () => {
  const browser = useBrowser();
  let server: RunningServer | undefined;
  const dirs: string[] = [];
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    for (const c of contexts.splice(0)) await closeContext(c);
    await server?.stop();
    server = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    /** Starts the server; `root` holds `dataDir` and is the working directory for `cli`. */
    start: async (options: Omit<ServeOptions, 'dataDir' | 'port' | 'host'>) => {
      const root = mkdtempSync(join(tmpdir(), 'cswo-e2e-bare-'));
      dirs.push(root);
      const dataDir = join(root, 'data');
      server = await startServer({ dataDir, port: 0, host: '127.0.0.1', ...options });
      return { server, root, dataDir };
    },
    /** A fresh browser context, closed after the test. */
    newContext: async (options: BrowserContextOptions = {}) => {
      const made = await newContext(await browser(), options);
      contexts.push(made.context);
      return made;
    },
  };
};

/**
 * One browser per file; per test, a survey server and browser contexts that are all closed after the
 * test, whatever it did.
 */
export const useSurveyTest = () => {
  const browser = useBrowser();
  let survey: SurveyServer | undefined;
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    for (const context of contexts.splice(0)) await closeContext(context);
    await survey?.stop();
    survey = undefined;
  });
  return {
    browser,
    startSurvey: async (newWave?: NewWave) => (survey = await startSurvey(newWave)),
    newContext: async (options?: BrowserContextOptions) => {
      const made = await newContext(await browser(), options);
      contexts.push(made.context);
      return made;
    },
  };
};

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core on the page with the WCAG 2.0/2.1/2.2 A and AA rules and returns its violations,
 * described for a failure message. addScriptTag with content is an inline script, which the CSP
 * refuses; axe is evaluated in the page instead (evaluate is not subject to the page's CSP).
 */
export const axeViolations = async (page: Page): Promise<{ violations: AxeViolation[]; passes: number; report: string }> => {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const { violations, passes } = (await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: unknown[]; passes: unknown[] }> } }).axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
      .then((r) => ({ violations: r.violations, passes: r.passes.length })),
  )) as { violations: AxeViolation[]; passes: number };
  const report = violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} ${v.helpUrl}\n${v.nodes.map((n) => `  ${JSON.stringify(n.target)}${n.failureSummary ? `\n    ${n.failureSummary.replaceAll('\n', '\n    ')}` : ''}`).join('\n')}`,
    )
    .join('\n');
  return { violations, passes, report };
};

/** The page answered with `status`, axe-core ran on it, and found no WCAG A/AA violation. */
export const expectAccessible = async (page: Page, name: string, response: Response, status: number) => {
  expect(response.status(), name).toBe(status);
  const { violations, passes, report } = await axeViolations(page);
  expect(passes, `axe ran on ${name}`).toBeGreaterThan(0);
  expect(violations, `axe violations on ${name}:\n${report}`).toEqual([]);
};

export const saveScreenshot = async (page: Page, name: string) => {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
};

/** The secret part of an invitation link. */
export const secretOf = (link: string) => link.slice(link.lastIndexOf('/i/') + 3);
