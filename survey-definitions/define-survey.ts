import { definitionSchema, type Item, type Part, type PartId, type SurveyDefinition } from './definition-schema.js';

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

/**
 * Checks a definition against the schema and freezes it, so nothing at run time can alter a
 * version once it exists; a change is a new version.
 */
export const defineSurvey = (input: unknown): SurveyDefinition => {
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid survey definition:\n${lines.join('\n')}`);
  }
  return deepFreeze(parsed.data);
};

export const partOf = (definition: SurveyDefinition, partId: PartId): Part => {
  const part = definition.parts.find((p) => p.id === partId);
  if (!part) throw new Error(`${definition.id}@${definition.version} has no part "${partId}"`);
  return part;
};

export const itemsOf = (part: Part): readonly Item[] => part.sections.flatMap((s) => s.items);

export const allItems = (definition: SurveyDefinition): readonly Item[] => definition.parts.flatMap(itemsOf);

export const definitionKey = (definition: Pick<SurveyDefinition, 'id' | 'version'>): string => `${definition.id}@${definition.version}`;
