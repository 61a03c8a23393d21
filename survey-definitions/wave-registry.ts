import type { SurveyDefinition } from './definition-schema.js';
import { findDefinition, type DefinitionRef } from './definition-registry.js';

export interface Wave {
  readonly id: string;
  readonly name: string;
  readonly fielded: string;
  readonly definition: DefinitionRef;
}

/** Which definition version each wave was fielded with. */
export const bundledWaves: readonly Wave[] = Object.freeze(
  [
    { id: '2020-01', name: 'Survey 1', fielded: 'January 2020', definition: { id: 'cswo-annual', version: 1 } },
    {
      id: '2020-06',
      name: 'Survey 2 (re-issued during COVID-19)',
      fielded: 'June 2020',
      definition: { id: 'cswo-annual', version: 2 },
    },
  ].map((w) => Object.freeze({ ...w, definition: Object.freeze(w.definition) })),
);

export const findBundledWave = (id: string): Wave | undefined => bundledWaves.find((w) => w.id === id);

export const definitionOfWave = (wave: Wave): SurveyDefinition => {
  const definition = findDefinition(wave.definition);
  // A wave naming a missing definition is a programming error caught by the registry test.
  if (!definition) throw new Error(`wave ${wave.id} uses unknown definition ${wave.definition.id}@${wave.definition.version}`);
  return definition;
};
