import { contentHash } from './content-hash.js';
import type { SurveyDefinition } from './definition-schema.js';
import { definitionKey, itemsOf } from './define-survey.js';
import { bundledWaves, type Wave } from './wave-registry.js';

/**
 * What a listing shows of a definition: its reference, content hash, the waves that field it and item counts.
 * The waves are those given (the server's store); by default the bundled 2020 waves.
 */
export const definitionSummary = (d: SurveyDefinition, waves: readonly Pick<Wave, 'id' | 'definition'>[] = bundledWaves) => ({
  ref: definitionKey(d),
  id: d.id,
  version: d.version,
  title: d.title,
  hash: contentHash(d),
  waves: waves.filter((w) => w.definition.id === d.id && w.definition.version === d.version).map((w) => w.id),
  items: Object.fromEntries(d.parts.map((p) => [p.id, itemsOf(p).length])),
});
