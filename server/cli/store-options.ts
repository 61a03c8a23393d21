import { Option } from 'commander';
import { partIds, type PartId, type Wave } from '../../survey-definitions/index.js';
import { finishDeferredScrub, isScrubDeferred } from '../storage/arrival-scrub.js';
import { openStores, type Stores } from '../storage/open-stores.js';
import { findStoredWave, knownWavesText } from '../storage/wave-store.js';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';

/** The conventions every data command shares. */
export const dataOption = () => new Option('--data <dir>', 'data directory holding the two stores').default('./data');
export const waveOption = () => new Option('--wave <wave>', 'wave id, e.g. 2020-06').makeOptionMandatory();
export const partOption = () => new Option('--part <part>', 'which part of the survey').choices(partIds).makeOptionMandatory();

export type { PartId };

/** The wave named by --wave, from the data directory's wave store, or a refusal listing the waves there are. */
export const requireWave = async (stores: Pick<Stores, 'identifiable'>, id: string): Promise<Wave> => {
  const wave = await findStoredWave(stores.identifiable, id);
  if (!wave) throw new CliError(`unknown wave "${id}": ${await knownWavesText(stores.identifiable)}`);
  return wave;
};

/**
 * A scrub of part two's arrival order that another connection deferred (a reader of anonymous.db beside
 * this import, or the server's own scrub holding the write lock) is finished before the command exits:
 * a command never leaves one undone.
 */
const finishScrub = async (io: CliIo, stores: Stores): Promise<void> => {
  if (!isScrubDeferred(stores.anonymous)) return;
  writeLine(
    io.stderr,
    'waiting for another connection to anonymous.db or anonymous-intake.db to finish, so that the order in which part-two answers arrived can be erased ' +
      '(what this command wrote is saved; it ends once the scrub is done)',
  );
  await finishDeferredScrub(stores.anonymous);
  writeLine(io.stderr, 'the order of arrival in anonymous.db and anonymous-intake.db is erased');
};

export const withStores = async <T>(io: CliIo, dataDir: string, work: (stores: Stores) => Promise<T>): Promise<T> => {
  const stores = await openStores({ dataDir: resolvePath(io, dataDir) });
  let result: T;
  try {
    result = await work(stores);
  } catch (error) {
    // A refused import may have spilled rows to the WAL before it rolled back: scrubbed all the same,
    // and the refusal stays the error.
    await finishScrub(io, stores).catch(() => {});
    await stores.close();
    throw error;
  }
  try {
    await finishScrub(io, stores);
  } finally {
    await stores.close();
  }
  return result;
};
