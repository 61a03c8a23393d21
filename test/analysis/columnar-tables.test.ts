import { describe, expect, it } from 'vitest';
import { buildTables, partColumnsOf, partColumnsWriter, protectTables, waveColumnsOf, type WaveResponses, type WaveTables } from '../../analysis/index.js';
import {
  AnswerColumnError,
  columnOf,
  defineSurvey,
  findDefinition,
  noCode,
  partIds,
  type Answers,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import { singleCodeColumns } from '../../survey-definitions/kinds/answer-columns.js';
import { syntheticAnswers } from '../bench/synthetic-answers.js';
import { bundledWave, randomWave } from './disclosure-data.js';
import { v1, v2, WAVE_1, WAVE_2 } from './fixtures.js';
import { buildTablesFromObjects } from './object-tables/build-tables.js';

/**
 * Issue 16: the tables read the answers as columns (typed arrays per item). Every table, compared or not,
 * must be what the tables built answer object by answer object gave (object-tables/, the code as it was),
 * to the last bit of every mean, interval and p, and so must their suppression.
 */

const bothWays = (wave: WaveResponses, compare?: WaveResponses): { columnar: WaveTables; objects: WaveTables } => ({
  columnar: buildTables(waveColumnsOf(wave), compare && waveColumnsOf(compare)),
  objects: buildTablesFromObjects(wave, compare),
});

const expectSame = (wave: WaveResponses, compare?: WaveResponses) => {
  const { columnar, objects } = bothWays(wave, compare);
  expect(columnar).toStrictEqual(objects);
  const definitions = [wave.definition, ...(compare ? [compare.definition] : [])];
  for (const mode of ['analyst', 'public'] as const) {
    expect(protectTables(columnar, { mode, definitions })).toEqual(protectTables(objects, { mode, definitions }));
  }
  return objects;
};

type Editable = { version: number; parts: { sections: { id: string; items: Record<string, unknown>[] }[] }[] };

// cswo-annual@2 less one question (contract), with a new option (role), and new questions of every kind
// a table counts: compared with a 2020 wave, these were not asked there.
const variant: SurveyDefinition = (() => {
  const copy = structuredClone(findDefinition({ id: 'cswo-annual', version: 2 })) as unknown as Editable;
  copy.version = 90;
  const [one, two] = copy.parts;
  for (const section of one!.sections) section.items = section.items.filter((i) => i.id !== 'contract');
  const role = one!.sections.flatMap((s) => s.items).find((i) => i.id === 'role')!;
  (role.options as unknown[]).push({ code: 'interim', label: 'Interim CSWO' });
  const rows = [
    { id: 'north', label: 'North' },
    { id: 'south', label: 'South' },
  ];
  const options = [
    { code: 'a', label: 'A' },
    { code: 'b', label: 'B' },
    { code: 'c', label: 'C' },
  ];
  const scale = { min: 0, max: 10, minLabel: 'Never', maxLabel: 'Always' };
  two!.sections.push({
    id: 'new_questions',
    items: [
      { id: 'new_single', kind: 'single', label: 'New single', options },
      { id: 'new_multi', kind: 'multi', label: 'New multi', options },
      { id: 'new_rating', kind: 'rating', label: 'New rating', scale },
      { id: 'new_number', kind: 'number', label: 'New number', bounds: { min: -5, max: 5 } },
      { id: 'new_grid_choice', kind: 'matrix-choice', label: 'New grid of choices', rows, columns: options },
      { id: 'new_grid_number', kind: 'matrix-number', label: 'New grid of numbers', rows, bounds: {} },
      { id: 'new_grid_rating', kind: 'matrix-rating', label: 'New grid of ratings', rows, scale },
    ],
  });
  return defineSurvey({ ...copy, parts: [one, { ...two, sections: two!.sections.map((s) => ({ title: s.id, ...s })) }] });
})();

const syntheticWave = (wave: string, definition: SurveyDefinition, size: number, seed: number): WaveResponses => ({
  wave,
  definition,
  responses: {
    identifiable: syntheticAnswers(definition, 'identifiable', size, seed),
    // Some decimals, so the means' compensated sums have rounding to compensate.
    anonymous: syntheticAnswers(definition, 'anonymous', size, seed + 1).map((a, i) =>
      i % 3 === 0 && typeof a.new_number === 'number' ? { ...a, new_number: a.new_number + 0.1 * (i % 7) - 0.35 } : a,
    ),
  },
});

describe('tables from columns are the tables from answer objects', () => {
  it('on the bundled 2020 waves, alone and compared either way', () => {
    const first = bundledWave(WAVE_1);
    const second = bundledWave(WAVE_2);
    expect(expectSame(second).tables).toHaveLength(31);
    expectSame(first);
    expectSame(second, first);
    expectSame(first, second);
  });

  it('on random small waves (skewed, with blanks), compared', () => {
    for (const seed of [1, 2, 3, 4, 5]) expectSame(randomWave(seed), randomWave(seed + 100, WAVE_1));
  });

  it('on a definition with new questions of every kind, a new option and a question removed: not asked in the compared wave', () => {
    const now = syntheticWave('2021-06', variant, 25, 7);
    const then = randomWave(8, WAVE_2);
    const objects = expectSame(now, then);
    // The comparison did reach what the older wave was not asked, and what the newer one lacks.
    expect(objects.tables.find((t) => t.id === 'new_grid_rating')?.notCompared).toBe('not asked in 2020-06');
    expect(objects.tables.find((t) => t.id === 'role')?.rows.find((r) => r.id === 'interim')?.notCompared).toBe('not asked in 2020-06');
    expect(objects.omitted.map((o) => o.id)).toContain('contract');
    expectSame(then, now);
  });

  it('on thousands of synthetic answers with decimals, blanks and rows left out', () => {
    expectSame(syntheticWave('2021-06', variant, 3000, 11));
    expectSame(syntheticWave('2020-06', v2, 5000, 12));
  });

  it('with answers of the other part and items absent from every response', () => {
    const v1Answers = bundledWave(WAVE_1);
    // Part two answered nothing at all: every column blank, every n zero.
    expectSame({ ...v1Answers, responses: { ...v1Answers.responses, anonymous: v1Answers.responses.anonymous.map(() => ({})) } });
    expectSame({ wave: WAVE_1, definition: v1, responses: { identifiable: [], anonymous: [] } });
  });

  it('with a table that names an item of the other part (blank there, as its answers were)', () => {
    const wave = bundledWave(WAVE_2);
    const specs = [
      { id: 'role_in_part_two', title: 'Role', part: 'anonymous', kind: 'share', items: ['role'] },
      { id: 'pressure_in_part_one', title: 'Pressure', part: 'identifiable', kind: 'mean', items: ['pressure'] },
    ] as const;
    const columnar = buildTables(waveColumnsOf(wave), undefined, specs);
    expect(columnar).toStrictEqual(buildTablesFromObjects(wave, undefined, specs));
    expect(columnar.tables.map((t) => t.rows[0]!.cells)).toEqual([
      { share: { n: 0, count: 0, pct: null, ci: null } },
      { mean: { n: 0, mean: null, sd: null } },
    ]);
  });

  it('is no vacuous comparison: one answer changed changes the tables', () => {
    const wave = bundledWave(WAVE_2);
    const [first, ...rest] = wave.responses.anonymous;
    const changed = { ...wave, responses: { ...wave.responses, anonymous: [{ ...first, peer_support_likelihood: 1 } as Answers, ...rest] } };
    expect(first!.peer_support_likelihood).not.toBe(1);
    expect(buildTables(waveColumnsOf(changed))).not.toEqual(buildTablesFromObjects(wave));
  });

  it('takes plain answers too, laying them out as columns itself', () => {
    const wave = bundledWave(WAVE_2);
    expect(buildTables(wave)).toEqual(buildTablesFromObjects(wave));
  });
});

describe('answer columns', () => {
  it('are the same written one response at a time (as the loader streams them) as from a list', () => {
    const answers = syntheticAnswers(v2, 'anonymous', 2500, 3);
    const writer = partColumnsWriter(v2, 'anonymous');
    for (const a of answers) writer.add(a);
    const streamed = writer.finish();
    const listed = partColumnsOf(v2, 'anonymous', answers);
    expect(streamed.size).toBe(2500);
    expect(streamed).toEqual(listed);
    // Free text gets no columns: no table counts it.
    expect(streamed.items.has('pressures_comment')).toBe(false);
    expect(streamed.items.get('pressure')?.get('children')?.layout).toBe('number');
  });

  it('refuse an answer the layout cannot hold, naming the answer, the response and what was expected', () => {
    const bad = (answers: Answers[]) => () => partColumnsOf(v2, 'anonymous', answers);
    expect(bad([{}, { pressure: { children: 'high' } }])).toThrow(new AnswerColumnError('pressure.children', 1, 'a number', 'high'));
    expect(bad([{}, { pressure: { children: 'high' } }])).toThrow('answer pressure.children of response 2 is "high": expected a number');
    expect(bad([{ resources: ['nothing-like-this'] }])).toThrow('answer resources of response 1 is "nothing-like-this": expected codes from');
    expect(bad([{ admin_support: 'maybe' }])).toThrow(/answer admin_support of response 1 is "maybe": expected one of the codes/);
    expect(bad([{ time_share: 5 }])).toThrow('answer time_share of response 1 is 5: expected an answer per row, keyed by row id');
    // A control: the same answers, valid, are laid out.
    expect(partColumnsOf(v2, 'anonymous', [{}, { pressure: { children: 4 } }]).size).toBe(2);
  });

  it('hold at most 65,534 codes in a code column, the last value meaning none', () => {
    const codes = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
    expect(() => singleCodeColumns('huge', codes(65_535))).toThrow('a code column holds at most 65534 codes, not 65535');
    const writer = singleCodeColumns('large', codes(65_534));
    writer.add('c65533');
    writer.add(undefined);
    expect(columnOf(writer.finish(2), 'large', 'code').values).toEqual(new Uint16Array([65_533, noCode]));
  });

  it('keep the parts apart and count every response, answered or not', () => {
    const wave = bundledWave(WAVE_2);
    const columns = waveColumnsOf(wave);
    for (const part of partIds) expect(columns.parts[part].size).toBe(wave.responses[part].length);
    expect(columns.parts.anonymous.items.has('role')).toBe(false);
  });
});
