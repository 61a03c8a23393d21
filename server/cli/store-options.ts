import { Option } from 'commander';
import type { PartId, Wave } from '../../survey-definitions/index.js';
import type { Stores } from '../storage/open-stores.js';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';

/*
 * Only commander and types are imported here and in every command's module: a command loads the code it
 * runs (the stores, the survey definitions, the web server) with `import()` when its action starts, so
 * `--help` and a data command do not hold every other command's modules (an export or a package used to
 * start 60 MB heavier, with the web stack and Svelte's runtime loaded for nothing).
 */

/**
 * The parts, for --part's choices and help: the definitions' `partIds`, written out so that the help
 * does not load the definitions (zod and every kind). A test (cli.test.ts) keeps the two lists equal.
 */
const parts = ['identifiable', 'anonymous'] as const satisfies readonly PartId[];

/** The conventions every data command shares. */
export const dataOption = () => new Option('--data <dir>', 'data directory holding the two stores').default('./data');
export const waveOption = () => new Option('--wave <wave>', 'wave id, e.g. 2020-06').makeOptionMandatory();
export const partOption = () => new Option('--part <part>', 'which part of the survey').choices(parts).makeOptionMandatory();

export type { PartId };

/** The wave named by --wave, from the data directory's wave store, or a refusal listing the waves there are. */
export const requireWave = async (stores: Pick<Stores, 'identifiable'>, id: string): Promise<Wave> => {
  const { findStoredWave, knownWavesText } = await import('../storage/wave-store.js');
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
  const { finishDeferredScrub, isScrubDeferred } = await import('../storage/arrival-scrub.js');
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
  const { openStores } = await import('../storage/open-stores.js');
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
