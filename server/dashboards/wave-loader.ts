import { partColumnsWriter, type PartColumns, type WaveColumns, type WaveResponses } from '../../analysis/index.js';
import { definitionOfWave, findBundledWave, bundledWaves, storedAnswers, type Answers, type PartId, type Wave } from '../../survey-definitions/index.js';
import { streamPartTwo } from '../storage/anonymous-store.js';
import type { Stores } from '../storage/open-stores.js';
import { streamPartOne } from '../storage/part-one-store.js';
import { findStoredWave, listWaves } from '../storage/wave-store.js';

export class UnknownWave extends Error {
  override name = 'UnknownWave';
  constructor(waveId: string, known: readonly Wave[] = bundledWaves) {
    super(`unknown wave "${waveId}": the waves are ${known.map((w) => w.id).join(', ')}`);
  }
}

const collect = async (rows: AsyncIterable<Answers>): Promise<Answers[]> => {
  const out: Answers[] = [];
  for await (const row of rows) out.push(row);
  return out;
};

/**
 * Reads one wave's part-two answers from the anonymous store alone: the researcher download takes only
 * this, so part one cannot reach it. Waves live in the identifiable store, so the caller looks the wave
 * up there (findStoredWave) and passes it; given only an id, this knows the fielded 2020 waves alone.
 */
export const loadAnonymousAnswers = async (stores: Pick<Stores, 'anonymous'>, waveId: string, stored?: Wave): Promise<{ wave: Wave; answers: Answers[] }> => {
  const wave = stored ?? findBundledWave(waveId);
  if (!wave || wave.id !== waveId) throw new UnknownWave(waveId);
  return { wave, answers: await collect(streamPartTwo(stores.anonymous, wave.id, storedAnswers(definitionOfWave(wave), 'anonymous'))) };
};

const resolve = async (stores: Stores, named: Wave | string): Promise<Wave> => {
  const wave = typeof named === 'string' ? await findStoredWave(stores.identifiable, named) : named;
  if (!wave) throw new UnknownWave(named as string, await listWaves(stores.identifiable));
  return wave;
};

/**
 * Reads one wave's answers from both stores as the analysis reads them, in columns (wave-columns.ts): of
 * the wave a route has resolved already (withWave), or of the id a command was given. Each row is laid
 * into the columns as it streams in and then dropped, so a wave is never held as an object per response.
 */
export const loadWaveColumns = async (stores: Stores, named: Wave | string): Promise<WaveColumns> => {
  const wave = await resolve(stores, named);
  const definition = definitionOfWave(wave);
  const columns = async (part: PartId, rows: AsyncIterable<Answers>): Promise<PartColumns> => {
    const writer = partColumnsWriter(definition, part);
    for await (const answers of rows) writer.add(answers);
    return writer.finish();
  };
  return {
    wave: wave.id,
    definition,
    parts: {
      identifiable: await columns('identifiable', streamPartOne(stores.identifiable, wave.id)),
      anonymous: await columns('anonymous', streamPartTwo(stores.anonymous, wave.id, storedAnswers(definition, 'anonymous'))),
    },
  };
};

/**
 * Reads one wave's answers from both stores as plain objects, each response whole: for a reader that
 * needs the answers themselves rather than the tables' columns.
 */
export const loadWaveResponses = async (stores: Stores, named: Wave | string): Promise<WaveResponses> => {
  const wave = await resolve(stores, named);
  const definition = definitionOfWave(wave);
  return {
    wave: wave.id,
    definition,
    responses: {
      identifiable: await collect(streamPartOne(stores.identifiable, wave.id)),
      anonymous: await collect(streamPartTwo(stores.anonymous, wave.id, storedAnswers(definition, 'anonymous'))),
    },
  };
};
