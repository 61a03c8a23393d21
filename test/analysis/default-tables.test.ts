import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import {
  buildTables,
  chartFor,
  cswo2020Layout,
  displayTable,
  InvalidReportLayout,
  noChartSentence,
  outlineTables,
  parseReportLayout,
  planTables,
  protectTables,
  suppressGroup,
  tableCatalogue,
  tableKindOf,
  tableKinds,
  tableRecords,
  tablesAsText,
  type ProtectedShareCell,
} from '../../analysis/index.js';
import { bundledDefinitions, defineSurvey, findDefinition, itemKinds, kindOf, type Item, type SurveyDefinition } from '../../survey-definitions/index.js';
import { cswoAnnualV3 } from '../support/definitions.js';
import { bundledWave } from './disclosure-data.js';
import { countsOf, meanCell, rowOf, shareCell, tableOf, v2, waveOf, WAVE_1, WAVE_2 } from './fixtures.js';

/** A question added to a new definition version gets a table of its kind without anyone writing a layout (issue 15). */

type Editable = { version: number; parts: { sections: { id: string; title: string; items: Record<string, unknown>[] }[] }[] };

const variantOf = (version: number, edit: (definition: Editable) => void): SurveyDefinition => {
  const copy = structuredClone(findDefinition({ id: 'cswo-annual', version: 2 })) as unknown as Editable;
  copy.version = version;
  edit(copy);
  return defineSurvey(copy);
};

const remoteWorking = {
  id: 'remote_working',
  kind: 'single',
  label: 'How often do you work from home?',
  options: [
    { code: 'mostly', label: 'Mostly' },
    { code: 'sometimes', label: 'Sometimes' },
    { code: 'never', label: 'Never' },
  ],
};
const wellbeing = {
  id: 'wellbeing',
  kind: 'rating',
  label: 'How would you rate your wellbeing at work?',
  scale: { min: 1, max: 5, minLabel: 'Very poor', maxLabel: 'Very good' },
};

// cswo-annual@2 with two new part-two questions: one in an existing section whose id a section of the
// 2020 layout also has (pressures), one in a section of its own.
const v9 = variantOf(9, (d) => {
  d.parts[1]!.sections.find((s) => s.id === 'pressures')!.items.push(remoteWorking);
  d.parts[1]!.sections.push({ id: 'wellbeing', title: 'Your wellbeing', items: [wellbeing] });
});
const publishedDefinitions = [...bundledDefinitions, cswoAnnualV3];
const definitions = [...publishedDefinitions, v9];

const WAVE_NEW = '2021-06';
const anonymous = [
  ...['mostly', 'mostly', 'mostly', 'mostly', 'sometimes', 'sometimes', 'sometimes', 'never'].map((r, i) => ({
    remote_working: r,
    wellbeing: [1, 2, 2, 3, 4, 5, 5, 5][i],
    induction: i < 5 ? 'yes' : 'no',
  })),
  { induction: 'no' },
];
const identifiable = [{ role: 'cswo' }, { role: 'cswo' }, { role: 'deputy' }];
const newWave = waveOf({ wave: WAVE_NEW, definition: v9, identifiable, anonymous });

describe('the 2020 report layout as data', () => {
  it('gives the catalogue: 31 tables in 5 sections, in the report order', () => {
    expect(cswo2020Layout.sections.map((s) => [s.id, s.tables.length])).toEqual([
      ['background', 5],
      ['cswo-role', 7],
      ['pressures', 9],
      ['partnerships', 3],
      ['support', 7],
    ]);
    expect(tableCatalogue.map((t) => t.id)).toEqual(cswo2020Layout.sections.flatMap((s) => s.tables.map((t) => t.id)));
  });

  it('refuses a layout with a wrong kind, a repeated table id or a stray field, naming each place and what was expected', () => {
    const table = { id: 'role', title: 'Role', part: 'identifiable', kind: 'share', items: ['role'] };
    const bad = {
      id: 'x',
      title: 'X',
      sections: [
        { id: 'a', title: 'A', tables: [table, { ...table, kind: 'pie' }] },
        { id: 'b', title: 'B', tables: [{ ...table, colour: 'red' }] },
      ],
    };
    const error = (() => {
      try {
        parseReportLayout(bad, 'next-year.json');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidReportLayout);
    const message = (error as Error).message;
    expect(message).toMatch(/^report layout next-year\.json is not valid:/);
    expect(message).toContain('sections.0.tables.1.kind:');
    expect(message).toContain('"share"');
    expect(message).toMatch(/sections\.1\.tables\.0: .*colour/);
    // The two stray tables aside, the layout parses: the repeated id is found once the rest is right.
    const repeated = { ...bad, sections: [{ id: 'a', title: 'A', tables: [table, table] }] };
    expect(() => parseReportLayout(repeated, 'next-year.json')).toThrow('sections.0.tables.1.id: table id "role" appears more than once');
    expect(parseReportLayout({ ...repeated, sections: [{ id: 'a', title: 'A', tables: [table] }] }, 'ok.json').notTabulated).toEqual([]);
    const sections = {
      ...bad,
      sections: [
        { id: 'a', title: 'A', tables: [table] },
        { id: 'a', title: 'B', tables: [{ ...table, id: 'other_role' }] },
      ],
    };
    expect(() => parseReportLayout(sections, 'next-year.json')).toThrow('sections.1.id: section id "a" appears more than once');
    expect(() => parseReportLayout({ ...bad, sections: [{ id: 'other', title: 'A', tables: [table] }] }, 'next-year.json')).toThrow(
      'sections.0.id: "other" is the section of tables no layout places',
    );
  });
});

describe('each question kind names its default tables', () => {
  const defaults = Object.fromEntries(itemKinds.map((kind) => [kind, kindOf({ kind } as Item).defaultTables]));

  it('by the analysis table kinds: share for choices, bands and mean for ratings, a summary for numbers, the matrix tables for matrices', () => {
    expect(defaults).toEqual({
      single: ['share'],
      multi: ['share'],
      rating: ['rating-bands', 'mean'],
      number: ['number-summary'],
      text: [],
      email: [],
      'matrix-choice': ['matrix-share'],
      'matrix-number': ['mean'],
      'matrix-rating': ['rating-bands', 'mean'],
    });
    for (const names of Object.values(defaults)) for (const name of names) expect(tableKinds).toContain(name);
  });

  it('refuses a table kind the analysis does not have, naming the question kind', () => {
    expect(tableKindOf('mean', 'rating')).toBe('mean');
    expect(() => tableKindOf('pie', 'slider')).toThrow(
      'question kind slider names the table kind "pie" as a default table; the kinds of table are share, matrix-share, mean, rating-bands, number-summary',
    );
  });
});

describe('a definition with two new part-two questions', () => {
  const result = buildTables(newWave);

  it('keeps every table of the layout, then adds a table per new question (two for the rating), in definition order', () => {
    expect(result.omitted).toEqual([]);
    const ids = result.tables.map((t) => t.id);
    expect(ids.slice(0, tableCatalogue.length)).toEqual(tableCatalogue.map((t) => t.id));
    expect(ids.slice(tableCatalogue.length)).toEqual(['remote_working', 'wellbeing', 'wellbeing_mean']);
    expect(result.tables.slice(tableCatalogue.length).map((t) => [t.id, t.kind, t.part, t.title, t.items])).toEqual([
      ['remote_working', 'share', 'anonymous', remoteWorking.label, ['remote_working']],
      ['wellbeing', 'rating-bands', 'anonymous', wellbeing.label, ['wellbeing']],
      ['wellbeing_mean', 'mean', 'anonymous', `${wellbeing.label}: average`, ['wellbeing']],
    ]);
  });

  it('counts the answers: shares of the options, the bands and the mean of the rating', () => {
    expect(countsOf(tableOf(result, 'remote_working'))).toEqual({ mostly: [4, 8], sometimes: [3, 8], never: [1, 8] });
    const bands = tableOf(result, 'wellbeing');
    expect(bands.rows.map((r) => [r.id, r.label])).toEqual([['wellbeing', wellbeing.label]]);
    expect([shareCell(bands, 'wellbeing', 'low').count, shareCell(bands, 'wellbeing', 'high').count, shareCell(bands, 'wellbeing', 'low').n]).toEqual([
      3, 4, 8,
    ]);
    expect(bands.columns.map((c) => c.label)).toEqual(['Lowest (1-2)', 'Highest (4-5)']);
    const mean = meanCell(tableOf(result, 'wellbeing_mean'), 'wellbeing');
    expect(mean.n).toBe(8);
    expect(mean.mean).toBeCloseTo(27 / 8, 12);
    expect(tableOf(result, 'wellbeing_mean').columns).toEqual([{ id: 'mean', label: 'Average rating (1 to 5)' }]);
  });

  it('gives free text, email addresses, identifying items and what the layout leaves out no table', () => {
    const tabulated = new Set(result.tables.flatMap((t) => t.items));
    for (const id of ['name', 'email', 'local_authority', 'contracted_hours', 'covid_reflections', 'final_reflections', 'pq_awards_other']) {
      expect(tabulated.has(id), id).toBe(false);
    }
  });

  it('places the new tables after the layout, under their definition sections’ titles, numbered on from the report', () => {
    const outlined = outlineTables(result.tables, result.sections);
    expect(outlined.map((s) => s.id)).toEqual(['background', 'cswo-role', 'pressures', 'partnerships', 'support', 'pressures-2', 'wellbeing']);
    expect(outlined.slice(-2).map((s) => [s.title, s.tables.map((t) => [t.number, t.table.id])])).toEqual([
      ['Pressure in your areas of work', [[32, 'remote_working']]],
      [
        'Your wellbeing',
        [
          [33, 'wellbeing'],
          [34, 'wellbeing_mean'],
        ],
      ],
    ]);
    // Control: without the wave's sections, the new tables fall into the catch-all section.
    expect(outlineTables(result.tables).at(-1)!.title).toBe('Other tables');
  });

  it('charts each new table', async () => {
    for (const id of ['remote_working', 'wellbeing', 'wellbeing_mean']) {
      const spec = chartFor(tableOf(result, id), WAVE_NEW);
      expect(noChartSentence(spec), id).toBeUndefined();
      const view = new vega.View(vega.parse(compile(spec as TopLevelSpec).spec), { renderer: 'none' });
      const svg = await view.toSVG();
      expect(svg, id).toContain('aria-roledescription="bar"');
      expect(JSON.stringify(spec), id).toContain(tableOf(result, id).title);
    }
  });

  it('passes the new tables through disclosure control like any table of their kind', () => {
    const open = protectTables(result, { mode: 'public', definitions });
    const table = open.tables.find((t) => t.id === 'remote_working')!;
    const cell = (row: string) => table.rows.find((r) => r.id === row)!.cells.share as ProtectedShareCell;
    // never: 1 of 8 is below k; the options sum to n, so another cell goes too: nothing can be worked out.
    expect(cell('never')).toEqual({ n: 8, count: null, pct: null, ci: null, suppressed: true });
    expect(table.rows.filter((r) => (r.cells.share as ProtectedShareCell).suppressed).length).toBeGreaterThanOrEqual(2);
    // The bands: 3 low and 4 high of 8 would tell one respondent rated 3; the rule of rating bands decides.
    const bands = open.tables.find((t) => t.id === 'wellbeing')!.rows[0]!.cells;
    const expected = suppressGroup({ counts: [3, 4], n: 8, remainder: true }, 3);
    expect(expected.some(Boolean)).toBe(true);
    expect([bands.low!.suppressed === true, bands.high!.suppressed === true]).toEqual(expected.map(Boolean));
    // A mean of 8 answers is published.
    expect(open.tables.find((t) => t.id === 'wellbeing_mean')!.rows[0]!.cells.mean).toMatchObject({ n: 8, mean: 27 / 8 });
    // The analyst view keeps the values and marks them.
    const analyst = protectTables(result, { mode: 'analyst', definitions }).tables.find((t) => t.id === 'remote_working')!;
    expect(analyst.rows.find((r) => r.id === 'never')!.cells.share).toMatchObject({ count: 1, suppressed: 'primary' });
  });

  it('gives a question whose id is a table id of the layout a suffixed table id', () => {
    const clash = variantOf(10, (d) => {
      d.parts[1]!.sections.push({
        id: 'boards',
        title: 'Boards',
        items: [
          { id: 'groups', kind: 'number', label: 'How many boards do you sit on?', bounds: { min: 0, max: 50 } },
          { id: 'groups_2', kind: 'single', label: 'Do you chair one?', options: remoteWorking.options },
        ],
      });
    });
    const plan = planTables(cswo2020Layout, clash);
    expect(plan.tables.filter((t) => t.id.startsWith('groups')).map((t) => [t.id, t.kind, t.items])).toEqual([
      ['groups', 'number-summary', ['groups_involved', 'groups_chaired']],
      ['groups_2', 'number-summary', ['groups']],
      ['groups_2_2', 'share', ['groups_2']],
    ]);
    const built = buildTables(waveOf({ wave: WAVE_NEW, definition: clash, anonymous: [{ groups: 4 }, { groups: 6 }, { groups_involved: 3 }] }));
    expect(rowOf(tableOf(built, 'groups_2'), 'groups').cells.summary).toMatchObject({ n: 2, median: 5 });
    expect(rowOf(tableOf(built, 'groups'), 'groups_involved').cells.summary).toMatchObject({ n: 1, median: 3 });
    expect(new Set(built.tables.map((t) => t.id)).size).toBe(built.tables.length);
  });

  it('gives a new grid of ratings its bands and means, a row per grid row', () => {
    const grid = variantOf(12, (d) => {
      d.parts[1]!.sections.push({
        id: 'wellbeing',
        title: 'Your wellbeing',
        items: [
          {
            ...wellbeing,
            id: 'wellbeing_grid',
            kind: 'matrix-rating',
            rows: [
              { id: 'sleep', label: 'Sleep' },
              { id: 'energy', label: 'Energy' },
            ],
          },
        ],
      });
    });
    const built = buildTables(
      waveOf({ wave: WAVE_NEW, definition: grid, anonymous: [{ wellbeing_grid: { sleep: 1, energy: 5 } }, { wellbeing_grid: { sleep: 2 } }] }),
    );
    const bands = tableOf(built, 'wellbeing_grid');
    expect(bands.kind).toBe('rating-bands');
    expect(bands.rows.map((r) => [r.id, shareCell(bands, r.id, 'low').count, shareCell(bands, r.id, 'high').count, shareCell(bands, r.id, 'low').n])).toEqual([
      ['sleep', 2, 0, 2],
      ['energy', 0, 1, 1],
    ]);
    const means = tableOf(built, 'wellbeing_grid_mean');
    expect([meanCell(means, 'sleep').mean, meanCell(means, 'energy').mean]).toEqual([1.5, 5]);
  });

  it('leaves the published versions as they were: no table beyond the layout', () => {
    for (const definition of publishedDefinitions) {
      expect(planTables(cswo2020Layout, definition).tables.map((t) => t.id)).toEqual(tableCatalogue.map((t) => t.id));
    }
  });
});

describe('comparing a wave of the new version with the bundled 2020-06 answers', () => {
  const before = bundledWave(WAVE_2);
  const result = buildTables(newWave, before);

  it('compares the unchanged questions, item by id and option by code', () => {
    const induction = tableOf(result, 'induction');
    expect(induction.compareWave).toBe(WAVE_2);
    expect(induction.notCompared).toBeUndefined();
    expect(rowOf(induction, 'yes').change!.share).toMatchObject({ test: 'fisher-exact' });
    expect(rowOf(induction, 'yes').compare!.share).toEqual(rowOf(tableOf(buildTables(before), 'induction'), 'yes').cells.share);
    expect(tableOf(result, 'role').compareWave).toBe(WAVE_2);
  });

  it('says "not asked in 2020-06" for the new questions, with no compared cells and no change', () => {
    for (const id of ['remote_working', 'wellbeing', 'wellbeing_mean']) {
      const table = tableOf(result, id);
      expect(table.notCompared, id).toBe('not asked in 2020-06');
      expect(table.compareWave, id).toBeUndefined();
      for (const row of table.rows) {
        expect(row.compare, id).toBeUndefined();
        expect(row.change, id).toBeUndefined();
      }
    }
    expect(result.omitted.map((o) => o.id)).toEqual(['remote_working', 'wellbeing', 'wellbeing_mean']);
    expect(tablesAsText(result)).toContain(
      `${remoteWorking.label} [remote_working]\n  n counts respondents who answered the question.\n  Comparison: not asked in 2020-06\n`,
    );
    const open = protectTables(result, { mode: 'public', definitions });
    const shown = open.tables.find((t) => t.id === 'wellbeing_mean')!;
    expect(shown.notCompared).toBe('not asked in 2020-06');
    expect(displayTable(shown, WAVE_NEW, 'public').notCompared).toBe('Not asked in 2020-06');
    expect(displayTable(shown, WAVE_NEW, 'public').columns.map((c) => c.wave)).toEqual([WAVE_NEW]);
    expect(tableRecords(shown, WAVE_NEW, 'public').map((r) => [r.wave, r.verdict, r.change])).toEqual([[WAVE_NEW, 'not asked in 2020-06', '']]);
    // Control: a compared table's records carry its verdict, not the sentence.
    const induction = open.tables.find((t) => t.id === 'induction')!;
    expect(tableRecords(induction, WAVE_NEW, 'public').some((r) => r.verdict === 'not asked in 2020-06')).toBe(false);
  });

  it('the other way round, the older wave shows none of the new tables and omits nothing', () => {
    const back = buildTables(before, newWave);
    expect(back.tables.map((t) => t.id)).toEqual(tableCatalogue.map((t) => t.id));
    expect(back.omitted).toEqual([]);
  });

  it('says "not asked" of an option the compared wave did not offer', () => {
    const newOption = variantOf(11, (d) => {
      const item = d.parts[0]!.sections.flatMap((s) => s.items).find((i) => i.id === 'time_in_post')!;
      (item.options as { code: string; label: string }[]).push({ code: 'gt10', label: 'More than 10 years' });
    });
    const table = tableOf(
      buildTables(waveOf({ wave: WAVE_NEW, definition: newOption, identifiable: [{ time_in_post: 'gt10' }] }), waveOf({ wave: WAVE_1, definition: v2 })),
      'time_in_post',
    );
    expect(rowOf(table, 'gt10').notCompared).toBe('not asked in 2020-01');
    expect(rowOf(table, 'lt1').notCompared).toBeUndefined();
  });
});
