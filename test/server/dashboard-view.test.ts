import { describe, expect, it } from 'vitest';
import { buildTables, protectTables, tableRecords } from '../../analysis/index.js';
import { dashboardContents, dashboardSections } from '../../server/dashboards/dashboard-view.js';
import { draftReportHtml } from '../../server/dashboards/draft-report.js';
import { bundledDefinitions, defineSurvey, findDefinition, type SurveyDefinition } from '../../survey-definitions/index.js';
import { bundledWave } from '../analysis/disclosure-data.js';
import { waveOf, WAVE_2 } from '../analysis/fixtures.js';
import { pageText } from './respondent-helpers.js';

/** The dashboard's view of a wave whose definition has questions the 2020 report layout does not place (issue 15). */

type Editable = { version: number; parts: { sections: { id: string; title: string; items: Record<string, unknown>[] }[] }[] };

const withNewQuestions = (): SurveyDefinition => {
  const copy = structuredClone(findDefinition({ id: 'cswo-annual', version: 2 })) as unknown as Editable;
  copy.version = 9;
  copy.parts[1]!.sections.push({
    id: 'wellbeing',
    title: 'Your wellbeing',
    items: [
      {
        id: 'remote_working',
        kind: 'single',
        label: 'How often do you work from home?',
        options: [
          { code: 'mostly', label: 'Mostly' },
          { code: 'never', label: 'Never' },
        ],
      },
      { id: 'wellbeing', kind: 'rating', label: 'How would you rate your wellbeing at work?', scale: { minLabel: 'Very poor', maxLabel: 'Very good' } },
    ],
  });
  return defineSurvey(copy);
};

const definition = withNewQuestions();
const WAVE_NEW = '2021-06';
const wave = waveOf({
  wave: WAVE_NEW,
  definition,
  anonymous: [1, 2, 3, 4, 4, 5, 5, 5].map((rating, i) => ({ wellbeing: rating, remote_working: i < 5 ? 'mostly' : 'never' })),
});
const options = { view: 'public' as const, compare: WAVE_2 };
const tables = protectTables(buildTables(wave, bundledWave(WAVE_2)), { mode: 'public', definitions: [...bundledDefinitions, definition] });
const newIds = ['remote_working', 'wellbeing', 'wellbeing_mean'];

describe('the dashboard of a wave with new questions', () => {
  it('lists the new tables in the contents, under their definition section, numbered after the report’s', () => {
    const contents = dashboardContents(tables, options);
    const last = contents.at(-1)!;
    expect(contents.map((s) => s.id)).toEqual(['background', 'cswo-role', 'pressures', 'partnerships', 'support', 'wellbeing']);
    expect(last.title).toBe('Your wellbeing');
    expect(last.href).toBe(`/staff/dashboards/${WAVE_NEW}/sections/wellbeing?compare=${WAVE_2}&view=public`);
    expect(last.tables.map((t) => [t.number, t.title, t.href.split('#')[1]])).toEqual([
      [32, 'How often do you work from home?', 'table-remote_working'],
      [33, 'How would you rate your wellbeing at work?', 'table-wellbeing'],
      [34, 'How would you rate your wellbeing at work?: average', 'table-wellbeing_mean'],
    ]);
  });

  it('draws the section: each new table with its figures after disclosure control, its chart and its downloads', async () => {
    const [section] = await dashboardSections(tables, options, { only: 'wellbeing' });
    expect(section!.title).toBe('Your wellbeing');
    expect(section!.tables.map((t) => t.table.id)).toEqual(newIds);
    for (const shown of section!.tables) {
      expect(shown.chart.svg, shown.table.id).toContain('<svg');
      expect(shown.chart.sentence, shown.table.id).toBeUndefined();
      expect(shown.table.notCompared, shown.table.id).toBe('Not asked in 2020-06');
      expect(shown.downloads.map((d) => d.href)).toContain(`/staff/dashboards/${WAVE_NEW}/tables/${shown.table.id}/csv?compare=${WAVE_2}&view=public`);
    }
    // 3 of 8 "never" is published; the rating's bands protect the one middle rating (a 3).
    const share = section!.tables[0]!.table;
    expect(share.rows.map((r) => r.cells.map((c) => c && 'value' in c && c.value))).toEqual([['63%'], ['38%']]);
    expect(section!.tables[1]!.table.rows[0]!.cells.some((c) => c !== null && 'value' in c && c.value === 'Suppressed')).toBe(true);
    // The table's CSV download says why there is no comparison.
    expect(
      tableRecords(
        tables.tables.find((t) => t.id === 'wellbeing_mean')!,
        WAVE_NEW,
        'public',
      )[0],
    ).toMatchObject({ verdict: 'not asked in 2020-06', n: '8' });
  });

  it('puts the new tables in the draft report, in their section, saying they were not asked in 2020-06', async () => {
    const summary = (id: string) => ({ id, name: id, fielded: id, partOne: 0, partTwo: 8 });
    const html = await draftReportHtml({ wave: summary(WAVE_NEW), compare: summary(WAVE_2), tables, options, generatedAt: new Date('2021-07-01T12:00:00Z') });
    const text = pageText(html);
    expect(text).toContain('Your wellbeing');
    expect(text).toContain('Table 32: How often do you work from home?');
    expect(text).toContain('Table 34: How would you rate your wellbeing at work?: average');
    expect(text).toContain('Not asked in 2020-06: shown for this wave only, with nothing to compare.');
    // The section's heading stands between the report's last table and the first new one.
    const first = text.lastIndexOf('Table 32: How often');
    expect(text.lastIndexOf('Your wellbeing', first)).toBeGreaterThan(text.lastIndexOf('Table 31:', first));
  });
});
