import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  buildTables,
  changeSummary,
  chartFor,
  displayCell,
  displayTable,
  outlineTables,
  protectTables,
  reportOutline,
  tableCatalogue,
  tableRecordHeader,
  tableRecords,
  type ProtectedShareCell,
} from '../../analysis/index.js';
import { bundledWave } from './disclosure-data.js';
import { WAVE_1, WAVE_2 } from './fixtures.js';

/** The pure presentation the dashboard, downloads and draft report share: outline, display cells, records. */

describe('outlineTables', () => {
  it('places every catalogue table in exactly one section of the report outline, numbered 1..n in order', () => {
    const placed = reportOutline.flatMap((s) => s.tables);
    expect(new Set(placed).size).toBe(placed.length);
    expect([...placed].sort()).toEqual(tableCatalogue.map((t) => t.id).sort());
    const sections = outlineTables(tableCatalogue);
    expect(sections.map((s) => s.id)).toEqual(reportOutline.map((s) => s.id));
    const numbers = sections.flatMap((s) => s.tables.map((t) => t.number));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it('puts a table the outline does not know into a last section, and leaves out empty sections', () => {
    const sections = outlineTables([{ id: 'pressure' }, { id: 'brand_new' }, { id: 'role' }]);
    expect(sections.map((s) => [s.title, s.tables.map((t) => [t.number, t.table.id])])).toEqual([
      ['Background information', [[1, 'role']]],
      ['Organisational role and pressures', [[2, 'pressure']]],
      ['Other tables', [[3, 'brand_new']]],
    ]);
  });
});

describe('displayCell', () => {
  const share = (cell: Partial<ProtectedShareCell>): ProtectedShareCell => ({ n: 24, count: 16, pct: (16 / 24) * 100, ci: { low: 46.7, high: 82.0 }, ...cell });

  it('rounds a percentage and gives its count, n and interval', () => {
    expect(displayCell(share({}), 'analyst')).toEqual({ value: '67%', basis: '16 of 24', interval: '47% to 82%' });
  });

  it('shows a suppressed cell as suppressed in public, with only its n', () => {
    expect(displayCell(share({ count: null, pct: null, ci: null, suppressed: true }), 'public')).toEqual({
      value: 'Suppressed',
      basis: 'n=24',
      mark: 'suppressed',
    });
  });

  it('keeps the value in the analyst view and says why a public table would hide it', () => {
    expect(displayCell(share({ suppressed: 'secondary' }), 'analyst')).toMatchObject({ value: '67%', mark: 'secondary' });
  });

  it('says "No answers" when n is 0, never 0%', () => {
    expect(displayCell({ n: 0, count: 0, pct: null, ci: null }, 'public')).toEqual({ value: 'No answers', basis: 'n=0' });
  });

  it('shows means with SD and n, and summaries with their median, without the range in public', () => {
    expect(displayCell({ n: 10, mean: 12.345, sd: 3.21 }, 'public')).toEqual({ value: '12.3', basis: 'SD 3.2, n=10' });
    const summary = { n: 9, median: 6, min: 1, max: 20, mean: 7.1, withheld: ['min', 'max'] as const };
    expect(displayCell({ ...summary, min: null, max: null }, 'public')).toEqual({ value: 'median 6', basis: 'mean 7.1, n=9' });
    expect(displayCell(summary, 'analyst').basis).toBe('mean 7.1, n=9, range 1 to 20 (not for publication)');
  });
});

describe('displayTable and tableRecords on the bundled data', () => {
  const compared = buildTables(bundledWave(WAVE_2), bundledWave(WAVE_1));

  it('lays a compared table out as then, now, change for each column (oldest wave first), with a cell or change under each', () => {
    const pub = protectTables(compared, { mode: 'public' });
    const table = pub.tables.find((t) => t.id === 'direct_access')!;
    const shown = displayTable(table, WAVE_2, 'public');
    expect(shown.columns).toHaveLength(table.columns.length * 3);
    expect(shown.columns.slice(0, 3).map((c) => c.label)).toEqual([
      `${table.columns[0]!.label}, ${WAVE_1}`,
      `${table.columns[0]!.label}, ${WAVE_2}`,
      `${table.columns[0]!.label}: change`,
    ]);
    expect(shown.columns.slice(0, 3).map((c) => c.wave)).toEqual([WAVE_1, WAVE_2, WAVE_2]);
    expect(shown.columns.slice(0, 3).map((c) => c.columnLabel)).toEqual([table.columns[0]!.label, table.columns[0]!.label, table.columns[0]!.label]);
    expect(shown.rows).toHaveLength(table.rows.length);
    for (const [r, row] of shown.rows.entries()) {
      expect(row.cells).toHaveLength(shown.columns.length);
      for (const [i, cell] of row.cells.entries()) {
        const column = shown.columns[i]!;
        const source = table.rows[r]!;
        if (column.change)
          expect(cell).toEqual(source.change?.[column.columnId] ? expect.objectContaining({ change: source.change[column.columnId]!.statement }) : null);
        else expect(cell === null).toBe((column.wave === WAVE_2 ? source.cells : source.compare)?.[column.columnId] === undefined);
      }
    }
  });

  it('never shows a public value the disclosure control removed', () => {
    const pub = protectTables(compared, { mode: 'public' });
    let suppressed = 0;
    for (const table of pub.tables) {
      const shown = displayTable(table, WAVE_2, 'public');
      for (const [r, row] of table.rows.entries()) {
        for (const [i, column] of shown.columns.entries()) {
          if (column.change) continue;
          const cell = (column.wave === WAVE_2 ? row.cells : row.compare)?.[column.columnId];
          if (!cell?.suppressed) continue;
          suppressed++;
          expect(shown.rows[r]!.cells[i]).toEqual({ value: 'Suppressed', basis: `n=${cell.n}`, mark: 'suppressed' });
        }
      }
    }
    expect(suppressed).toBeGreaterThan(0);
    expect(suppressed).toBe(
      pub.disclosure.suppressedCells -
        pub.tables.reduce((s, t) => s + t.rows.reduce((x, r) => x + Object.values(r.change ?? {}).filter((c) => c.suppressed).length, 0), 0),
    );
  });

  it('writes one record per row, column and wave with unrounded figures; suppressed figures empty, with their status', () => {
    const analyst = protectTables(compared, { mode: 'analyst' });
    const pub = protectTables(compared, { mode: 'public' });
    for (const [mode, result] of [
      ['analyst', analyst],
      ['public', pub],
    ] as const) {
      for (const table of result.tables) {
        const records = tableRecords(table, WAVE_2, mode);
        const expected = table.rows.reduce((sum, row) => sum + Object.keys(row.cells).length + Object.keys(row.compare ?? {}).length, 0);
        expect(records, table.id).toHaveLength(expected);
        for (const record of records) expect(Object.keys(record)).toEqual([...tableRecordHeader]);
        // Oldest wave first within each row and column, as on the pages; the change rides on the later wave.
        for (const [i, record] of records.entries()) {
          if (record.wave !== WAVE_1) continue;
          expect(records[i + 1], table.id).toMatchObject({ row: record.row, column: record.column, wave: WAVE_2 });
          expect(record.verdict).toBe('');
        }
      }
    }
    const role = pub.tables.find((t) => t.id === 'role')!;
    const records = tableRecords(role, WAVE_2, 'public');
    for (const record of records) {
      const row = role.rows.find((r) => r.label === record.row)!;
      const cell = (record.wave === WAVE_2 ? row.cells : row.compare)!.percent ?? Object.values(record.wave === WAVE_2 ? row.cells : row.compare!)[0]!;
      if (cell.suppressed) expect(record).toMatchObject({ count: '', percent: '', status: expect.stringContaining('suppressed') });
      else expect(record.percent).toBe(String((cell as ProtectedShareCell).pct));
    }
    expect(records.some((r) => r.status.includes('suppressed'))).toBe(true);
  });
});

describe('charts of public tables', () => {
  it('draw no bar for a suppressed cell and describe it as suppressed, never as a value', async () => {
    const pub = protectTables(buildTables(bundledWave(WAVE_2)), { mode: 'public' });
    // A table with figures left to draw: one whose every figure is suppressed is a sentence, not a chart.
    const table = pub.tables.find(
      (t) =>
        t.kind === 'share' &&
        t.rows.some((r) => Object.values(r.cells).some((c) => c.suppressed)) &&
        t.rows.some((r) => Object.values(r.cells).some((c) => !c.suppressed)),
    )!;
    const spec = chartFor(table, WAVE_2);
    const suppressed = table.rows.filter((r) => Object.values(r.cells).some((c) => c.suppressed));
    for (const row of suppressed) expect(spec.description).toContain(`${row.label}: suppressed`);
    const view = new vega.View(vega.parse(compile(spec as TopLevelSpec).spec), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    const valued = table.rows.filter((r) => Object.values(r.cells).some((c) => 'pct' in c && c.pct !== null)).length;
    expect((svg.match(/aria-roledescription="bar"/g) ?? []).length).toBe(valued);
    expect(valued).toBeLessThan(table.rows.length);
  });
});

describe('changeSummary', () => {
  const compared = buildTables(bundledWave(WAVE_2), bundledWave(WAVE_1));

  it('lists every cell with evidence of change in report order, counts the tests, and leaves out what the public view suppresses', () => {
    for (const mode of ['analyst', 'public'] as const) {
      const tables = protectTables(compared, { mode });
      const changes = tables.tables.flatMap((t) => t.rows.flatMap((r) => Object.values(r.change ?? {})));
      const summary = changeSummary(tables);
      expect(summary.findings).toHaveLength(changes.filter((c) => c.verdict === 'evidence of change').length);
      expect(summary.findings.length).toBeGreaterThan(0);
      expect(summary.tested).toBe(changes.filter((c) => c.verdict === 'evidence of change' || c.verdict === 'no evidence of change').length);
      expect(summary.hidden).toBe(changes.filter((c) => c.verdict === null).length);
      const numbers = summary.findings.map((f) => f.number);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      for (const finding of summary.findings) expect(finding.statement).toMatch(/^.* in 2020-01 to .* in 2020-06: evidence of change \(/);
      if (mode === 'public') {
        expect(summary.hidden).toBeGreaterThan(0);
        expect(summary.findings.some((f) => f.suppressedInPublic)).toBe(false);
      } else {
        expect(summary.hidden).toBe(0);
        // The analyst sees the changes a public table hides, marked as such.
        expect(summary.findings.filter((f) => f.suppressedInPublic).length).toBe(
          tables.tables.flatMap((t) => t.rows.flatMap((r) => Object.values(r.change ?? {}))).filter((c) => c.suppressed && c.verdict === 'evidence of change')
            .length,
        );
      }
    }
  });
});
