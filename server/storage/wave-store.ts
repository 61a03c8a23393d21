import type { Kysely } from 'kysely';
import { findWave, waves, type Wave } from '../../survey-definitions/index.js';
import type { IdentifiableDatabase } from './database.js';

/**
 * The waves the platform knows. For now the fielded 2020 waves of the registry; admins' created waves
 * join them here, so every route and command asks this store rather than the registry.
 */
export const listWaves = async (_db: Kysely<IdentifiableDatabase>): Promise<readonly Wave[]> => waves;

export const findStoredWave = async (_db: Kysely<IdentifiableDatabase>, id: string): Promise<Wave | undefined> => findWave(id);
