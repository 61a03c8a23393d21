import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareMicrodata, researchDataPackage, researchPackageReadme, type DataPackageDescriptor, type TableSchemaField } from '../../analysis/index.js';
import { releasedColumns } from '../../analysis/codebook/data-package.js';
import { seededRandom } from '../../analysis/statistics/seeded-random.js';
import { csvLayout } from '../../survey-definitions/answer-cells.js';
import { findBundledWave, itemsOf, kindOf, partOf, type Answers, type SurveyDefinition } from '../../survey-definitions/index.js';
import { frictionlessValidate, packageProfileErrors, tableSchemaProfileErrors } from '../support/frictionless.js';
import { bundledWave } from './disclosure-data.js';
import { v2, waveOf, WAVE_1, WAVE_2 } from './fixtures.js';

const waveInfo = (id: string) => findBundledWave(id)!;

const codebookOf = (wave: typeof WAVE_1 | typeof WAVE_2, options: Parameters<typeof prepareMicrodata>[2] = {}) => {
  const data = bundledWave(wave);
  const { report } = prepareMicrodata(data.definition, data.responses.anonymous, { random: seededRandom(3), ...options });
  const descriptor = researchDataPackage({ waves: [{ definition: data.definition, wave: waveInfo(wave), report }], created: '2026-01-02T03:04:05.000Z' });
  return { definition: data.definition, report, descriptor, fields: descriptor.resources[0].schema.fields };
};

const fieldOf = (fields: readonly TableSchemaField[], name: string) => {
  const field = fields.find((f) => f.name === name);
  if (!field) throw new Error(`no field ${name}`);
  return field;
};

const anonymousItems = (definition: SurveyDefinition) => itemsOf(partOf(definition, 'anonymous'));

describe.each([WAVE_1, WAVE_2] as const)('the codebook of wave %s (bundled data)', (wave) => {
  const { definition, report, descriptor, fields } = codebookOf(wave);

  it('validates against the official Tabular Data Package and Table Schema profiles, and with the Frictionless library', async () => {
    expect(packageProfileErrors(descriptor)).toEqual([]);
    expect(tableSchemaProfileErrors(descriptor.resources[0].schema)).toEqual([]);
    const checked = await frictionlessValidate(descriptor);
    expect(checked.errors.map(String)).toEqual([]);
    expect(checked.valid).toBe(true);
    // What it is: JSON-ready, with no undefined left to vanish on the way to a file.
    expect(JSON.parse(JSON.stringify(descriptor))).toEqual(descriptor);
  });

  it('has one resource part-two.csv, UTF-8 CSV with a header, and three declared missing values: not answered, not asked, withheld', () => {
    expect(descriptor.profile).toBe('tabular-data-package');
    expect(descriptor.resources).toHaveLength(1);
    const [resource] = descriptor.resources;
    expect(resource).toMatchObject({ name: 'part-two', path: 'part-two.csv', format: 'csv', encoding: 'utf-8', profile: 'tabular-data-resource' });
    expect(resource.dialect).toMatchObject({ header: true, delimiter: ',', lineTerminator: '\r\n' });
    expect(resource.schema.missingValues).toEqual(['', '.n', '.s']);
    expect(resource.schema.missingValueLabels.map((m) => m.value)).toEqual(['', '.n', '.s']);
    expect(resource.schema.missingValueLabels[2]!.label).toMatch(/disclosure control/);
  });

  it('has the wave, then one field per CSV column of the released items in the import format order, each coded number followed by its _coded flag', () => {
    const names = fields.map((f) => f.name);
    expect(names[0]).toBe('wave');
    expect(fields[0]!.constraints?.enum).toEqual([wave]);
    const coded = report.numbers.filter((n) => n.top || n.bottom).map((n) => n.variable);
    expect(coded.length).toBeGreaterThan(0);
    expect(names.slice(1)).toEqual(releasedColumns(definition, report).flatMap((c) => (coded.includes(c) ? [c, `${c}_coded`] : [c])));
    for (const name of coded) {
      const flag = fieldOf(fields, `${name}_coded`);
      expect(flag).toMatchObject({ type: 'string', codes: name, constraints: { enum: ['exact', 'top', 'bottom'] } });
      const coding = report.numbers.find((n) => n.variable === name)!;
      expect(fieldOf(fields, name).coding).toEqual([
        { wave, ...(coding.top ? { top: coding.top.atLeast } : {}), ...(coding.bottom ? { bottom: coding.bottom.atMost } : {}) },
      ]);
      if (coding.top) expect(flag.description).toContain(`${coding.top.atLeast} means ${coding.top.atLeast} or more`);
    }
    const ofItems = names.slice(1).filter((n) => !n.endsWith('_coded'));
    expect(ofItems).toEqual(releasedColumns(definition, report));
    expect(new Set(names).size).toBe(names.length);
    // The import format's columns of part two, minus those of the items left out, in the same order.
    const released = new Set(report.items);
    const expected = csvLayout(definition, 'anonymous')
      .items.filter((i) => released.has(i.item.id))
      .flatMap((i) => i.columns);
    expect(ofItems).toEqual(expected);
    // Every field says which wave asked it, under which version and label.
    for (const field of fields.slice(1).filter((f) => !f.codes))
      expect(field.waves).toEqual([expect.objectContaining({ wave, definition: `cswo-annual@${definition.version}`, title: field.title })]);
  });

  it('holds every code of the definition in enum and categories, with the labels, and in words for v1 tools', () => {
    for (const item of anonymousItems(definition).filter((i) => report.items.includes(i.id))) {
      const columns = kindOf(item).columns(item);
      const expect1 = (name: string, values: readonly (string | number)[], labels: readonly string[]) => {
        const field = fieldOf(fields, name);
        expect(field.constraints?.enum, name).toEqual(values);
        expect(
          field.categories?.map((c) => c.value),
          name,
        ).toEqual(values);
        expect(
          field.categories?.map((c) => c.label),
          name,
        ).toEqual(labels);
        for (const [i, value] of values.entries()) {
          expect(field.description, name).toContain(String(value) === labels[i] ? labels[i] : `${value} = ${labels[i]}`);
        }
      };
      switch (item.kind) {
        case 'single':
          expect(fieldOf(fields, item.id).type).toBe('string');
          expect1(
            item.id,
            item.options.map((o) => o.code),
            item.options.map((o) => o.label),
          );
          break;
        case 'matrix-choice':
          item.rows.forEach((row, i) => {
            expect(fieldOf(fields, columns[i]!)).toMatchObject({ type: 'string', title: row.label });
            expect1(
              columns[i]!,
              item.columns.map((c) => c.code),
              item.columns.map((c) => c.label),
            );
          });
          break;
        case 'multi':
          item.options.forEach((option, i) => {
            expect(fieldOf(fields, columns[i]!)).toMatchObject({ type: 'integer', title: option.label });
            expect1(columns[i]!, [0, 1], ['Not chosen', 'Chosen']);
          });
          break;
        case 'rating':
        case 'matrix-rating': {
          const points = Array.from({ length: item.scale.max - item.scale.min + 1 }, (_, i) => item.scale.min + i);
          const labels = points.map((p) => (p === item.scale.min ? item.scale.minLabel : p === item.scale.max ? item.scale.maxLabel : String(p)));
          for (const name of columns) {
            expect(fieldOf(fields, name)).toMatchObject({
              type: 'integer',
              categoriesOrdered: true,
              constraints: { minimum: item.scale.min, maximum: item.scale.max },
            });
            expect1(name, points, labels);
          }
          break;
        }
        case 'number':
        case 'matrix-number':
          for (const name of columns) {
            const field = fieldOf(fields, name);
            expect(field.type).toBe(item.bounds.integer ? 'integer' : 'number');
            expect(field.constraints?.enum).toBeUndefined();
            if (item.bounds.min !== undefined) expect(field.constraints?.minimum).toBe(item.bounds.min);
          }
          break;
        default:
          throw new Error(`${item.id}: a ${item.kind} item is not released by default`);
      }
    }
  });

  it('titles each field with its item, row or option label and describes it with the question', () => {
    for (const item of anonymousItems(definition).filter((i) => report.items.includes(i.id))) {
      for (const name of kindOf(item).columns(item)) expect(fieldOf(fields, name).description).toContain(item.label);
    }
    expect(fieldOf(fields, 'groups_involved').title).toBe(anonymousItems(definition).find((i) => i.id === 'groups_involved')!.label);
    expect(fieldOf(fields, 'time_share.children').description).toContain('Unit: %.');
  });

  it('leaves out identifying columns and free text by default', () => {
    const names = fields.map((f) => f.name);
    for (const column of ['local_authority', 'name', 'email', 'role']) expect(names).not.toContain(column);
    const freeText = anonymousItems(definition)
      .filter((i) => kindOf(i).freeText)
      .map((i) => i.id);
    expect(freeText.length).toBeGreaterThan(0);
    for (const id of freeText) expect(names.some((n) => n === id || n.startsWith(`${id}.`))).toBe(false);
    expect(descriptor.description).toContain(`Free-text questions left out: ${freeText.join(', ')}`);
  });

  it('says what the disclosure control did to each field, with the report numbers', () => {
    expect(report.numbers.length).toBeGreaterThan(0);
    for (const coding of report.numbers) {
      const field = fieldOf(fields, coding.variable);
      if (coding.top) expect(field.description).toContain(`values of ${coding.top.atLeast} or more are shown as ${coding.top.atLeast}`);
      if (coding.bottom) expect(field.description).toContain(`values of ${coding.bottom.atMost} or less are shown as ${coding.bottom.atMost}`);
      if (coding.suppressed > 0) expect(field.description).toMatch(new RegExp(`${coding.suppressed} answers? withheld \\(\\.s\\)`));
    }
    for (const id of report.quasiIdentifiers) {
      expect(fieldOf(fields, id).description).toContain(`${report.localSuppression.byItem[id] ?? 0} answer`);
      expect(fieldOf(fields, id).description).toContain('Quasi-identifier');
    }
    expect(descriptor.waves.map((w) => w.disclosureControl)).toEqual([report]);
  });

  it('names the wave, the definition version, the licence and Social Work Scotland as the source', () => {
    expect(descriptor.name).toBe(`cswo-annual-${wave}-part-two`);
    expect(descriptor.waves.map((w) => w.id)).toEqual([wave]);
    expect(descriptor.waves[0]!.definition).toMatchObject({ id: definition.id, version: definition.version });
    expect(descriptor.title).toContain(waveInfo(wave).name);
    expect(descriptor.licenses[0]!.name).toBe('other-closed');
    expect(descriptor.licenses[0]!.title).toMatch(/approved researchers/);
    expect(descriptor.sources[0]!.title).toContain('Social Work Scotland');
    expect(descriptor.sources[0]!.title).toContain(`${definition.id}@${definition.version}`);
    expect(descriptor.created).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('the offline Frictionless checks themselves', () => {
  const { descriptor } = codebookOf(WAVE_2);
  const [resource] = descriptor.resources;

  it('catch a broken descriptor: a field without a name, a mixed enum, a bad package name, no dialect delimiter', async () => {
    const broken = (change: (copy: any) => void) => {
      const copy = JSON.parse(JSON.stringify(descriptor));
      change(copy);
      return copy;
    };
    const cases = [
      broken((d) => delete d.resources[0].schema.fields[0].name),
      broken((d) => (d.resources[0].schema.fields.find((f: TableSchemaField) => f.type === 'integer').constraints.enum = [0, 'one'])),
      broken((d) => (d.name = 'Not A Valid Name')),
    ];
    for (const bad of cases) {
      expect(packageProfileErrors(bad).length).toBeGreaterThan(0);
      expect((await frictionlessValidate(bad)).valid).toBe(false);
    }
    // The profile requires a dialect's delimiter; the library fills in the default before it checks.
    expect(packageProfileErrors(broken((d) => delete d.resources[0].dialect.delimiter)).length).toBeGreaterThan(0);
    expect(tableSchemaProfileErrors({ ...resource.schema, fields: [] }).length).toBeGreaterThan(0);
  });

  it('never reach the network: a profile given by URL fails instead of being fetched', async () => {
    await expect(frictionlessValidate({ ...descriptor, profile: 'https://example.org/profile.json' })).rejects.toThrow(/remote profile/);
  });
});

describe('the codebook with hand-made answers', () => {
  // The top-coding example of the microdata tests: 20 or more become 20, 10 or less become 10, 4 rare values blanked.
  const groups = [8, 9, 10, 10, 11, 12, 12, 12, 12, 14, 15, 16, 20, 24, 50];
  const hand: readonly Answers[] = waveOf({
    anonymous: groups.map((g, i) => ({ groups_involved: g, final_reflections: i === 0 ? '=HYPERLINK("x")' : `note ${i}`, senior_team_member: 'yes' })),
  }).responses.anonymous;

  it('describes top- and bottom-coding in words: "values of 20 or more are shown as 20"', () => {
    const { report } = prepareMicrodata(v2, hand, { random: seededRandom(1) });
    const field = fieldOf(researchDataPackage({ waves: [{ definition: v2, wave: waveInfo(WAVE_2), report }] }).resources[0].schema.fields, 'groups_involved');
    expect(field.type).toBe('integer');
    expect(field.description).toContain('values of 20 or more are shown as 20 (2 answers recoded)');
    expect(field.description).toContain('values of 10 or less are shown as 10 (2 answers recoded)');
    expect(field.description).toContain('4 answers withheld (.s)');
  });

  it('types a released free-text item as a string with no codes, and says that formula-like cells are defused', () => {
    const { report } = prepareMicrodata(v2, hand, { releaseText: ['final_reflections'], random: seededRandom(1) });
    const descriptor = researchDataPackage({ waves: [{ definition: v2, wave: waveInfo(WAVE_2), report }] });
    const fields = descriptor.resources[0].schema.fields;
    expect(fields.at(-1)!.name).toBe('final_reflections');
    const field = fieldOf(fields, 'final_reflections');
    expect(field.type).toBe('string');
    expect(field.constraints).toBeUndefined();
    expect(field.description).toMatch(/formula.*apostrophe/);
    expect(packageProfileErrors(descriptor)).toEqual([]);
  });

  it('stays valid when nothing can be released (fewer than k responses), and says so', () => {
    const { report } = prepareMicrodata(v2, hand.slice(0, 2));
    const descriptor: DataPackageDescriptor = researchDataPackage({ waves: [{ definition: v2, wave: waveInfo(WAVE_2), report }] });
    expect(report.withheld).toBeDefined();
    expect(descriptor.description).toContain('No rows are released');
    expect(descriptor.created).toBeUndefined();
    expect(packageProfileErrors(descriptor)).toEqual([]);
  });

  it('refuses a report that releases an item the definition does not have in part two', () => {
    const { report } = prepareMicrodata(v2, hand);
    expect(() =>
      researchDataPackage({ waves: [{ definition: v2, wave: waveInfo(WAVE_2), report: { ...report, items: [...report.items, 'local_authority'] } }] }),
    ).toThrow(/local_authority, which is not an item of part two/);
  });
});

describe('the README of the package', () => {
  const { definition, descriptor, report } = codebookOf(WAVE_2);
  const readme = researchPackageReadme({ waves: [{ definition, wave: waveInfo(WAVE_2), report }], descriptor });

  it('says how to read the data in R and Python, with its scripts and with the three missing values', () => {
    expect(readme).toContain('source("read_cswo.R", encoding = "UTF-8")');
    expect(readme).toContain('import read_cswo');
    expect(readme).toContain('frictionless::read_package("datapackage.json")');
    expect(readme).toContain(`pandas.read_csv("part-two.csv", dtype=str, keep_default_na=False, na_values=["", ".n", ".s"])`);
    for (const code of ['`.n`: Not asked', '`.s`: Withheld by the disclosure control', 'an empty cell: Not answered']) expect(readme).toContain(code);
    expect(readme).toContain('`top` (the value shown means "this value or more")');
  });

  it('explains the wave: when and why it was fielded, and its version', () => {
    expect(readme).toContain('## The waves');
    expect(readme).toContain('`2020-06`: Survey 2 (re-issued during COVID-19), fielded June 2020, questionnaire cswo-annual version 2');
    expect(readme).toMatch(/re-issue the survey in June 2020/);
  });

  it('states the disclosure control with the report numbers, and that part one is not included', () => {
    expect(readme).toContain(`k = ${report.k}`);
    expect(readme).toContain(`${report.rows} rows`);
    expect(readme).toContain(`${report.localSuppression.cells} answers withheld (.s, local suppression)`);
    for (const coding of report.numbers) expect(readme).toContain(`- ${coding.variable}: `);
    expect(readme).toMatch(/Part one .* is never part of a researcher download/);
    expect(readme).toContain('Social Work Scotland');
  });
});

describe('the codebook module', () => {
  it('is pure: it imports only the survey definitions and the analysis, no file system and no server code', () => {
    const dir = new URL('../../analysis/codebook/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const target of imports) expect(target, `${file} imports ${target}`).toMatch(/^(\.\/|\.\.\/disclosure\/|\.\.\/\.\.\/survey-definitions\/)/);
    }
  });
});
