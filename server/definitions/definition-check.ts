import type { Kysely } from 'kysely';
import { contentHash } from '../../survey-definitions/content-hash.js';
import {
  definitionKey,
  describeDiff,
  diffDefinitions,
  findDefinition,
  knownDefinitions,
  readDefinitionText,
  type DefinitionProblem,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import { refreshPublishedDefinitions } from '../storage/definition-store.js';

export type CheckedDefinitionFile =
  | {
      readonly ok: true;
      readonly definition: SurveyDefinition;
      /** The latest earlier version of the same definition, which the changes are told against. */
      readonly latest?: SurveyDefinition;
      /** What changed against `latest`, a sentence each. */
      readonly changes: readonly string[];
      /** The same version with the same content is already there (bundled or published). */
      readonly alreadyThere: boolean;
    }
  | { readonly ok: false; readonly problems: readonly DefinitionProblem[] };

/**
 * Everything publishing would check, for a file an analyst wrote (JSON or YAML): the format, the rules
 * within the definition, the meaning of every id kept across the versions already there (bundled or
 * published in this store, including those another process published), and that its version number is
 * not taken by other content. `definitions check`, `definitions publish` and the admin's upload page all
 * call this, so they refuse the same files with the same words.
 */
export const checkDefinitionFile = async (db: Kysely<IdentifiableDatabase>, text: string, fileName: string): Promise<CheckedDefinitionFile> => {
  await refreshPublishedDefinitions(db);
  const read = readDefinitionText(text, fileName, { others: knownDefinitions() });
  if (!read.ok) return read;
  const definition = read.definition;
  const ref = definitionKey(definition);
  const existing = findDefinition(definition);
  if (existing && contentHash(existing) !== contentHash(definition)) {
    const next =
      Math.max(
        ...knownDefinitions()
          .filter((d) => d.id === definition.id)
          .map((d) => d.version),
      ) + 1;
    return {
      ok: false,
      problems: [
        {
          path: 'version',
          message:
            `${ref} is already published with other content (${contentHash(existing)}); this definition's content is ${contentHash(definition)}. ` +
            `A version never changes once published: give the changed definition a new version number (${definition.id}@${next} is free)`,
        },
      ],
    };
  }
  return { ok: true, definition, ...changesSinceLatest(definition), alreadyThere: !!existing };
};

/** The latest earlier version of the same definition, bundled or published, and what changed against it, in words. */
export const changesSinceLatest = (definition: SurveyDefinition): { latest?: SurveyDefinition; changes: readonly string[] } => {
  const latest = knownDefinitions()
    .filter((d) => d.id === definition.id && d.version < definition.version)
    .at(-1);
  return latest ? { latest, changes: describeDiff(diffDefinitions(latest, definition)) } : { changes: [] };
};

/** A problem as a compiler says it: `next.json:12: parts[1].sections[0].items[3].options: expected ...`. */
export const problemLine = (fileName: string, problem: DefinitionProblem): string =>
  `${fileName}${problem.line ? `:${problem.line}` : ''}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
