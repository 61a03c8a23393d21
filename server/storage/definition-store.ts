import type { Kysely } from 'kysely';
import {
  definitionKey,
  findDefinition,
  isBundledDefinition,
  knownDefinitions,
  registerPublishedDefinitions,
  type DefinitionRef,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import { contentHash } from '../../survey-definitions/content-hash.js';
import { defineSurvey } from '../../survey-definitions/define-survey.js';
import { appendAuditEvent, type ChangeMade } from './audit-log-store.js';
import type { IdentifiableDatabase } from './database.js';
import { inTransaction } from './in-transaction.js';

/**
 * Survey definition versions published into the identifiable store (migration 0011), beside the bundled
 * ones. The store refuses to change or remove a row; publishing the same reference again is either nothing
 * to do (same content) or refused (other content). What is published is also registered in
 * survey-definitions (registerPublishedDefinitions), where every synchronous `findDefinition` and
 * `definitionOfWave` finds it: read once when the stores open, and again when a wave names a version the
 * registry lacks (published meanwhile by another process) or the count of rows has changed.
 */

export const definitionAuditAction = 'definition.publish';

export interface PublishedDefinition {
  readonly ref: string;
  readonly hash: string;
  readonly definition: SurveyDefinition;
  readonly publishedAt: number;
  /** Null: the command line, or published automatically (see retired-definitions.ts). */
  readonly publishedBy: string | null;
}

export class CorruptPublishedDefinition extends Error {
  override name = 'CorruptPublishedDefinition';
}

const toPublished = (row: IdentifiableDatabase['published_definition']): PublishedDefinition => {
  const ref = `${row.id}@${row.version}`;
  let definition: SurveyDefinition;
  try {
    definition = defineSurvey(JSON.parse(row.definition));
  } catch (error) {
    throw new CorruptPublishedDefinition(`the published definition ${ref} in the store cannot be read: ${(error as Error).message}`);
  }
  // The hash is recomputed, not trusted: a row edited behind the store's back would otherwise change a
  // wave's questions under its answers.
  const hash = contentHash(definition);
  if (hash !== row.content_hash || definitionKey(definition) !== ref) {
    throw new CorruptPublishedDefinition(`the published definition ${ref} in the store does not match its recorded content hash ${row.content_hash}`);
  }
  return { ref, hash, definition, publishedAt: Number(row.published_at), publishedBy: row.published_by };
};

/** Every published version, by id and version (there are a few a year). */
export const listPublishedDefinitions = async (db: Kysely<IdentifiableDatabase>): Promise<PublishedDefinition[]> =>
  (await db.selectFrom('published_definition').selectAll().orderBy('id').orderBy('version').execute()).map(toPublished);

export const findPublishedDefinition = async (db: Kysely<IdentifiableDatabase>, ref: DefinitionRef): Promise<PublishedDefinition | undefined> => {
  const row = await db.selectFrom('published_definition').selectAll().where('id', '=', ref.id).where('version', '=', ref.version).executeTakeFirst();
  return row && toPublished(row);
};

const countPublished = async (db: Kysely<IdentifiableDatabase>): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('published_definition')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** How many rows the registry was last filled from: rows are never removed, so a different count means new ones. */
let registeredCount = -1;

/** Reads every published version into the registry of survey-definitions (replacing what it held). */
export const loadPublishedDefinitions = async (db: Kysely<IdentifiableDatabase>): Promise<void> => {
  const published = await listPublishedDefinitions(db);
  try {
    registerPublishedDefinitions(published.map((p) => p.definition));
  } catch (error) {
    // Only a row written behind the store's back: publishing refuses a bundled version's reference.
    throw new CorruptPublishedDefinition(`the store holds a published definition it cannot use: ${(error as Error).message}`);
  }
  registeredCount = published.length;
};

/** Reloads the registry when a version is missing from it: one look-up of the store per miss, none per hit. */
export const ensureDefinitionsKnown = async (db: Kysely<IdentifiableDatabase>, refs: readonly DefinitionRef[]): Promise<void> => {
  if (refs.some((ref) => !findDefinition(ref))) await loadPublishedDefinitions(db);
};

/** Reloads the registry when the store holds a different number of versions (a count, not the rows). */
export const refreshPublishedDefinitions = async (db: Kysely<IdentifiableDatabase>): Promise<void> => {
  if ((await countPublished(db)) !== registeredCount) await loadPublishedDefinitions(db);
};

export type PublishResult =
  | { readonly outcome: 'published'; readonly ref: string; readonly hash: string }
  /** The same reference with the same content is already there: nothing was written. */
  | { readonly outcome: 'unchanged'; readonly ref: string; readonly hash: string; readonly bundled: boolean }
  | { readonly outcome: 'refused'; readonly ref: string; readonly hash: string; readonly message: string };

/** The first version of `id` that is neither bundled nor published: what a refused version should become. */
const nextFreeVersion = async (db: Kysely<IdentifiableDatabase>, id: string): Promise<number> => {
  const stored = await db.selectFrom('published_definition').select('version').where('id', '=', id).execute();
  const versions = [...knownDefinitions().filter((d) => d.id === id), ...stored].map((d) => Number(d.version));
  return Math.max(0, ...versions) + 1;
};

const refusal = async (
  db: Kysely<IdentifiableDatabase>,
  definition: SurveyDefinition,
  hash: string,
  where: string,
  existing: string,
): Promise<PublishResult> => {
  const ref = definitionKey(definition);
  const next = `${definition.id}@${await nextFreeVersion(db, definition.id)}`;
  return {
    outcome: 'refused',
    ref,
    hash,
    message:
      `${ref} is already ${where} with other content (${existing}); this definition's content is ${hash}. ` +
      `A version never changes once published: give the changed definition a new version number (${next} is free)`,
  };
};

/**
 * Publishes a definition version (already checked: a SurveyDefinition) into the store, audited as
 * `definition.publish` in the same transaction. A bundled reference, or one already published, is never
 * replaced: with the same content there is nothing to do; with other content it is refused, naming the
 * content hash already there.
 */
export const publishDefinition = async (
  db: Kysely<IdentifiableDatabase>,
  definition: SurveyDefinition,
  made: ChangeMade & { readonly reason?: string },
): Promise<PublishResult> => {
  const ref = definitionKey(definition);
  const hash = contentHash(definition);
  if (isBundledDefinition(definition)) {
    const bundledHash = contentHash(findDefinition(definition)!);
    if (bundledHash === hash) return { outcome: 'unchanged', ref, hash, bundled: true };
    return refusal(db, definition, hash, 'bundled with the platform', bundledHash);
  }
  const attempt = () =>
    inTransaction(db, async (trx): Promise<PublishResult> => {
      const existing = await trx
        .selectFrom('published_definition')
        .select('content_hash')
        .where('id', '=', definition.id)
        .where('version', '=', definition.version)
        .executeTakeFirst();
      if (existing) {
        if (existing.content_hash === hash) return { outcome: 'unchanged', ref, hash, bundled: false };
        return refusal(trx, definition, hash, 'published', existing.content_hash);
      }
      await trx
        .insertInto('published_definition')
        .values({
          id: definition.id,
          version: definition.version,
          content_hash: hash,
          definition: JSON.stringify(definition),
          published_at: made.now,
          published_by: made.actor,
        })
        .execute();
      await appendAuditEvent(trx, {
        actor: made.actor,
        action: definitionAuditAction,
        detail: { definition: ref, hash, ...(made.via ? { via: made.via } : {}), ...(made.reason ? { reason: made.reason } : {}) },
        at: made.now,
      });
      return { outcome: 'published', ref, hash };
    });
  let result: PublishResult;
  try {
    result = await attempt();
  } catch (error) {
    // Another process published the same reference between the look-up and the insert: what it stored
    // decides, as if it had been first.
    if (db.isTransaction || !/unique|primary key/i.test((error as Error).message)) throw error;
    result = await attempt();
  }
  if (result.outcome === 'published' && !db.isTransaction) await loadPublishedDefinitions(db);
  return result;
};
