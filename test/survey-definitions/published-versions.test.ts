import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledDefinitions, definitionKey } from '../../survey-definitions/index.js';
import { contentHash } from '../../survey-definitions/content-hash.js';
import { retiredDefinitions } from '../../server/storage/retired-definitions.js';
import { cswoAnnualV3 } from '../support/definitions.js';

const readJson = (path: string): Record<string, string> => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const recorded = readJson('../../survey-definitions/published-versions.json');
const examples = readJson('../../survey-definitions/examples/example-versions.json');

describe('bundled definition versions', () => {
  it.each(bundledDefinitions.map((d) => [definitionKey(d), d] as const))('%s still has the content hash recorded when it was published', (key, definition) => {
    expect(recorded[key], `${key} is bundled but has no recorded hash`).toBeDefined();
    expect(contentHash(definition), `${key} changed after publication: publish a new version instead`).toBe(recorded[key]);
  });

  it('records no hash for a version that is not bundled', () => {
    expect(Object.keys(recorded).sort()).toEqual(bundledDefinitions.map(definitionKey).sort());
  });
});

describe('example definition versions', () => {
  it('cswo-annual@3, ready to publish, has the content it had when it was bundled', () => {
    expect(Object.keys(examples)).toEqual(['cswo-annual@3']);
    expect(contentHash(cswoAnnualV3)).toBe(examples['cswo-annual@3']);
    expect(contentHash(cswoAnnualV3)).toBe('sha256:a507a2fc423cc288ab26b1e44e6111c174469a566bcdb614afccc4defe33a0a0');
  });

  it('the versions that left the bundle, which a store publishes for its waves, are the examples as recorded', () => {
    expect(retiredDefinitions.map((d) => [definitionKey(d), contentHash(d)])).toEqual(Object.entries(examples));
  });
});
