import { contentHash } from './content-hash.js';
import type { SurveyDefinition } from './definition-schema.js';
import { definitionKey, itemsOf } from './define-survey.js';
import { bundledWaves } from './wave-registry.js';

/** What a listing shows of a definition: its reference, content hash, waves and item counts. */
export const definitionSummary = (d: SurveyDefinition) => ({
  ref: definitionKey(d),
  id: d.id,
  version: d.version,
  title: d.title,
  hash: contentHash(d),
  waves: bundledWaves.filter((w) => w.definition.id === d.id && w.definition.version === d.version).map((w) => w.id),
  items: Object.fromEntries(d.parts.map((p) => [p.id, itemsOf(p).length])),
});
