import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTables, protectTables } from '../../analysis/index.js';
import { loadWaveResponses } from '../../server/analysis/wave-loader.js';
import { seedBundledData } from '../../server/seed/bundled-data.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { useTempDirs } from '../support/temp-dir.js';
import { parseCsv, storeOpener, WAVE_1, WAVE_2 } from './helpers.js';
import { CookieJar, titleOf } from './respondent-helpers.js';
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

const text = (html: string) => html.replace(/<!--[^]*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

/** Raw bytes of a download, with the browser's cookies. */
const download = async (t: Awaited<ReturnType<typeof setup>>, jar: CookieJar, path: string) => {
  const response = await t.app.request(path, { headers: { cookie: jar.header(path) ?? '' } });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
};

const sections = (html: string) => [...html.matchAll(/<h3 id="table-([a-z_]+)">Table (\d+): /g)].map((m) => ({ id: m[1]!, number: Number(m[2]) }));

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
  it('shows every table of the wave once, numbered in report order, each with a drawn chart, its figures and downloads', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}`);
    expect(page.status).toBe(200);
    const expected = buildTables(await loadWaveResponses(t.stores, WAVE_2));
    const shown = sections(page.html);
    expect(shown.map((s) => s.id).sort()).toEqual(expected.tables.map((table) => table.id).sort());
    expect(shown.map((s) => s.number)).toEqual(shown.map((_, i) => i + 1));
    // The report's order: background first, support last.
    expect(shown[0]!.id).toBe('role');
    expect(shown.at(-1)!.id).toBe('resources');
    // One chart (server-drawn SVG) and one table per table, and three downloads each.
    expect(page.html.match(/<figure class="chart"/g)).toHaveLength(expected.tables.length);
    expect(page.html.match(/<svg /g)).toHaveLength(expected.tables.length);
    expect(page.html.match(/<table class="ds_table staff-table results-table">/g)).toHaveLength(expected.tables.length);
    expect(page.html).toContain(`href="/staff/dashboards/${WAVE_2}/tables/pressure/png?view=analyst"`);
    // The spec travels as inert JSON data for vega-embed; no inline script runs.
    expect(page.html).toMatch(/<script type="application\/json" class="chart__spec">\{/);
    expect(page.html).not.toMatch(/<script(?![^>]*type="(application\/json|module)")/);
    expect(await auditOf(t.stores, ['tables.view'])).toEqual([expect.objectContaining({ action: 'tables.view', detail: { wave: WAVE_2, compare: null, view: 'analyst' } })]);
  });

  it('gives each percentage its count, n and interval, as the analysis computes them', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}`);
    const tables = buildTables(await loadWaveResponses(t.stores, WAVE_2));
    const urban = tables.tables.find((x) => x.id === 'urban_rural')!;
    const body = text(/<h3 id="table-urban_rural">[^]*?<\/table>/.exec(page.html)![0]);
    for (const row of urban.rows) {
      const cell = row.cells.percent ?? Object.values(row.cells)[0]!;
      if (!('pct' in cell) || cell.pct === null) continue;
      expect(body).toContain(`${row.label} ${Math.round(cell.pct)}% (${cell.count} of ${cell.n}; 95% CI ${Math.round(cell.ci!.low)}% to ${Math.round(cell.ci!.high)}%)`);
    }
  });

  it('compares with another wave: both waves, the change and its test, and tables only one wave has are listed', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const page = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}?compare=${WAVE_1}&view=analyst`);
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toContain('compared with Survey 1');
    const pressure = text(/<h3 id="table-pressure">[^]*?<\/table>/.exec(page.html)![0]);
    expect(pressure).toContain(`${WAVE_2}`);
    expect(pressure).toContain(`${WAVE_1}`);
    expect(pressure).toMatch(/(no )?evidence of change \(Fisher's exact p [=<] [0-9.]+\)/);
    expect(page.html).toMatch(/<option value="2020-01" selected/);
    expect(await auditOf(t.stores, ['tables.view'])).toEqual([expect.objectContaining({ detail: { wave: WAVE_2, compare: WAVE_1, view: 'analyst' } })]);
  });

  it('in the public view shows suppressed cells as suppressed, never as numbers', async () => {
    const t = await setup();
    const { jar } = await t.signedIn('analyst');
    const analyst = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}?view=analyst`);
    const pub = await t.send(jar, 'GET', `/staff/dashboards/${WAVE_2}?view=public`);
    const protectedTables = protectTables(buildTables(await loadWaveResponses(t.stores, WAVE_2)), { mode: 'public' });
    expect(protectedTables.disclosure.suppressedCells).toBeGreaterThan(0);
    const suppressedShown = (pub.html.match(/<strong>Suppressed<\/strong>/g) ?? []).length;
    expect(suppressedShown).toBe(protectedTables.tables.reduce((sum, table) => sum + table.rows.reduce((s, r) => s + Object.values(r.cells).filter((c) => c.suppressed).length, 0), 0));
    expect(analyst.html).not.toContain('<strong>Suppressed</strong>');
    expect(analyst.html).toContain('[a public table suppresses this');
    expect(pub.html).toMatch(/<input class="ds_radio__input" type="radio" id="view-public" name="view" value="public" checked/);
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
    expect(headings).toEqual(['Background information', 'Chief Social Work Officer role', 'Organisational role and pressures', 'Links and connections across partnerships', 'Support, learning and professional development']);
    const tables = sections(html);
    expect(tables.map((s) => s.number)).toEqual(tables.map((_, i) => i + 1));
    expect(html.match(/<svg /g)).toHaveLength(tables.length);
    expect(html.match(/<table /g)).toHaveLength(tables.length);
    expect(html).toContain('Public view: small cells are suppressed.');
    expect(html).toContain(`Compared with Survey 1 (January 2020)`);
    // Every figure states what it rests on.
    const cells = [...html.replace(/<!--[^]*?-->/g, '').matchAll(/<td data-label="[^"]*"><strong>([^<]+)<\/strong>\s*<span class="results-table__basis">\(([^)]*)/g)];
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
    expect(await auditOf(t.stores, ['download.package'])).toEqual([expect.objectContaining({ detail: expect.objectContaining({ waves: [WAVE_1, WAVE_2], rows: 48 }) })]);
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
    for (const path of [`/staff/dashboards/${WAVE_2}`, `/staff/dashboards/${WAVE_2}/report`, `/staff/dashboards/${WAVE_2}/tables/role/csv`, `/staff/waves/${WAVE_2}/responses`]) {
      expect((await t.send(jar, 'GET', path)).status, path).toBe(403);
    }
    const analyst = await t.signedIn('analyst');
    expect((await t.send(analyst.jar, 'GET', `/staff/research/${WAVE_2}/package`)).status).toBe(403);
    expect((await t.send(analyst.jar, 'GET', `/staff/research/package?wave=${WAVE_2}`)).status).toBe(403);
  });
});
