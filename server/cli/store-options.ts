import { Option } from 'commander';
import { partIds, type PartId, type Wave } from '../../survey-definitions/index.js';
import { openStores, type Stores } from '../storage/open-stores.js';
import { findStoredWave, knownWavesText } from '../storage/wave-store.js';
import { CliError, resolvePath, type CliIo } from './cli-io.js';

/** The conventions every data command shares. */
export const dataOption = () => new Option('--data <dir>', 'data directory holding the two stores').default('./data');
export const waveOption = () => new Option('--wave <wave>', 'wave id, e.g. 2020-06').makeOptionMandatory();
export const partOption = () =>
  new Option('--part <part>', 'which part of the survey').choices(partIds).makeOptionMandatory();

export type { PartId };

/** The wave named by --wave, from the data directory's wave store, or a refusal listing the waves there are. */
export const requireWave = async (stores: Pick<Stores, 'identifiable'>, id: string): Promise<Wave> => {
  const wave = await findStoredWave(stores.identifiable, id);
  if (!wave) throw new CliError(`unknown wave "${id}": ${await knownWavesText(stores.identifiable)}`);
  return wave;
};

export const withStores = async <T>(io: CliIo, dataDir: string, work: (stores: Stores) => Promise<T>): Promise<T> => {
  const stores = await openStores({ dataDir: resolvePath(io, dataDir) });
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
};
