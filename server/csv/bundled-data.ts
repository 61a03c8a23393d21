import { createReadStream, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { partIds, bundledWaves, type PartId } from '../../survey-definitions/index.js';
import { importCsv, type ImportSummary } from './csv-import.js';
import { countPartTwo } from '../storage/anonymous-store.js';
import type { Stores } from '../storage/open-stores.js';
import { countPartOne } from '../storage/part-one-store.js';

/** The synthetic 2020 microdata shipped with the repository, one folder per wave. */
export const bundledDataDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bundled-data');

export const bundledFile = (waveId: string, part: PartId, dir = bundledDataDir) => join(dir, waveId, `${part}.csv`);

const counters = { identifiable: (s: Stores, w: string) => countPartOne(s.identifiable, w), anonymous: (s: Stores, w: string) => countPartTwo(s.anonymous, w) };

export class SeedRefused extends Error {
  override name = 'SeedRefused';
}

const bundledTargets = (dir: string) =>
  bundledWaves.flatMap((wave) => partIds.map((part) => ({ waveId: wave.id, part, file: bundledFile(wave.id, part, dir) }))).filter((t) => existsSync(t.file));

/** A data directory nobody has used yet: no answers, no wave created, opened or given a roster. */
export const storesAreEmpty = async (stores: Stores): Promise<boolean> => {
  for (const wave of bundledWaves) for (const part of partIds) if ((await counters[part](stores, wave.id)) > 0) return false;
  const db = stores.identifiable;
  const used = await db
    .selectFrom('roster')
    .select('wave_id')
    .unionAll(db.selectFrom('wave_status').select('wave_id'))
    // A wave someone created: the directory is for live waves, whatever they hold yet.
    .unionAll(
      db
        .selectFrom('wave')
        .select('id as wave_id')
        .where(
          'id',
          'not in',
          bundledWaves.map((w) => w.id),
        ),
    )
    .executeTakeFirst();
  return used === undefined;
};

/**
 * Loads the bundled bundledWaves. Refuses, before writing anything, when a wave already holds answers,
 * unless asked to replace them.
 */
export const seedBundledData = async (stores: Stores, { replace = false, dir = bundledDataDir } = {}): Promise<ImportSummary[]> => {
  const targets = bundledTargets(dir);
  if (!replace) {
    const occupied: string[] = [];
    for (const t of targets) if ((await counters[t.part](stores, t.waveId)) > 0) occupied.push(`${t.waveId} ${t.part}`);
    if (occupied.length > 0) {
      throw new SeedRefused(`the data directory already holds answers for ${occupied.join(', ')}: use --replace to reload the bundled data over them`);
    }
  }
  const summaries: ImportSummary[] = [];
  for (const t of targets) {
    summaries.push(await importCsv(stores, { waveId: t.waveId, part: t.part, input: createReadStream(t.file), replace }));
  }
  return summaries;
};
