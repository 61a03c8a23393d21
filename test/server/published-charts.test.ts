import { describe, expect, it } from 'vitest';
import { buildTables, chartFor, noChartSentence, protectTables, type ProtectedTable, type ProtectedWaveTables } from '../../analysis/index.js';
import { chartPng, chartSvg } from '../../server/dashboards/chart-render.js';
import { bundledWave } from '../analysis/disclosure-data.js';
import { waveOf, WAVE_1, WAVE_2 } from '../analysis/fixtures.js';

/**
 * The charts as they are published (public view) and downloaded: drawn by the server's own renderer
 * from the bundled 2020 data, then read back from the SVG. A suppressed cell must be marked where its
 * bar would be, never left as a gap that reads as zero.
 */

const publicAlone = protectTables(buildTables(bundledWave(WAVE_2)), { mode: 'public' });
const publicCompared = protectTables(buildTables(bundledWave(WAVE_2), bundledWave(WAVE_1)), { mode: 'public' });
const analystCompared = protectTables(buildTables(bundledWave(WAVE_2), bundledWave(WAVE_1)), { mode: 'analyst' });

type Cells = ProtectedTable['rows'][number]['cells'];
const valueOf = (cell: Cells[string]): number | null => ('pct' in cell ? cell.pct : 'median' in cell ? cell.median : cell.mean);
const cellsOf = (table: ProtectedTable) =>
  table.rows.flatMap((row) => [
    ...Object.entries(row.cells).map(([column, cell]) => ({ row: row.id, wave: 'now', column, cell })),
    ...Object.entries(row.compare ?? {}).map(([column, cell]) => ({ row: row.id, wave: 'then', column, cell })),
  ]);
const hidden = (table: ProtectedTable) => cellsOf(table).filter((c) => c.cell.suppressed === true && valueOf(c.cell) === null);
const valued = (table: ProtectedTable) => cellsOf(table).filter((c) => valueOf(c.cell) !== null);
/** The marks a chart draws: one per suppressed cell, except a stacked bar, which has one per bar (row and wave). */
const expectedMarks = (table: ProtectedTable) =>
  table.kind === 'matrix-share' ? new Set(hidden(table).map((c) => `${c.row}|${c.wave}`)).size : hidden(table).length;

const svgOf = async (tables: ProtectedWaveTables, table: ProtectedTable) => {
  const spec = chartFor(table, tables.wave, { k: tables.disclosure.k });
  const svg = await chartSvg(spec);
  return {
    spec,
    svg,
    marks: (svg.match(/>\[c\]<\/text>/g) ?? []).length,
    bars: (svg.match(/aria-roledescription="bar"/g) ?? []).length,
    axes: (svg.match(/class="mark-group role-axis"/g) ?? []).length,
  };
};

const footnote = '[c] suppressed to protect confidentiality';

describe('published charts mark suppressed cells', () => {
  for (const [name, tables] of [
    ['alone', publicAlone],
    ['compared', publicCompared],
  ] as const) {
    const partly = tables.tables.filter((t) => hidden(t).length > 0 && valued(t).length > 0);
    it(`${name}: the bundled data has partly suppressed tables of every chart kind with a mark`, () => {
      expect(new Set(partly.map((t) => t.kind))).toEqual(new Set(['share', 'matrix-share', 'rating-bands']));
    });

    it.each(partly.map((t) => [t.id, t] as const))(`${name}, %s: a [c] at each suppressed bar's place, with the footnote`, async (_id, table) => {
      const { spec, svg, marks, bars, axes } = await svgOf(tables, table);
      expect(noChartSentence(spec)).toBeUndefined();
      expect(marks).toBe(expectedMarks(table));
      expect(marks).toBeGreaterThan(0);
      expect(bars).toBe(valued(table).length);
      expect(axes).toBeGreaterThan(0);
      expect(svg).toContain(footnote);
      expect(svg).toContain(`counts below ${tables.disclosure.k}`);
      expect(spec.description).toContain(footnote);
    });
  }

  it('puts the mark of a suppressed low rating left of zero and of a high rating right of it', async () => {
    const table = publicCompared.tables.find((t) => t.id === 'pressure')!;
    const { svg } = await svgOf(publicCompared, table);
    const anchors = [...svg.matchAll(/<text[^>]*text-anchor="(start|end)"[^>]*>\[c\]<\/text>/g)].map((m) => m[1]);
    const lows = hidden(table).filter((c) => c.column === 'low').length;
    expect(lows).toBeGreaterThan(0);
    expect(anchors.filter((a) => a === 'end')).toHaveLength(lows);
    expect(anchors.filter((a) => a === 'start')).toHaveLength(hidden(table).length - lows);
  });

  it('control: the same tables in the analyst view (every value drawn) have no mark and no footnote', async () => {
    for (const table of analystCompared.tables.filter((t) => cellsOf(t).some((c) => c.cell.suppressed))) {
      const { svg, marks, bars } = await svgOf(analystCompared, table);
      expect(marks, table.id).toBe(0);
      expect(svg).not.toContain(footnote);
      expect(bars).toBe(valued(table).length);
    }
  });

  it('control: a public table with nothing suppressed has no mark and no footnote', async () => {
    const clean = publicCompared.tables.filter((t) => hidden(t).length === 0 && valued(t).length > 0);
    expect(clean.length).toBeGreaterThan(0);
    for (const table of clean) {
      const { svg, marks } = await svgOf(publicCompared, table);
      expect(marks, table.id).toBe(0);
      expect(svg).not.toContain(footnote);
    }
  });

  it('replaces a chart whose every figure is suppressed by a sentence: no axes, no bars, also as PNG', async () => {
    const all = publicCompared.tables.filter((t) => valued(t).length === 0 && hidden(t).length > 0);
    expect(all.map((t) => t.id)).toContain('role');
    for (const table of all) {
      const { spec, svg, marks, bars, axes } = await svgOf(publicCompared, table);
      const sentence = noChartSentence(spec);
      expect(sentence).toMatch(/^No chart: every figure of this table is suppressed to protect confidentiality/);
      expect(axes).toBe(0);
      expect(bars).toBe(0);
      expect(marks).toBe(0);
      expect(svg).toContain('No chart: every figure of this table is');
      expect(spec.description).toContain(sentence);
      const png = await chartPng(spec);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    }
    // Control: the analyst view of the same table draws its bars on axes.
    const role = await svgOf(
      analystCompared,
      analystCompared.tables.find((t) => t.id === 'role')!,
    );
    expect(noChartSentence(role.spec)).toBeUndefined();
    expect(role.axes).toBeGreaterThan(0);
    expect(role.bars).toBeGreaterThan(0);
  });
});

describe('published charts of means and medians', () => {
  // Six answers: one time-share area answered by two (a mean of fewer than 3 answers), and the groups
  // question by two (so its every figure is suppressed).
  const small = protectTables(
    buildTables(
      waveOf({
        anonymous: [0, 1, 2, 3, 4, 5].map((i) => ({
          time_share: { children: 10 + i, adults: 30, ...(i < 2 ? { sds: 5 } : {}) },
          ...(i < 2 ? { groups_involved: 3 + i, groups_chaired: 1 } : {}),
        })),
      }),
    ),
    { mode: 'public' },
  );

  it('marks a suppressed mean with [c] at zero, and draws the others', async () => {
    const table = small.tables.find((t) => t.id === 'time_share')!;
    expect(table.kind).toBe('mean');
    expect(hidden(table).map((c) => c.row)).toEqual(['sds']);
    const { svg, marks, bars } = await svgOf(small, table);
    expect(marks).toBe(1);
    expect(bars).toBe(valued(table).length);
    expect(svg).toContain(footnote);
  });

  it('gives the sentence for a summary whose every figure is suppressed', async () => {
    const table = small.tables.find((t) => t.id === 'groups')!;
    expect(table.kind).toBe('number-summary');
    expect(valued(table)).toHaveLength(0);
    const { spec, axes, bars } = await svgOf(small, table);
    expect(noChartSentence(spec)).toMatch(/^No chart: every figure of this table is suppressed/);
    expect(axes).toBe(0);
    expect(bars).toBe(0);
  });

  it('control: says nobody answered, not suppressed, for a table with no answers at all', async () => {
    const table = small.tables.find((t) => t.id === 'pressure')!;
    expect(cellsOf(table).every((c) => c.cell.n === 0)).toBe(true);
    const { spec, svg } = await svgOf(small, table);
    expect(noChartSentence(spec)).toBe('No chart: nobody answered this question.');
    expect(svg).not.toContain('suppressed');
  });
});

describe('published charts are readable', () => {
  it('draws every text at 12 px or more, and cuts no label short with "…"', async () => {
    for (const tables of [publicCompared, analystCompared]) {
      for (const table of tables.tables) {
        const { spec, svg } = await svgOf(tables, table);
        const sizes = [...svg.matchAll(/font-size="(\d+(?:\.\d+)?)px"/g)].map((m) => Number(m[1]));
        expect(sizes.length, table.id).toBeGreaterThan(0);
        expect(Math.min(...sizes), table.id).toBeGreaterThanOrEqual(12);
        expect(svg, table.id).not.toContain('…');
        // Every row label is there whole, however many lines it takes (a sentence stands for a chart with no figures).
        if (noChartSentence(spec)) continue;
        for (const row of table.rows) {
          for (const word of row.label.split(/\s+/)) expect(svg, `${table.id}: ${row.label}`).toContain(word.replace(/&/g, '&amp;'));
        }
      }
    }
  });

  it("titles a compared chart with each wave's n, oldest wave first", () => {
    const table = analystCompared.tables.find((t) => t.id === 'salary_band')!;
    const spec = chartFor(table, WAVE_2);
    const n = (cells: Cells | undefined) => Object.values(cells ?? {})[0]!.n;
    const title = (spec.title as { text: string | string[] }).text;
    expect([title].flat().join(' ')).toBe(`${table.title} (n=${n(table.rows[0]!.compare)} in ${WAVE_1}, n=${n(table.rows[0]!.cells)} in ${WAVE_2})`);
    expect(n(table.rows[0]!.compare)).not.toBe(n(table.rows[0]!.cells));
  });
});
