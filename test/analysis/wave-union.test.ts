import { describe, expect, it } from 'vitest';
import {
  prepareMicrodata,
  researchDataPackage,
  researchPackageReadme,
  rReader,
  unionRecords,
  waveUnion,
  WavesNotCombinable,
  type TableSchemaField,
  type WaveRelease,
} from '../../analysis/index.js';
import { seededRandom } from '../../analysis/statistics/seeded-random.js';
import { defineSurvey, findBundledWave, itemsOf, kindOf, partOf, type Answers, type SurveyDefinition } from '../../survey-definitions/index.js';
import { frictionlessValidate, packageProfileErrors } from '../support/frictionless.js';
import { bundledWave } from './disclosure-data.js';
import { v1, v2, WAVE_1, WAVE_2 } from './fixtures.js';
import { cswoAnnualV3 } from '../support/definitions.js';

/**
 * One file over several waves (analysis/codebook/wave-union.ts): the union of the versions' columns in
 * a stable order, "not asked" apart from "not answered" and from "withheld", and every wave's rows as
 * its own release gives them.
 */

type Mutable = Record<string, any>;

/** cswo-annual@3, as a later version would be: v2 plus a number item, a new option, and a reworded label. */
const v3: SurveyDefinition = (() => {
  const copy = JSON.parse(JSON.stringify(v2)) as Mutable;
  copy.version = 3;
  const partTwo = copy.parts.find((p: Mutable) => p.id === 'anonymous');
  const links = partTwo.sections.find((s: Mutable) => s.id === 'links');
  links.items.splice(1, 0, {
    id: 'groups_led',
    kind: 'number',
    label: 'How many of those did you set up?',
    bounds: { min: 0, integer: true, unit: 'groups' },
    required: 'never',
    identifying: false,
  });
  const resources = partTwo.sections.flatMap((s: Mutable) => s.items).find((i: Mutable) => i.id === 'resources');
  resources.options.push({ code: 'podcasts', label: 'Podcasts' });
  const induction = partTwo.sections.flatMap((s: Mutable) => s.items).find((i: Mutable) => i.id === 'induction');
  induction.label = 'Did you have a formal induction into the CSWO role?';
  return defineSurvey(copy);
})();

const wave3 = { id: '2021-06', name: 'Survey 3', fielded: 'June 2021' };

/** The bundled June 2020 answers again, under v3: some set up groups, some use podcasts. */
const answers3: Answers[] = bundledWave(WAVE_2).responses.anonymous.map((a, i) => ({
  ...a,
  ...(i % 3 === 0 ? {} : { groups_led: i % 2 }),
  ...(a.resources !== undefined ? { resources: i % 4 === 0 ? [...(a.resources as string[]), 'podcasts'] : a.resources } : {}),
}));

const release = (wave: { id: string; name: string; fielded: string }, definition: SurveyDefinition, answers: readonly Answers[]) => {
  const microdata = prepareMicrodata(definition, answers, { random: seededRandom(wave.id.length) });
  return { release: { wave, definition, report: microdata.report } satisfies WaveRelease, microdata };
};

const first = release(findBundledWave(WAVE_1)!, v1, bundledWave(WAVE_1).responses.anonymous);
const third = release(wave3, v3, answers3);

const fieldOf = (fields: readonly TableSchemaField[], name: string) => fields.find((f) => f.name === name)!;
const columnsOf = (definition: SurveyDefinition) => itemsOf(partOf(definition, 'anonymous')).flatMap((i) => [...kindOf(i).columns(i)]);

describe('a package over two versions of the questionnaire', () => {
  // Given in the "wrong" order: the order of columns and rows does not depend on it.
  const union = waveUnion([third.release, first.release]);
  const records = [...unionRecords(union, union.waves[0]!, first.microdata), ...unionRecords(union, union.waves[1]!, third.microdata)];
  const column = (name: string) => union.header.indexOf(name);

  it("puts the wave first, then the earliest version's columns in its order, then the later version's new items; new options stay with their item", () => {
    expect(union.waves.map((w) => w.wave.id)).toEqual([WAVE_1, '2021-06']);
    expect(union.header[0]).toBe('wave');
    const plain = union.header.filter((h) => !h.endsWith('_coded'));
    const v1Released = columnsOf(v1).filter((c) => first.release.report.items.some((id) => c === id || c.startsWith(`${id}.`)));
    // v1's columns keep their order; resources gains its new option right after its old ones; groups_led comes after all of v1.
    expect(plain.slice(1, 1 + v1Released.length + 1).filter((c) => c !== 'resources.podcasts')).toEqual(v1Released);
    expect(plain.indexOf('resources.podcasts')).toBe(plain.indexOf('resources.research') + 1);
    expect(plain.at(-1)).toBe('groups_led');
    // The same union whatever order the waves are given in.
    expect(waveUnion([first.release, third.release]).header).toEqual(union.header);
  });

  it('marks the cells of a question a wave did not ask as not asked (.n), never 0 and never empty', () => {
    const wave1Rows = records.filter((r) => r[0] === WAVE_1);
    expect(wave1Rows).toHaveLength(first.release.report.rows);
    for (const name of ['groups_led', 'resources.podcasts']) {
      expect(new Set(wave1Rows.map((r) => r[column(name)]))).toEqual(new Set(['.n']));
      const later = records.filter((r) => r[0] === '2021-06').map((r) => r[column(name)]);
      expect(later).not.toContain('.n');
      expect(later.some((c) => c === '1' || c === '0')).toBe(true);
    }
    // A question both asked is never "not asked".
    for (const row of records) expect(row[column('induction')]).not.toBe('.n');
  });

  it('gives each wave the cells its own release gives, column by column', () => {
    for (const { release: r, microdata } of [first, third]) {
      const own = waveUnion([r]);
      const alone = unionRecords(own, own.waves[0]!, microdata);
      const together = records.filter((row) => row[0] === r.wave.id);
      for (const name of own.header)
        expect(
          together.map((row) => row[column(name)]),
          `${r.wave.id} ${name}`,
        ).toEqual(alone.map((row) => row[own.header.indexOf(name)]));
    }
  });

  it('keeps withheld (.s), not answered (empty) and top codes apart, as the microdata says', () => {
    const rows = records.filter((r) => r[0] === WAVE_1);
    first.microdata.rows.forEach((answers, i) => {
      for (const name of first.microdata.suppressed[i]!) expect(rows[i]![column(name)], name).toBe('.s');
      if (answers.groups_involved === undefined && !first.microdata.suppressed[i]!.includes('groups_involved'))
        expect(rows[i]![column('groups_involved')]).toBe('');
    });
    const coding = first.release.report.numbers.find((n) => n.variable === 'groups_involved')!;
    expect(coding.top).toBeDefined();
    for (const row of rows) {
      const value = row[column('groups_involved')]!;
      const flag = row[column('groups_involved_coded')];
      if (['', '.s'].includes(value)) expect(flag).toBe(value);
      else expect(flag).toBe(Number(value) === coding.top!.atLeast ? 'top' : Number(value) === coding.bottom?.atMost ? 'bottom' : 'exact');
    }
    expect(rows.some((r) => r[column('groups_involved_coded')] === 'top')).toBe(true);
  });

  it('describes every field with the waves that asked it and their labels, and validates as a Frictionless package', async () => {
    const descriptor = researchDataPackage({ waves: [third.release, first.release] });
    const fields = descriptor.resources[0].schema.fields;
    expect(fields.map((f) => f.name)).toEqual(union.header);
    expect(fieldOf(fields, 'groups_led').waves!.map((w) => w.wave)).toEqual(['2021-06']);
    expect(fieldOf(fields, 'groups_led').description).toContain(`Not asked in ${WAVE_1} (.n)`);
    const induction = fieldOf(fields, 'induction');
    expect(induction.waves!.map((w) => [w.wave, w.definition, w.title])).toEqual([
      [WAVE_1, 'cswo-annual@1', 'Did you receive a formal induction into your current role?'],
      ['2021-06', 'cswo-annual@3', 'Did you have a formal induction into the CSWO role?'],
    ]);
    expect(induction.title).toBe('Did you have a formal induction into the CSWO role?');
    expect(fieldOf(fields, 'resources.podcasts').waves!.map((w) => w.wave)).toEqual(['2021-06']);
    // Each wave's own top code, by wave.
    expect(fieldOf(fields, 'groups_involved').coding!.map((c) => c.wave)).toEqual([WAVE_1, '2021-06']);
    expect(fieldOf(fields, 'wave').constraints?.enum).toEqual([WAVE_1, '2021-06']);
    expect(descriptor.waves.map((w) => [w.id, w.definition.version])).toEqual([
      [WAVE_1, 1],
      ['2021-06', 3],
    ]);
    expect(packageProfileErrors(descriptor)).toEqual([]);
    const checked = await frictionlessValidate(descriptor);
    expect(checked.errors.map(String)).toEqual([]);

    const readme = researchPackageReadme({ waves: [first.release, third.release], descriptor });
    expect(readme).toContain(
      'cswo-annual@3 (2021-06) against @1: adds groups_led (number), covid_reflections (text); changes the wording or codes of induction, resources',
    );
    expect(readme).toContain(`### ${WAVE_1}`);
    expect(readme).toContain('### 2021-06');
    expect(readme).toMatch(/January 2020 Social Work Scotland ran the CSWO Annual Survey for the first time/);
  });
});

describe('the published versions', () => {
  it('combine: 2020-01, 2020-06 and a wave of cswo-annual@3, whose README names only the changes a reader of the data needs', () => {
    const published3 = cswoAnnualV3;
    const releases = [
      first.release,
      release(findBundledWave(WAVE_2)!, v2, bundledWave(WAVE_2).responses.anonymous).release,
      release({ id: '2021-06', name: 'Survey 3', fielded: 'June 2021' }, published3, []).release,
    ];
    const union = waveUnion(releases);
    expect(union.header.indexOf('resources.none')).toBe(union.header.indexOf('resources.research') + 1);
    const descriptor = researchDataPackage({ waves: releases });
    expect(packageProfileErrors(descriptor)).toEqual([]);
    const readme = researchPackageReadme({ waves: releases, descriptor });
    expect(readme).toContain('cswo-annual@3 (2021-06) against @2: changes the wording or codes of support, resources');
    // Error messages and rules between answers are the form's business: groups_chaired gained a rule, not a new meaning.
    expect(readme).not.toMatch(/against @2:[^\n]*groups_chaired/);
  });
});

describe('the R reader', () => {
  it('writes every label as an ASCII R string literal: quotes, backslashes, accents and emoji escaped', () => {
    const descriptor = researchDataPackage({ waves: [first.release] });
    const fields = descriptor.resources[0].schema.fields.map((f) =>
      f.name === 'induction'
        ? {
            ...f,
            categories: [
              { value: 'yes', label: 'Oui, "déjà" \\ vu 😀' },
              { value: 'no', label: 'No' },
            ],
          }
        : f,
    );
    const script = rReader({ ...descriptor, resources: [{ ...descriptor.resources[0], schema: { ...descriptor.resources[0].schema, fields } }] });
    expect(script).toContain('out[["induction"]] <- as_codes("induction", c("yes", "no"), c("Oui, \\"d\\u00e9j\\u00e0\\" \\\\ vu \\U{1f600}", "No"))');
  });
});

describe('waves that cannot be one file', () => {
  it('refuses an item whose kind changed between versions, naming it', () => {
    const copy = JSON.parse(JSON.stringify(v2)) as Mutable;
    copy.version = 4;
    const item = copy.parts
      .find((p: Mutable) => p.id === 'anonymous')
      .sections.flatMap((s: Mutable) => s.items)
      .find((i: Mutable) => i.id === 'groups_chaired');
    Object.assign(item, {
      kind: 'single',
      options: [
        { code: 'none', label: 'None' },
        { code: 'some', label: 'Some' },
      ],
    });
    delete item.bounds;
    const v4 = defineSurvey(copy);
    const fourth = release({ id: '2022-06', name: 'Survey 4', fielded: 'June 2022' }, v4, []);
    expect(() => waveUnion([first.release, fourth.release])).toThrow(WavesNotCombinable);
    expect(() => waveUnion([first.release, fourth.release])).toThrow(/item groups_chaired is a number in cswo-annual@1 but a single in cswo-annual@4/);
  });

  it('refuses the same wave twice, no wave, and waves of different questionnaires', () => {
    expect(() => waveUnion([first.release, first.release])).toThrow(/wave 2020-01 is named more than once/);
    expect(() => waveUnion([])).toThrow(/at least one wave/);
    const other = defineSurvey({ ...(JSON.parse(JSON.stringify(v2)) as Mutable), id: 'other-survey' });
    expect(() => waveUnion([first.release, { ...third.release, definition: other }])).toThrow(/different questionnaires/);
  });
});
