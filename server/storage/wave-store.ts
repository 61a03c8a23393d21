import type { Kysely } from 'kysely';
import type { Wave } from '../../survey-definitions/index.js';
import type { IdentifiableDatabase, WaveTable } from './database.js';
import { ensureDefinitionsKnown } from './definition-store.js';

/**
 * The waves the platform knows: the fielded 2020 waves (inserted by migration 0004) and those admins
 * create. Every route and command asks this store, never the static registry, which stays for the
 * bundled 2020 data and the tests.
 */

/**
 * A wave's id appears in addresses (`/staff/waves/2021-06/roster`), commands and file names: lower-case
 * letters, digits and hyphens, starting and ending with a letter or digit (`2021-06`, `2021-spring`).
 */
export const waveIdPattern = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const waveIdMaxLength = 40;

/** Whether text has the form of a wave id (whether or not such a wave exists). */
export const isWaveId = (text: string): boolean => text.length <= waveIdMaxLength && waveIdPattern.test(text);

/** A closing date as pages and commands show it: "30 June 2021". */
export const formatClosingDate = (iso: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${iso}T00:00:00Z`));

/** A wave as the store holds it: with the closing date respondents are told, when one was set. */
export interface StoredWave extends Wave {
  /** `2021-06-30` (server/waves/form-dates.ts shows it). */
  readonly closes?: string;
}

const toWave = (row: Pick<WaveTable, 'id' | 'name' | 'fielded' | 'definition_id' | 'definition_version' | 'closes'>): StoredWave =>
  Object.freeze({
    id: row.id,
    name: row.name,
    fielded: row.fielded,
    definition: Object.freeze({ id: row.definition_id, version: Number(row.definition_version) }),
    ...(row.closes ? { closes: row.closes } : {}),
  });

const columns = ['id', 'name', 'fielded', 'definition_id', 'definition_version', 'closes'] as const;

/** By id: `2020-01`, `2020-06`, `2021-06` (a clock can be wrong, and tests move it). */
/**
 * Waves leave this store only with their definition known to `definitionOfWave`: a wave on a version
 * published by another process since the registry was filled reloads it (definition-store.ts).
 */
export const listWaves = async (db: Kysely<IdentifiableDatabase>): Promise<readonly StoredWave[]> => {
  const waves = (await db.selectFrom('wave').select(columns).orderBy('id').execute()).map(toWave);
  await ensureDefinitionsKnown(
    db,
    waves.map((w) => w.definition),
  );
  return waves;
};

export const findStoredWave = async (db: Kysely<IdentifiableDatabase>, id: string): Promise<StoredWave | undefined> => {
  const row = await db.selectFrom('wave').select(columns).where('id', '=', id).executeTakeFirst();
  const wave = row && toWave(row);
  if (wave) await ensureDefinitionsKnown(db, [wave.definition]);
  return wave;
};

/** "the waves are 2020-01, 2020-06": how a refusal names the waves there are. */
export const knownWavesText = async (db: Kysely<IdentifiableDatabase>): Promise<string> => `the waves are ${(await listWaves(db)).map((w) => w.id).join(', ')}`;

export class DuplicateWave extends Error {
  override name = 'DuplicateWave';
  constructor(readonly id: string) {
    super(`a wave with the id ${id} already exists`);
  }
}

/** Adds a wave. The caller checks the id's form and that the definition is published (server/waves/wave-changes.ts). */
export const insertWave = async (
  db: Kysely<IdentifiableDatabase>,
  { wave, createdBy, now }: { wave: StoredWave; createdBy: string | null; now: number },
): Promise<void> => {
  if (await findStoredWave(db, wave.id)) throw new DuplicateWave(wave.id);
  try {
    await db
      .insertInto('wave')
      .values({
        id: wave.id,
        name: wave.name,
        fielded: wave.fielded,
        definition_id: wave.definition.id,
        definition_version: wave.definition.version,
        created_at: now,
        created_by: createdBy,
        closes: wave.closes ?? null,
      })
      .execute();
  } catch (error) {
    // Another request added the same id between the look-up and the insert.
    if (/unique|primary key/i.test((error as Error).message)) throw new DuplicateWave(wave.id);
    throw error;
  }
};
