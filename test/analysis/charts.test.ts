import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { plotWidth } from '../../analysis/charts/chart-data.js';
import { buildTables, chartFor, type AnalysisTable, type Cell, type ChartSpec, type WaveTables } from '../../analysis/index.js';
import { tableOf, v1, waveOf, WAVE_1, WAVE_2 } from './fixtures.js';

/** Rich answers for both waves: most tables have values, some rows are blank on purpose. */
const portfolioCodes = ['all', 'part', 'none'];
const now = waveOf({
  identifiable: [0, 1, 2, 3, 4].map((i) => ({
    role: i === 2 ? 'deputy' : 'cswo',
    registered_sw: 'yes',
    hours_basis: i === 3 ? 'part_time' : 'full_time',
    urban_rural: ['large_urban', 'other_urban', 'remote_rural'][i % 3],
    time_in_post: ['lt1', '3_5', 'gt5', '3_5', 'lt1'][i],
    ...(i < 4 ? { location: i % 2 ? 'hscp' : 'council' } : {}),
    contract: 'permanent',
    salary_band: ['80_89k', '90_99k', '100k_plus', '90_99k', '90_99k'][i],
    supplement: i === 0 ? 'removed' : 'no',
    reports_to: i < 3 ? 'chief_officer' : 'other',
    pq_awards: i === 4 ? [] : ['mho', ...(i % 2 ? ['pq1'] : [])],
    // children_sw by everyone, adult_sw by three, welfare_rights by nobody.
    portfolio: { children_sw: portfolioCodes[i % 3], ...(i < 3 ? { adult_sw: portfolioCodes[(i + 1) % 3] } : {}) },
  })),
  anonymous: [0, 1, 2, 3, 4, 5].map((i) => ({
    extra_hours_frequency: i < 4 ? 'always' : 'sometimes',
    extra_hours_band: ['lt10', '10_20', '10_20', 'gt20', 'lt10', '10_20'][i],
    time_share: { children: 10 * (i + 1), adults: 30, ...(i < 2 ? { sds: 5 } : {}) },
    pressure: { children: (i % 5) + 1, budgets: 5, ...(i === 0 ? { health: 3 } : {}) },
    ...(i < 4 ? { groups_involved: 5 + i, groups_chaired: i } : {}),
    admin_support: i % 2 ? 'shared' : 'dedicated',
    senior_team_member: i < 2 ? 'yes' : 'no',
    portfolio_changed: i < 5 ? 'yes' : 'no',
    budget_involvement: ['fully', 'some', 'some', 'little', 'fully', 'some'][i],
    strategy_support: ['dedicated', 'generic', 'none', 'generic', 'generic', 'dedicated'][i],
    ...(i < 5 ? { strategy_support_adequate: i < 2 ? 'yes' : 'no' } : {}),
    ld_function: i === 3 ? 'no' : 'yes',
    ld_adequate: i % 3 ? 'yes' : 'no',
    learning_needs: i < 2 ? 'ad_hoc' : 'supervision_appraisal',
    direct_access: { chief_executive: i < 5 ? 'yes' : 'no', ijb_chair: 'yes' },
    support: { peer_support: 'used', ...(i < 2 ? { mentoring: 'intend' } : {}) },
    peer_support_likelihood: (i % 5) + 1,
    induction: i < 3 ? 'yes' : 'no',
    resources: i === 0 ? [] : ['reading', ...(i % 2 ? ['solace'] : [])],
  })),
});
const before = waveOf({
  wave: WAVE_1,
  definition: v1,
  identifiable: [0, 1, 2].map((i) => ({
    role: 'cswo',
    registered_sw: i === 0 ? 'no' : 'yes',
    hours_basis: 'full_time',
    time_in_post: ['gt5', 'gt5', '1_2'][i],
    portfolio: { children_sw: 'all', welfare_rights: 'none' },
    pq_awards: ['pq2'],
  })),
  anonymous: [0, 1, 2, 3].map((i) => ({
    time_share: { children: 20, budgets: 10 * i },
    pressure: { children: 5 - i, adults: 2 },
    groups_involved: 2 * i,
    induction: 'no',
  })),
});

const alone = buildTables(now);
const compared = buildTables(now, before);

/** What the chart must draw: one bar per value that is not null, in this wave and the compared one. */
const valueOf = (cell: Cell): number | null => ('count' in cell ? cell.pct : 'median' in cell ? cell.median : cell.mean);
const nonNullValues = (table: AnalysisTable): number =>
  table.rows.reduce((sum, row) => sum + [...Object.values(row.cells), ...Object.values(row.compare ?? {})].filter((c) => valueOf(c) !== null).length, 0);
const intervals = (table: AnalysisTable): number =>
  table.rows.reduce((sum, row) => sum + [...Object.values(row.cells), ...Object.values(row.compare ?? {})].filter((c) => 'ci' in c && c.ci !== null).length, 0);

const unescape = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&amp;/g, '&');

const render = async (spec: ChartSpec) => {
  const compiled = compile(spec as TopLevelSpec);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  const svg = await view.toSVG();
  const count = (pattern: RegExp) => (svg.match(pattern) ?? []).length;
  // The text of each text item of a role, its lines (tspans) joined by a space.
  const textOf = (role: string) =>
    [...svg.matchAll(new RegExp(`class="mark-text role-${role}"[^>]*>((?:<text[^>]*>(?:[^<]*|(?:<tspan[^>]*>[^<]*</tspan>)*)</text>)+)</g>`, 'g'))].flatMap(
      (m) =>
        [...m[1]!.matchAll(/<text[^>]*>((?:[^<]*|(?:<tspan[^>]*>[^<]*<\/tspan>)*))<\/text>/g)].map((t) =>
          unescape(t[1]!.replace(/<tspan[^>]*>([^<]*)<\/tspan>/g, '$1 ').trim()),
        ),
    );
  return { svg, view, bars: count(/aria-roledescription="bar"/g), rules: count(/aria-roledescription="rule mark"/g), textOf };
};

/** The x title of a spec, however deep its layers (the chart's own layer comes first, then the marks of suppressed cells). */
type Encoded = { encoding?: Record<string, { title?: unknown; stack?: unknown; field?: string } | undefined>; layer?: Encoded[]; mark?: unknown };
const xTitleOf = (spec: ChartSpec): unknown => {
  const s = spec as Encoded;
  return s.encoding?.x?.title ?? (s.layer?.[0] ? xTitleOf(s.layer[0] as ChartSpec) : undefined);
};
/** The title as one line, however the spec broke it. */
const titleText = (spec: ChartSpec): string => {
  const text = (spec.title as { text: string | string[] }).text;
  return Array.isArray(text) ? text.join(' ') : text;
};

interface BarItem {
  readonly x: number;
  readonly width: number;
  readonly datum: Record<string, unknown>;
}
const barItems = (view: vega.View): BarItem[] => {
  const out: BarItem[] = [];
  const walk = (node: { marktype?: string; role?: string; items?: unknown[] }) => {
    if (node.marktype === 'rect' && node.role === 'mark') out.push(...(node.items as BarItem[]));
    for (const child of (node.items ?? []) as { items?: unknown[] }[]) walk(child);
  };
  // At run time scenegraph() is the Scenegraph with its root mark; vega-typings call it the root itself.
  walk((view.scenegraph() as unknown as { root: { items?: unknown[] } }).root);
  return out;
};

for (const [name, result] of [
  ['alone', alone],
  ['compared with 2020-01', compared],
] as [string, WaveTables][]) {
  describe(`charts of every table, ${name}`, () => {
    it('covers all 31 tables', () => {
      expect(result.tables).toHaveLength(31);
    });

    it.each(result.tables.map((t) => [t.id, t] as const))('%s: a titled, described Vega-Lite spec that renders one bar per value', async (_id, table) => {
      const spec = chartFor(table, result.wave);
      const title = spec.title as { text: string | string[]; subtitle: string };
      expect(titleText(spec).startsWith(table.title)).toBe(true);
      expect(title.subtitle).toContain(table.compareWave ? `Wave ${WAVE_1} and ${WAVE_2}` : `Wave ${WAVE_2}`);
      expect(typeof spec.description).toBe('string');
      expect(spec.description).toContain(table.title);
      // Every row label is in the description, for screen readers.
      for (const row of table.rows) expect(spec.description).toContain(row.label);
      const xTitle = xTitleOf(spec);
      expect(typeof xTitle).toBe('string');
      expect((xTitle as string).length).toBeGreaterThan(5);

      const { svg, bars, rules, textOf } = await render(spec);
      expect(textOf('title-text')).toEqual([titleText(spec)]);
      expect(textOf('title-subtitle')).toEqual([title.subtitle]);
      expect(textOf('axis-title')).toContain(xTitle);
      expect(svg).toContain(`X-axis titled '${xTitle as string}'`);
      const expected = nonNullValues(table);
      expect(expected).toBeGreaterThan(0);
      expect(bars).toBe(expected);
      if (table.kind === 'share') expect(rules).toBe(intervals(table));
      if (table.kind === 'number-summary')
        expect(rules).toBe(table.rows.reduce((s, r) => s + [r.cells.summary, r.compare?.summary].filter((c) => c && 'min' in c && c.min !== null).length, 0));
    });
  });
}

describe('chart specifics', () => {
  it('gives a single-question chart its n in the title and a plain description of each value', () => {
    const spec = chartFor(tableOf(alone, 'time_in_post'), WAVE_2);
    expect(spec.title).toEqual({ text: 'Time in post as CSWO (n=5)', subtitle: 'Wave 2020-06' });
    expect(spec.description).toBe(
      'Bar chart of Time in post as CSWO. Less than 1 year: 40% (2 of 5); 1 to 2 years: 0% (0 of 5); 3 to 5 years: 40% (2 of 5); More than 5 years: 20% (1 of 5).',
    );
  });

  it('says each row has its own n when the rows differ, and "no answers" for a blank row', () => {
    const spec = chartFor(tableOf(alone, 'portfolio'), WAVE_2);
    expect(spec.title).toEqual({ text: 'Areas within the CSWO operational portfolio', subtitle: 'Wave 2020-06; each row has its own n' });
    expect(spec.description).toContain('Welfare rights and anti-poverty (n=0), All of the service area: no answers');
    expect(spec.description).toContain("Children's social work (n=5), All of the service area: 40% (2 of 5)");
  });

  it('stacks the portfolio bars all, part, none from 0 to 100 % within each row and wave', async () => {
    for (const result of [alone, compared]) {
      const table = tableOf(result, 'portfolio');
      const { view } = await render(chartFor(table, result.wave));
      const items = barItems(view);
      const groups = new Map<string, BarItem[]>();
      for (const item of items) {
        const key = `${String(item.datum.rowId)}|${String(item.datum.wave)}`;
        groups.set(key, [...(groups.get(key) ?? []), item]);
      }
      const expectedGroups = table.rows.flatMap((r) => [
        ...(r.cells.all && valueOf(r.cells.all) !== null ? [`${r.id}|${result.wave}`] : []),
        ...(r.compare?.all && valueOf(r.compare.all) !== null ? [`${r.id}|${WAVE_1}`] : []),
      ]);
      expect([...groups.keys()].sort()).toEqual(expectedGroups.sort());
      for (const [key, bars] of groups) {
        expect(bars.map((b) => b.datum.columnId).sort()).toEqual(['all', 'none', 'part']);
        const ordered = ['all', 'part', 'none'].map((c) => bars.find((b) => b.datum.columnId === c)!);
        // Each segment starts where the one before it ends; the three fill the axis.
        expect(ordered[0]!.x, key).toBeCloseTo(0, 6);
        expect(ordered[1]!.x).toBeCloseTo(ordered[0]!.x + ordered[0]!.width, 6);
        expect(ordered[2]!.x).toBeCloseTo(ordered[1]!.x + ordered[1]!.width, 6);
        expect(ordered[2]!.x + ordered[2]!.width).toBeCloseTo(plotWidth, 6);
        for (const bar of ordered) expect(bar.width).toBeCloseTo(((bar.datum.value as number) / 100) * plotWidth, 6);
      }
      // children_sw in 2020-06: all 2, part 2, none 1 of 5.
      const children = groups.get(`children_sw|${result.wave}`)!;
      expect(children.find((b) => b.datum.columnId === 'part')!.x).toBeCloseTo(0.4 * plotWidth, 6);
      expect(children.find((b) => b.datum.columnId === 'none')!.x).toBeCloseTo(0.8 * plotWidth, 6);
    }
  });

  it('draws the pressure chart with low ratings left of zero (negative x) and high ratings right of it', async () => {
    for (const result of [alone, compared]) {
      const table = tableOf(result, 'pressure');
      const { view } = await render(chartFor(table, result.wave));
      const items = barItems(view);
      const zero = plotWidth / 2; // the middle of the -100..100 axis
      const lows = items.filter((b) => b.datum.columnId === 'low');
      const highs = items.filter((b) => b.datum.columnId === 'high');
      expect(lows.length).toBeGreaterThan(0);
      for (const bar of lows) {
        expect(bar.datum.value).not.toBeNull();
        expect(bar.datum.signed).toBe(-(bar.datum.value as number));
        if ((bar.datum.value as number) > 0) {
          expect(bar.x + bar.width).toBeCloseTo(zero, 6);
          expect(bar.x).toBeCloseTo(zero - ((bar.datum.value as number) / 100) * zero, 6);
        }
      }
      for (const bar of highs) {
        expect(bar.datum.signed).toBe(bar.datum.value);
        if ((bar.datum.value as number) > 0) {
          expect(bar.x).toBeCloseTo(zero, 6);
          expect(bar.width).toBeCloseTo(((bar.datum.value as number) / 100) * zero, 6);
        }
      }
      // budgets in 2020-06: six 5s, so high is 100 % and low 0 %.
      const budgetsHigh = highs.find((b) => b.datum.rowId === 'budgets' && b.datum.wave === WAVE_2)!;
      expect(budgetsHigh.width).toBeCloseTo(zero, 6);
      // children in 2020-06: ratings 1,2,3,4,5,1: low 3 of 6 = 50 %, drawn from a quarter of the axis to its middle.
      const childrenLow = lows.find((b) => b.datum.rowId === 'children' && b.datum.wave === WAVE_2)!;
      expect(childrenLow.x).toBeCloseTo(plotWidth / 4, 6);
    }
  });

  it('draws no bar at all for a pressure row nobody rated, not a bar at zero', async () => {
    const table = tableOf(alone, 'pressure');
    const { view } = await render(chartFor(table, WAVE_2));
    const drawn = new Set(barItems(view).map((b) => b.datum.rowId));
    expect(drawn).toEqual(new Set(['children', 'budgets', 'health']));
  });

  it('draws the two waves side by side, not stacked on each other, in the compared share and mean charts', async () => {
    for (const id of ['time_in_post', 'time_share']) {
      const { view } = await render(chartFor(tableOf(compared, id), WAVE_2));
      const items = barItems(view);
      expect(new Set(items.map((b) => b.datum.wave))).toEqual(new Set([WAVE_1, WAVE_2]));
      for (const bar of items) expect(bar.x).toBeCloseTo(0, 6);
    }
  });
});
