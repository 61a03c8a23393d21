import type { Kysely } from 'kysely';
import cswoAnnual3 from '../../survey-definitions/examples/cswo-annual@3.json' with { type: 'json' };
import { defineSurvey, definitionKey, findDefinition, type SurveyDefinition } from '../../survey-definitions/index.js';
import type { IdentifiableDatabase } from './database.js';
import { publishDefinition } from './definition-store.js';

/**
 * Versions that were once bundled with the platform and left the bundle, with exactly the content they had
 * (their hashes are recorded in survey-definitions/examples/example-versions.json). cswo-annual@3 was
 * bundled for a day for new waves; it is now a ready-made example an analyst publishes. A deployment that
 * created a wave on it while it was bundled holds the wave but not the version: the version is published
 * into its store when the stores open, so the wave keeps its questions.
 */
export const retiredDefinitions: readonly SurveyDefinition[] = Object.freeze([defineSurvey(cswoAnnual3)]);

/** The audit log's `via` for a version published this way. */
export const retiredVia = 'automatic: a wave fields it from when it was bundled';

/** Publishes each retired version a stored wave names that the store neither bundles nor has published. */
export const publishRetiredDefinitionsInUse = async (db: Kysely<IdentifiableDatabase>, now: number): Promise<string[]> => {
  const named = await db.selectFrom('wave').select(['definition_id', 'definition_version']).distinct().execute();
  const published: string[] = [];
  for (const definition of retiredDefinitions) {
    const used = named.some((w) => w.definition_id === definition.id && Number(w.definition_version) === definition.version);
    if (!used || findDefinition(definition)) continue;
    const result = await publishDefinition(db, definition, { actor: null, now, via: retiredVia });
    // Refused would mean the store holds other content under the reference: then the wave reads that.
    if (result.outcome === 'published') published.push(definitionKey(definition));
  }
  return published;
};
