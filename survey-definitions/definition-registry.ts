import cswoAnnual1 from './cswo-annual/cswo-annual@1.json' with { type: 'json' };
import cswoAnnual2 from './cswo-annual/cswo-annual@2.json' with { type: 'json' };
import { contentHash } from './content-hash.js';
import type { SurveyDefinition } from './definition-schema.js';
import { defineSurvey, definitionKey } from './define-survey.js';

/**
 * The versions that come with the platform, as data (what `definitions show` prints): the ones the
 * bundled 2020 waves fielded. Each has its content hash in `published-versions.json`. Every later
 * version is published into a store by an analyst (`definitions publish`), not added here.
 */
export const bundledDefinitions: readonly SurveyDefinition[] = Object.freeze([cswoAnnual1, cswoAnnual2].map((json) => defineSurvey(json)));

export interface DefinitionRef {
  readonly id: string;
  readonly version: number;
}

/** Reads `cswo-annual@2`; returns undefined for anything else. */
export const parseDefinitionRef = (text: string): DefinitionRef | undefined => {
  const match = /^([a-z0-9][a-z0-9_-]*)@([1-9][0-9]*)$/.exec(text.trim());
  return match ? { id: match[1]!, version: Number(match[2]) } : undefined;
};

const keyOf = (ref: DefinitionRef) => `${ref.id}@${ref.version}`;
const byRef = (a: SurveyDefinition, b: SurveyDefinition) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version);

const bundledByKey = new Map(bundledDefinitions.map((d) => [definitionKey(d), d]));

/**
 * The versions published into the store this process serves. Why a registry filled from outside rather
 * than a look-up in the store: a wave's definition is needed in dozens of synchronous places (validation,
 * CSV layouts, tables, pages), and this folder does no IO. The store's few rows are read when the stores
 * open (server/storage/definition-store.ts), and again when a wave names a version missing here, since
 * another process (the command line beside the server) may have published it since. Published rows are
 * never changed or removed (the store refuses it), so what is registered never goes stale; it can only be
 * incomplete, which a wave naming the version repairs. Loading a store replaces the whole set: a process
 * serves one store (tests open one per test).
 */
let published = new Map<string, SurveyDefinition>();

/**
 * Registers the versions published in the store, replacing those registered before. A version that
 * claims the reference of a bundled one with other content is refused: the store never holds one.
 */
export const registerPublishedDefinitions = (definitions: readonly SurveyDefinition[]): void => {
  const next = new Map<string, SurveyDefinition>();
  for (const definition of definitions) {
    const key = definitionKey(definition);
    const bundled = bundledByKey.get(key);
    if (bundled && contentHash(bundled) !== contentHash(definition)) throw new Error(`${key} is bundled with other content: it cannot also be published`);
    if (!bundled) next.set(key, definition);
  }
  published = next;
};

export const isBundledDefinition = (ref: DefinitionRef): boolean => bundledByKey.has(keyOf(ref));

/** A bundled version, or one published in the store (as last registered). */
export const findDefinition = (ref: DefinitionRef): SurveyDefinition | undefined => bundledByKey.get(keyOf(ref)) ?? published.get(keyOf(ref));

/** Every version a wave can field: the bundled ones and those published in the store, by id then version. */
export const knownDefinitions = (): readonly SurveyDefinition[] => [...bundledDefinitions, ...published.values()].sort(byRef);

export const definitionKeys = (): string[] => knownDefinitions().map(definitionKey);
