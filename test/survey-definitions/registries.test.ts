import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  definitionOfWave,
  findDefinition,
  findBundledWave,
  parseDefinitionRef,
  bundledDefinitions,
  bundledWaves,
  defineSurvey,
  definitionKey,
  isBundledDefinition,
  registerPublishedDefinitions,
  type Wave,
} from '../../survey-definitions/index.js';
import { definitionKeys } from '../../survey-definitions/definition-registry.js';
import { definitionSummary } from '../../survey-definitions/definition-summary.js';
import { cswoAnnualV1, cswoAnnualV2, cswoAnnualV3 } from '../support/definitions.js';

describe('wave registry', () => {
  it('lists the two 2020 waves of instrument.md', () => {
    expect(bundledWaves.map((w) => [w.id, w.name, w.fielded, `${w.definition.id}@${w.definition.version}`])).toEqual([
      ['2020-01', 'Survey 1', 'January 2020', 'cswo-annual@1'],
      ['2020-06', 'Survey 2 (re-issued during COVID-19)', 'June 2020', 'cswo-annual@2'],
    ]);
  });

  it('maps 2020-01 to cswo-annual@1 and 2020-06 to cswo-annual@2', () => {
    expect(definitionOfWave(findBundledWave('2020-01')!)).toBe(cswoAnnualV1);
    expect(definitionOfWave(findBundledWave('2020-06')!)).toBe(cswoAnnualV2);
  });

  it.each([['2021-01'], [''], ['2020-1'], [' 2020-01']])('finds no wave %j', (id) => {
    expect(findBundledWave(id)).toBeUndefined();
  });

  it('refuses a wave naming a definition that is not published', () => {
    const wave: Wave = { id: '2030-01', name: 'Future', fielded: 'January 2030', definition: { id: 'cswo-annual', version: 9 } };
    expect(() => definitionOfWave(wave)).toThrow('wave 2030-01 uses unknown definition cswo-annual@9');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(bundledWaves)).toBe(true);
    expect(Object.isFrozen(bundledWaves[0])).toBe(true);
    expect(Object.isFrozen(bundledWaves[0]!.definition)).toBe(true);
    expect(() => {
      (bundledWaves[0]!.definition as { version: number }).version = 2;
    }).toThrow(TypeError);
    expect(bundledWaves[0]!.definition.version).toBe(1);
  });
});

describe('definition registry', () => {
  afterEach(() => registerPublishedDefinitions([]));

  it('bundles cswo-annual versions 1 and 2, read from their JSON files', () => {
    expect(definitionKeys()).toEqual(['cswo-annual@1', 'cswo-annual@2']);
    expect(bundledDefinitions.map(definitionKey)).toEqual(['cswo-annual@1', 'cswo-annual@2']);
    expect(Object.isFrozen(bundledDefinitions)).toBe(true);
    for (const version of [1, 2]) {
      const file = JSON.parse(readFileSync(new URL(`../../survey-definitions/cswo-annual/cswo-annual@${version}.json`, import.meta.url), 'utf8'));
      expect(findDefinition({ id: 'cswo-annual', version })).toEqual(file);
    }
  });

  it('finds a bundled version by reference, and a published one once it is registered', () => {
    expect(findDefinition({ id: 'cswo-annual', version: 2 })).toBe(cswoAnnualV2);
    expect(findDefinition({ id: 'cswo-annual', version: 3 })).toBeUndefined();
    registerPublishedDefinitions([cswoAnnualV3]);
    expect(findDefinition({ id: 'cswo-annual', version: 3 })).toBe(cswoAnnualV3);
    expect(isBundledDefinition({ id: 'cswo-annual', version: 3 })).toBe(false);
    expect(definitionKeys()).toEqual(['cswo-annual@1', 'cswo-annual@2', 'cswo-annual@3']);
    expect(findDefinition({ id: 'cswo-annual', version: 4 })).toBeUndefined();
    expect(findDefinition({ id: 'other', version: 1 })).toBeUndefined();
  });

  it('a wave on a registered version finds it; registering again replaces the set (one store per process)', () => {
    const wave: Wave = { id: '2021-06', name: 'Survey 3', fielded: 'June 2021', definition: { id: 'cswo-annual', version: 3 } };
    expect(() => definitionOfWave(wave)).toThrow('wave 2021-06 uses unknown definition cswo-annual@3');
    registerPublishedDefinitions([cswoAnnualV3]);
    expect(definitionOfWave(wave)).toBe(cswoAnnualV3);
    registerPublishedDefinitions([]);
    expect(findDefinition(wave.definition)).toBeUndefined();
  });

  it('refuses to register a bundled reference with other content, and ignores one with the same content', () => {
    const changed = defineSurvey({ ...structuredClone(cswoAnnualV2), title: 'Changed' });
    expect(() => registerPublishedDefinitions([changed])).toThrow('cswo-annual@2 is bundled with other content: it cannot also be published');
    registerPublishedDefinitions([cswoAnnualV2]);
    expect(definitionKeys()).toEqual(['cswo-annual@1', 'cswo-annual@2']);
  });

  it.each([
    ['cswo-annual@2', { id: 'cswo-annual', version: 2 }],
    ['cswo-annual@1', { id: 'cswo-annual', version: 1 }],
    ['cswo-annual@12', { id: 'cswo-annual', version: 12 }],
    ['  cswo-annual@2\n', { id: 'cswo-annual', version: 2 }],
    ['my_survey@3', { id: 'my_survey', version: 3 }],
  ])('reads %j', (text, ref) => {
    expect(parseDefinitionRef(text)).toEqual(ref);
  });

  it.each([
    ['cswo-annual'],
    ['cswo-annual@0'],
    ['cswo-annual@02'],
    ['@2'],
    ['x@1.5'],
    ['x@-1'],
    ['x@'],
    ['CSWO-annual@2'],
    ['cswo-annual@2@3'],
    ['cswo annual@2'],
    [''],
  ])('refuses %j', (text) => {
    expect(parseDefinitionRef(text)).toBeUndefined();
  });
});

describe('definition summary', () => {
  it('lists a version with its waves and item counts', () => {
    const summary = definitionSummary(cswoAnnualV2);
    expect(summary).toMatchObject({
      ref: 'cswo-annual@2',
      id: 'cswo-annual',
      version: 2,
      title: 'Chief Social Work Officer Annual Survey',
      waves: ['2020-06'],
      items: { identifiable: 18, anonymous: 25 },
    });
    expect(summary.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(definitionSummary(cswoAnnualV1)).toMatchObject({ waves: ['2020-01'], items: { identifiable: 18, anonymous: 24 } });
  });
});
