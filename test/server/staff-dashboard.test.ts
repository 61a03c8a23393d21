import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTables, changeSummary, protectTables, reportOutline } from '../../analysis/index.js';
import { loadWaveResponses } from '../../server/dashboards/wave-loader.js';
import { seedBundledData } from '../../server/csv/bundled-data.js';
import { useTempDirs } from '../support/temp-dir.js';
import { parseCsv, storeOpener, WAVE_1, WAVE_2 } from './helpers.js';
import { CookieJar, titleOf, pageText } from './respondent-helpers.js';
import { auditOf } from './staff-helpers.js';
import { staffApp } from './staff-web-helpers.js';

/** The analysts' dashboards, downloads and draft report, and the researchers' downloads, over the bundled 2020 data. */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const setup = async () => {
  const stores = await opener.openIn(tempDir());
  await seedBundledData(stores);
  return { stores, ...staffApp(stores) };
};

const text = pageText;

/** Raw bytes of a download, with the browser's cookies. */
const download = async (t: Awaited<ReturnType<typeof setup>>, jar: CookieJar, path: string) => {
  const response = await t.app.request(path, { headers: { cookie: jar.header(path) ?? '' } });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
};

const sections = (html: string) => [...html.matchAll(/<h[23] id="table-([a-z_]+)">Table (\d+): /g)].map((m) => ({ id: m[1]!, number: Number(m[2]) }));

/** The section pages of a wave, as the wave's page links them, fetched in order. */
const sectionPages = async (t: Awaited<ReturnType<typeof setup>>, jar: CookieJar, query: string) => {
  const pages = [];
  for (const section of reportOutline) {
    const path = `/staff/dashboards/${WAVE_2}/sections/${section.id}?${query}`;
    const page = await t.send(jar, 'GET', path);
    expect(page.status, path).toBe(200);
    pages.push({ id: section.id, path, html: page.html });
  }
  return pages;
};

/** The first table of a section page whose heading names the table id. */
const tableHtml = (html: string, id: string) => /<h2 id="table-([a-z_]+)">[^]*?<\/table>/g.exec(html.slice(html.indexOf(`<h2 id="table-${id}">`)))![0];

describe('GET /staff/dashboards', () => {
  it('lists the waves with their response counts, each linking to its tables', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', '/staff/dashboards');
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Tables and charts – CSWO survey – Social Work Scotland');
    expect(page.html).toContain(`href="/staff/dashboards/${WAVE_2}"`);
    expect(text(page.html)).toMatch(/Survey 2 \(re-issued during COVID-19\) June 2020 21 21/);
  });
});

describe('GET /staff/dashboards/:wave', () => {
  it('is the contents: a page per section of the report, each table numbered in report order under its section, and no chart', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('<figure class="chart"');
    expect(page.html).not.toContain('<svg ');
    const expected = buildTables(await loadWaveResponses(t.stores, WAVE_2));
    for (const section of reportOutline) expect(page.html).toContain(`href="/staff/dashboards/${WAVE_2}/sections/${section.id}?view=analyst"`);
    const listed = [...page.html.matchAll(/href="\/staff\/dashboards\/2020-06\/sections\/([a-z-]+)\?view=analyst#table-([a-z_]+)">Table (\d+): /g)];
    expect(listed.map((m) => m[2]).sort()).toEqual(expected.tables.map((table) => table.id).sort());
    expect(listed.map((m) => Number(m[3]))).toEqual(listed.map((_, i) => i + 1));
    expect(listed[0]![2]).toBe('role');
    expect(listed.at(-1)![2]).toBe('resources');
    // Without a comparison there is nothing to say changed.
    expect(page.html).not.toContain('What changed');
    expect(await auditOf(t.stores, ['tables.view'])).toEqual([
      expect.objectContaining({ action: 'tables.view', detail: { wave: WAVE_2, compare: null, view: 'analyst' } }),
    ]);
  });

  it('shows each section on its own page: every table once, in report order, each with a drawn chart, its figures and downloads', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const expected = buildTables(await loadWaveResponses(t.stores, WAVE_2));
    const pages = await sectionPages(t, jar, 'view=analyst');
    const shown = pages.flatMap((p) => sections(p.html));
    expect(shown.map((s) => s.id).sort()).toEqual(expected.tables.map((table) => table.id).sort());
    expect(shown.map((s) => s.number)).toEqual(shown.map((_, i) => i + 1));
    for (const [i, p] of pages.entries()) {
      const count = sections(p.html).length;
      // One chart (server-drawn SVG: the analyst view suppresses nothing) and one table per table, and three downloads each.
      expect(p.html.match(/<figure class="chart"/g)).toHaveLength(count);
      expect(p.html.match(/<svg /g)).toHaveLength(count);
      expect(p.html.match(/<table class="ds_table staff-table results-table">/g)).toHaveLength(count);
      expect(p.html.match(/>Chart as PNG \(table \d+\)<\/a>/g)).toHaveLength(count);
      // The spec travels as inert JSON data for vega-embed; no inline script runs.
      expect(p.html).toMatch(/<script type="application\/json" class="chart__spec">\{/);
      expect(p.html).not.toMatch(/<script(?![^>]*type="(application\/json|module)")/);
      expect(titleOf(p.html)).toContain(reportOutline[i]!.title);
      expect(text(p.html)).toContain(`Section ${i + 1} of ${reportOutline.length}`);
      // On to the next section and back to the one before, keeping the options.
      if (i > 0) expect(p.html).toContain(`href="/staff/dashboards/${WAVE_2}/sections/${reportOutline[i - 1]!.id}?view=analyst"`);
      if (i < pages.length - 1) expect(p.html).toContain(`href="/staff/dashboards/${WAVE_2}/sections/${reportOutline[i + 1]!.id}?view=analyst"`);
      expect(p.html).toContain(`<span class="ds_contents-nav__link ds_current" aria-current="page">${reportOutline[i]!.title}</span>`);
    }
    expect(pages.find((p) => p.id === 'pressures')!.html).toContain(`href="/staff/dashboards/${WAVE_2}/tables/pressure/png?view=analyst"`);
    expect(await auditOf(t.stores, ['tables.view'])).toEqual(
      reportOutline.map((s) => expect.objectContaining({ detail: { wave: WAVE_2, compare: null, view: 'analyst', section: s.id } })),
    );
  });

  it('gives each percentage, its count of n and its interval columns of their own, as the analysis computes them', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}/sections/background`);
    const tables = buildTables(await loadWaveResponses(t.stores, WAVE_2));
    const urban = tables.tables.find((x) => x.id === 'urban_rural')!;
    const body = tableHtml(page.html, 'urban_rural')
      .replace(/<!--[^]*?-->/g, '')
      .replace(/>\s+</g, '><');
    // The analyst view adds a column for the marks of cells a public table suppresses.
    expect(text(/<thead>[^]*<\/thead>/.exec(body)![0])).toBe('Answer Percent Count of n 95% interval Suppressed in public');
    let checked = 0;
    for (const row of urban.rows) {
      const cell = row.cells.percent ?? Object.values(row.cells)[0]!;
      if (!('pct' in cell) || cell.pct === null) continue;
      expect(body).toContain(
        `<th scope="row">${row.label}</th><td class="results-table__figure" data-label="Percent"><strong>${Math.round(cell.pct)}%</strong></td>` +
          `<td class="results-table__figure" data-label="Count of n">${cell.count} of ${cell.n}</td>` +
          `<td data-label="95% interval">${Math.round(cell.ci!.low)}% to ${Math.round(cell.ci!.high)}%</td>`,
      );
      checked++;
    }
    expect(checked).toBeGreaterThan(1);
  });

  it('compares with another wave: oldest wave first, then the change and its test, on the section pages', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}/sections/pressures?compare=${WAVE_1}&view=analyst`);
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toContain('compared with Survey 1');
    const pressure = tableHtml(page.html, 'pressure');
    const head = text(/<thead>[^]*<\/thead>/.exec(pressure)![0]);
    expect(head).toBe(
      `Answer Wave ${WAVE_1} Wave ${WAVE_2} Change, ${WAVE_1} to ${WAVE_2} Percent Count of n 95% interval Suppressed in public Percent Count of n 95% interval Suppressed in public`,
    );
    // Each area heads its group of lines, one per band.
    expect(pressure).toMatch(/<tr class="results-table__group"><th scope="rowgroup" colspan="10">Budgets<\/th><\/tr>/);
    expect(text(pressure)).toMatch(/(No e|E)vidence of change \(Fisher's exact p [=<] [0-9.]+\)/);
    // Oldest first in the cells too: the 2020-01 figures come before the 2020-06 ones.
    const first = /<td class="results-table__figure" data-label="Percent, ([0-9-]+)">/.exec(pressure)!;
    expect(first[1]).toBe(WAVE_1);
    expect(await auditOf(t.stores, ['tables.view'])).toEqual([
      expect.objectContaining({ detail: { wave: WAVE_2, compare: WAVE_1, view: 'analyst', section: 'pressures' } }),
    ]);
  });

  it('says what changed on the comparison page: each cell with evidence of change, linking to its table, and how many were tested', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    for (const view of ['analyst', 'public'] as const) {
      const page = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}?compare=${WAVE_1}&view=${view}`);
      expect(page.status).toBe(200);
      expect(page.html).toMatch(/<option value="2020-01" selected/);
      const summary = changeSummary(
        protectTables(buildTables(await loadWaveResponses(t.stores, WAVE_2), await loadWaveResponses(t.stores, WAVE_1)), { mode: view }),
      );
      expect(summary.tested).toBeGreaterThan(20);
      expect(summary.findings.length).toBeGreaterThan(0);
      expect(page.html).toContain(`<h2 id="what-changed">What changed from ${WAVE_1} to ${WAVE_2}</h2>`);
      const body = text(page.html);
      expect(body).toContain(`${summary.findings.length} of the ${summary.tested} comparisons tested`);
      const items = [...page.html.matchAll(/<li><a class="ds_link" href="([^"]+)">Table (\d+): [^<]*<\/a>([^]*?)<\/li>/g)].filter((m) =>
        m[3]!.includes('evidence of change'),
      );
      expect(items).toHaveLength(summary.findings.length);
      for (const [i, finding] of summary.findings.entries()) {
        expect(items[i]![1]).toBe(`/staff/dashboards/${WAVE_2}/sections/${finding.sectionId}?compare=${WAVE_1}&amp;view=${view}#table-${finding.tableId}`);
        expect(text(items[i]![3]!).replace(/&#39;/g, "'").replace(/&lt;/g, '<')).toContain(finding.statement);
        expect(finding.statement).toContain(': evidence of change');
      }
      if (view === 'public') expect(summary.hidden).toBeGreaterThan(0);
      if (view === 'public') expect(body).toContain(`${summary.hidden} comparisons are not shown because one of their figures is suppressed`);
    }
  });

  it('in the public view shows suppressed cells as suppressed, never as numbers, and marks them in the charts', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const analyst = (await sectionPages(t, jar, 'view=analyst')).map((p) => p.html).join('');
    const pub = (await sectionPages(t, jar, 'view=public')).map((p) => p.html).join('');
    const protectedTables = protectTables(buildTables(await loadWaveResponses(t.stores, WAVE_2)), { mode: 'public' });
    expect(protectedTables.disclosure.suppressedCells).toBeGreaterThan(0);
    const suppressedShown = (pub.match(/<strong>Suppressed<\/strong>/g) ?? []).length;
    expect(suppressedShown).toBe(
      protectedTables.tables.reduce((sum, table) => sum + table.rows.reduce((s, r) => s + Object.values(r.cells).filter((c) => c.suppressed).length, 0), 0),
    );
    expect(analyst).not.toContain('<strong>Suppressed</strong>');
    expect(analyst).toContain('Yes (small count, or close to n)');
    // The charts: a [c] where a suppressed bar would be, and a sentence for a table with every figure suppressed.
    expect(pub).toMatch(/>\[c\]<\/text>/);
    expect(pub).toContain('[c] suppressed to protect confidentiality');
    expect(pub).toMatch(/<p class="chart__none">No chart: every figure of this table is suppressed/);
    expect(analyst).not.toMatch(/>\[c\]<\/text>/);
    expect(analyst).not.toContain('chart__none');
    const overview = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}?view=public`);
    expect(overview.html).toMatch(/<input class="ds_radio__input" type="radio" id="view-public" name="view" value="public" checked/);
  });

  it('refuses an unknown section, and a bad option on a section page, with a page saying so', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const missing = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}/sections/no-such-section`);
    expect(missing.status).toBe(404);
    expect(text(missing.html)).toContain('have no section "no-such-section"');
    const bad = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}/sections/background?compare=1999-01`);
    expect(bad.status).toBe(400);
    expect(text(bad.html)).toContain('There is no wave "1999-01" to compare with');
    expect(await auditOf(t.stores, ['tables.view'])).toEqual([]);
  });

  it('names a bad option back to the analyst with an error summary, and refuses unknown waves', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const bad = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}?compare=1999-01&view=secret`);
    expect(bad.status).toBe(400);
    expect(titleOf(bad.html)).toMatch(/^Error: /);
    expect(bad.html).toContain('<a href="#compare">There is no wave "1999-01" to compare with: choose one from the list</a>');
    expect(bad.html).toContain('<a href="#view-analyst">Choose the analyst view or the public view</a>');
    const same = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}?compare=${WAVE_2}`);
    expect(same.status).toBe(400);
    expect(same.html).toContain('Choose a different wave to compare with');
    // A comparison reads oldest first: a later wave is compared from its own dashboard.
    const later = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_1}?compare=${WAVE_2}`);
    expect(later.status).toBe(400);
    expect(later.html).toContain(
      `Choose an earlier wave to compare with: to compare ${WAVE_1} with ${WAVE_2}, open the dashboard of ${WAVE_2} and compare it with ${WAVE_1}`,
    );
    expect(later.html).not.toContain(`<option value="${WAVE_2}"`);
    expect((await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}`)).html).toContain(`<option value="${WAVE_1}"`);
    const missing = await t.send(jar, 'GET', '/staff/dashboards/1999-01');
    expect(missing.status).toBe(404);
    expect(titleOf(missing.html)).toContain('Wave not found');
  });
});

describe('downloads of a table and its chart', () => {
  it('gives the table as CSV with every figure unrounded, suppressed figures empty with their status, and audits it', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const got = await download(t, jar, `/staff/dashboards/${WAVE_2}/tables/urban_rural/csv?view=public`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="cswo-${WAVE_2}-urban_rural-public.csv"`);
    const rows = parseCsv(new TextDecoder().decode(got.bytes));
    const [header, ...records] = rows;
    expect(header!.slice(0, 5)).toEqual(['table', 'row', 'column', 'wave', 'n']);
    const expected = protectTables(buildTables(await loadWaveResponses(t.stores, WAVE_2)), { mode: 'public' }).tables.find((x) => x.id === 'urban_rural')!;
    expect(records).toHaveLength(expected.rows.length);
    const col = (name: string) => header!.indexOf(name);
    for (const [i, row] of expected.rows.entries()) {
      const cell = Object.values(row.cells)[0]! as { count: number | null; pct: number | null; suppressed?: unknown };
      const record = records[i]!;
      expect(record[col('row')]).toBe(row.label);
      expect(record[col('count')]).toBe(cell.count === null ? '' : String(cell.count));
      expect(record[col('percent')]).toBe(cell.pct === null ? '' : String(cell.pct));
      expect(record[col('status')]).toBe(cell.suppressed ? 'suppressed' : '');
    }
    expect(await auditOf(t.stores, ['download.table'])).toEqual([
      expect.objectContaining({ detail: { wave: WAVE_2, compare: null, view: 'public', table: 'urban_rural', format: 'csv' } }),
    ]);
  });

  it('gives the chart as SVG with one bar per value and as a PNG image', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const svg = await download(t, jar, `/staff/dashboards/${WAVE_2}/tables/contract/svg?view=analyst`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const markup = new TextDecoder().decode(svg.bytes);
    expect(markup.startsWith('<svg')).toBe(true);
    const contract = buildTables(await loadWaveResponses(t.stores, WAVE_2)).tables.find((x) => x.id === 'contract')!;
    const answered = contract.rows.filter((r) => Object.values(r.cells).some((c) => 'pct' in c && c.pct !== null)).length;
    expect(markup.match(/aria-roledescription="bar"/g)).toHaveLength(answered);
    const png = await download(t, jar, `/staff/dashboards/${WAVE_2}/tables/contract/png?view=analyst&compare=${WAVE_1}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-disposition')).toBe(`attachment; filename="cswo-${WAVE_2}-contract-vs-${WAVE_1}-analyst.png"`);
    expect([...png.bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // PNG width is at offset 16: twice the SVG's width.
    const width = new DataView(png.bytes.buffer).getUint32(16);
    expect(width).toBeGreaterThan(600);
    expect((await auditOf(t.stores, ['download.chart'])).map((e) => (e.detail as { format: string }).format)).toEqual(['svg', 'png']);
  });

  it('marks suppressed cells in a public chart download, and gives a sentence for a chart with every figure suppressed', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const svgOf = async (table: string, view: string) =>
      new TextDecoder().decode((await download(t, jar, `/staff/dashboards/${WAVE_2}/tables/${table}/svg?view=${view}`)).bytes);
    const pub = protectTables(buildTables(await loadWaveResponses(t.stores, WAVE_2)), { mode: 'public' });
    const hidden = (id: string) => pub.tables.find((x) => x.id === id)!.rows.filter((r) => Object.values(r.cells).some((c) => c.suppressed)).length;
    const salary = await svgOf('salary_band', 'public');
    expect(hidden('salary_band')).toBeGreaterThan(0);
    expect(salary.match(/>\[c\]<\/text>/g)).toHaveLength(hidden('salary_band'));
    expect(salary).toContain('[c] suppressed to protect confidentiality');
    const role = await svgOf('role', 'public');
    expect(role).toContain('No chart: every figure of this table is');
    expect(role).not.toContain('aria-roledescription="axis"');
    // Control: the analyst view of the same tables draws every bar, with no mark.
    for (const id of ['salary_band', 'role']) {
      const analyst = await svgOf(id, 'analyst');
      expect(analyst).not.toMatch(/>\[c\]<\/text>/);
      expect(analyst).toContain('aria-roledescription="axis"');
    }
  });

  it('refuses an unknown table or a bad option with a page, and downloads nothing', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const table = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}/tables/no_such_table/csv`);
    expect(table.status).toBe(404);
    expect(table.headers.get('content-disposition')).toBeNull();
    expect(text(table.html)).toContain('has no table "no_such_table"');
    const option = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}/tables/pressure/svg?compare=nope`);
    expect(option.status).toBe(400);
    expect(text(option.html)).toContain('There is no wave "nope" to compare with');
    const format = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}/tables/pressure/pdf`);
    expect(format.status).toBe(404);
    expect(await auditOf(t.stores, ['download.table', 'download.chart'])).toEqual([]);
  });
});

describe('the draft report', () => {
  it('is one standalone HTML file in report order: sections, numbered tables with inline SVG charts, n everywhere, nothing fetched', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const got = await download(t, jar, `/staff/dashboards/${WAVE_2}/report?view=public&compare=${WAVE_1}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="cswo-${WAVE_2}-draft-report-vs-${WAVE_1}-public.html"`);
    const html = new TextDecoder().decode(got.bytes);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Self-contained: no script, no external stylesheet, image or font.
    expect(html).not.toMatch(/<script|<link |src="|url\(/);
    expect(html).toContain('<style>');
    const headings = [...html.matchAll(/<h2 id="([a-z-]+)">(\d+)\. ([^<]+)<\/h2>/g)].map((m) => m[3]);
    expect(headings).toEqual([
      'Background information',
      'Chief Social Work Officer role',
      'Organisational role and pressures',
      'Links and connections across partnerships',
      'Support, learning and professional development',
    ]);
    const tables = sections(html);
    expect(tables.map((s) => s.number)).toEqual(tables.map((_, i) => i + 1));
    // A table whose every figure is suppressed has a sentence in place of its chart, never empty axes.
    const sentences = html.match(/<p class="chart-none">No chart: every figure of this table is suppressed/g) ?? [];
    expect(sentences.length).toBeGreaterThan(0);
    expect(html.match(/<svg /g)).toHaveLength(tables.length - sentences.length);
    expect(html.match(/<table /g)).toHaveLength(tables.length);
    // Suppressed cells of the charts drawn are marked, with the footnote saying what the mark means.
    expect(html).toMatch(/>\[c\]<\/text>/);
    expect(html).toContain('[c] suppressed to protect confidentiality');
    expect(html).toContain('Public view: small cells are suppressed.');
    expect(html).toContain(`Compared with Survey 1 (January 2020)`);
    // What changed, each finding linking to its table within the file.
    expect(html).toContain(`<h2 id="what-changed">What changed from ${WAVE_1} to ${WAVE_2}</h2>`);
    const summary = changeSummary(
      protectTables(buildTables(await loadWaveResponses(t.stores, WAVE_2), await loadWaveResponses(t.stores, WAVE_1)), { mode: 'public' }),
    );
    const links = [...html.matchAll(/<li><a href="#table-([a-z_]+)">Table \d+: /g)].map((m) => m[1]);
    expect(links).toEqual(summary.findings.map((f) => f.tableId));
    for (const id of links) expect(html).toContain(`<h3 id="table-${id}">`);
    // Every figure states what it rests on.
    const cells = [
      ...html
        .replace(/<!--[^]*?-->/g, '')
        .matchAll(
          /<td (?:class="[^"]*" )?data-label="[^"]*"><strong>([^<]+)<\/strong><\/td>\s*(?:<!--[^]*?-->\s*)?<td (?:class="[^"]*" )?data-label="[^"]*">([^<]*)<\/td>/g,
        ),
    ];
    expect(cells.length).toBeGreaterThan(100);
    for (const [, , basis] of cells) expect(basis).toMatch(/n=\d+| of \d+/);
    expect(await auditOf(t.stores, ['download.report'])).toEqual([expect.objectContaining({ detail: { wave: WAVE_2, compare: WAVE_1, view: 'public' } })]);
  });
});

describe('research downloads', () => {
  const sendAs = async (role: 'researcher' | 'analyst') => {
    const t = await setup();
    const { jar } = await t.signedIn(role);
    return { t, jar };
  };

  it('lists each wave with its data package and public tables', async () => {
    const { t, jar } = await sendAs('researcher');
    const page = await t.send(jar, 'GET', '/staff/research');
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="/staff/research/${WAVE_2}/package"`);
    expect(page.html).toContain(`href="/staff/research/${WAVE_1}/tables"`);
  });

  it('gives a researcher the part-two package as a zip with its codebook, audited, and nothing of part one', async () => {
    const { t, jar } = await sendAs('researcher');
    const got = await download(t, jar, `/staff/research/${WAVE_2}/package`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(got.bytes);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'datapackage.json', 'part-two.csv', 'read_cswo.R', 'read_cswo.py']);
    const header = parseCsv(strFromU8(files['part-two.csv']!))[0]!;
    expect(header).not.toContain('local_authority');
    expect(header).not.toContain('name');
    expect(JSON.parse(strFromU8(files['datapackage.json']!)).resources).toHaveLength(1);
    expect(await auditOf(t.stores, ['download.package'])).toEqual([expect.objectContaining({ detail: expect.objectContaining({ waves: [WAVE_2], k: 3 }) })]);
  });

  it('offers one package across the waves ticked: a form of checkboxes, checked by the server', async () => {
    const { t, jar } = await sendAs('researcher');
    const page = await t.send(jar, 'GET', '/staff/research');
    expect(page.html).toContain('action="/staff/research/package"');
    for (const wave of [WAVE_1, WAVE_2]) expect(page.html).toMatch(new RegExp(`<input[^>]*type="checkbox"[^>]*name="wave"[^>]*value="${wave}"`));

    const got = await download(t, jar, `/staff/research/package?wave=${WAVE_2}&wave=${WAVE_1}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toContain(`cswo-${WAVE_1}-${WAVE_2}-part-two-data-package.zip`);
    const files = unzipSync(got.bytes);
    const [header, ...rows] = parseCsv(strFromU8(files['part-two.csv']!));
    expect(header![0]).toBe('wave');
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([WAVE_1, WAVE_2]));
    expect(rows).toHaveLength(48);
    expect(JSON.parse(strFromU8(files['datapackage.json']!)).waves.map((w: { id: string }) => w.id)).toEqual([WAVE_1, WAVE_2]);
    expect(await auditOf(t.stores, ['download.package'])).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ waves: [WAVE_1, WAVE_2], rows: 48 }) }),
    ]);
  });

  it('refuses no wave, an unknown wave or a wave twice with the page and an error summary, downloading nothing', async () => {
    const { t, jar } = await sendAs('researcher');
    const cases: [string, string][] = [
      ['/staff/research/package', 'Choose at least one wave for the data package'],
      [`/staff/research/package?wave=${WAVE_1}&wave=1999-01`, 'There is no wave "1999-01": choose waves from the list'],
      [`/staff/research/package?wave=${WAVE_1}&wave=${WAVE_1}`, `Choose each wave once: ${WAVE_1} is chosen twice`],
    ];
    for (const [path, message] of cases) {
      const got = await t.send(jar, 'GET', path);
      expect(got.status, path).toBe(400);
      expect(titleOf(got.html), path).toMatch(/^Error: /);
      expect(got.html, path).toContain('class="ds_error-summary"');
      expect(got.html, path).toContain('href="#waves"');
      expect(got.html, path).toContain(message);
      expect(got.html, path).toContain('id="waves"');
    }
    // What was ticked stays ticked.
    const again = await t.send(jar, 'GET', `/staff/research/package?wave=${WAVE_1}&wave=1999-01`);
    expect(again.html).toMatch(new RegExp(`<input[^>]*value="${WAVE_1}"[^>]*checked`));
    expect(await auditOf(t.stores, ['download.package'])).toEqual([]);
  });

  it('gives the published tables of both parts in the public view only, whatever the query asks', async () => {
    const { t, jar } = await sendAs('researcher');
    const got = await download(t, jar, `/staff/research/${WAVE_2}/tables?view=analyst`);
    expect(got.status).toBe(200);
    const [header, ...records] = parseCsv(new TextDecoder().decode(got.bytes));
    const status = header!.indexOf('status');
    expect(records.some((r) => r[status] === 'suppressed')).toBe(true);
    expect(records.some((r) => r[status]!.startsWith('shown to analysts'))).toBe(false);
    expect(new Set(records.map((r) => r[0]))).toContain('urban_rural');
  });

  it('keeps a researcher out of the dashboards and the monitor, and an analyst out of the package', async () => {
    const { t, jar } = await sendAs('researcher');
    for (const path of [
      `/staff/dashboards/${WAVE_2}`,
      `/staff/dashboards/${WAVE_2}/report`,
      `/staff/dashboards/${WAVE_2}/tables/role/csv`,
      `/staff/waves/${WAVE_2}/responses`,
    ]) {
      expect((await t.send(jar, 'GET', path)).status, path).toBe(403);
    }
    const analyst = await t.signedIn('analyst');
    expect((await t.send(analyst.jar, 'GET', `/staff/research/${WAVE_2}/package`)).status).toBe(403);
    expect((await t.send(analyst.jar, 'GET', `/staff/research/package?wave=${WAVE_2}`)).status).toBe(403);
  });
});
