import { analystMessage } from './definition-messages.js';
import { formatPath, type PathSegment } from './definition-problem.js';
import { definitionSchema, type Item, type Part, type PartId, type SurveyDefinition } from './definition-schema.js';

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

/** A problem found by `checkDefinition`, its path as segments so that a reader of a file can find its line. */
export interface DefinitionIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

export type CheckedDefinition =
  { readonly ok: true; readonly definition: SurveyDefinition } | { readonly ok: false; readonly issues: readonly DefinitionIssue[] };

/**
 * The one check of a definition, for a module, a file and publishing alike: the schema and its invariants, every
 * problem in an analyst's words. A valid definition comes back frozen, so nothing at run time can alter a version
 * once it exists; a change is a new version.
 */
export const checkDefinition = (input: unknown): CheckedDefinition => {
  const parsed = definitionSchema.safeParse(input, { error: analystMessage });
  if (parsed.success) return { ok: true, definition: deepFreeze(parsed.data) };
  const issues = parsed.error.issues.map((issue): DefinitionIssue => {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    // One unknown field is named by its own path, so a file's problem points at its line.
    return issue.code === 'unrecognized_keys' && issue.keys.length === 1
      ? { path: [...path, issue.keys[0]!], message: issue.message }
      : { path, message: issue.message };
  });
  return { ok: false, issues };
};

export const defineSurvey = (input: unknown): SurveyDefinition => {
  const checked = checkDefinition(input);
  if (!checked.ok) {
    const lines = checked.issues.map((i) => `  ${formatPath(i.path) || '(root)'}: ${i.message}`);
    throw new Error(`invalid survey definition:\n${lines.join('\n')}`);
  }
  return checked.definition;
};

export const partOf = (definition: SurveyDefinition, partId: PartId): Part => {
  const part = definition.parts.find((p) => p.id === partId);
  if (!part) throw new Error(`${definition.id}@${definition.version} has no part "${partId}"`);
  return part;
};

export const itemsOf = (part: Part): readonly Item[] => part.sections.flatMap((s) => s.items);

export const allItems = (definition: SurveyDefinition): readonly Item[] => definition.parts.flatMap(itemsOf);

/** Each frozen definition's items by id, made once: every table of a wave and the disclosure control look their items up by id. */
const itemIndexes = new WeakMap<SurveyDefinition, ReadonlyMap<string, Item>>();

/** The item of `definition` with this id, if it has one. */
export const findItem = (definition: SurveyDefinition, id: string): Item | undefined => {
  // A frozen definition (every checked one) cannot change, so its index stays true; another is searched afresh.
  if (!Object.isFrozen(definition)) return allItems(definition).find((i) => i.id === id);
  let index = itemIndexes.get(definition);
  if (!index) {
    const byId = new Map<string, Item>();
    for (const item of allItems(definition)) if (!byId.has(item.id)) byId.set(item.id, item);
    itemIndexes.set(definition, (index = byId));
  }
  return index.get(id);
};

export const definitionKey = (definition: Pick<SurveyDefinition, 'id' | 'version'>): string => `${definition.id}@${definition.version}`;
