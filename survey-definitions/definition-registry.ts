import { cswoAnnualV1 } from './cswo-annual/cswo-annual-v1.js';
import { cswoAnnualV2 } from './cswo-annual/cswo-annual-v2.js';
import { cswoAnnualV3 } from './cswo-annual/cswo-annual-v3.js';
import type { SurveyDefinition } from './definition-schema.js';
import { definitionKey } from './define-survey.js';

/** Every published definition version. Each has its content hash in `published-versions.json`. */
export const publishedDefinitions: readonly SurveyDefinition[] = Object.freeze([cswoAnnualV1, cswoAnnualV2, cswoAnnualV3]);

export interface DefinitionRef {
  readonly id: string;
  readonly version: number;
}

/** Reads `cswo-annual@2`; returns undefined for anything else. */
export const parseDefinitionRef = (text: string): DefinitionRef | undefined => {
  const match = /^([a-z0-9][a-z0-9_-]*)@([1-9][0-9]*)$/.exec(text.trim());
  return match ? { id: match[1]!, version: Number(match[2]) } : undefined;
};

export const findDefinition = (ref: DefinitionRef): SurveyDefinition | undefined =>
  publishedDefinitions.find((d) => d.id === ref.id && d.version === ref.version);

export const definitionKeys = (): string[] => publishedDefinitions.map(definitionKey);
