import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definitionKey, publishedDefinitions } from '../../survey-definitions/index.js';
import { contentHash } from '../../survey-definitions/content-hash.js';

const recorded: Record<string, string> = JSON.parse(readFileSync(new URL('../../survey-definitions/published-versions.json', import.meta.url), 'utf8'));

describe('published definition versions', () => {
  it.each(publishedDefinitions.map((d) => [definitionKey(d), d] as const))(
    '%s still has the content hash recorded when it was published',
    (key, definition) => {
      expect(recorded[key], `${key} is published but has no recorded hash`).toBeDefined();
      expect(contentHash(definition), `${key} changed after publication: publish a new version instead`).toBe(recorded[key]);
    },
  );

  it('records no hash for a version that is not published', () => {
    expect(Object.keys(recorded).sort()).toEqual(publishedDefinitions.map(definitionKey).sort());
  });
});
