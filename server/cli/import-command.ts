import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Command } from 'commander';
import type { ImportSummary } from '../csv/csv-import.js';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { progressLine } from './progress.js';
import { dataOption, partOption, waveOption, withStores, type PartId } from './store-options.js';

export const describeImport = (s: ImportSummary): string =>
  `imported ${s.imported} row${s.imported === 1 ? '' : 's'} into wave ${s.waveId}, ${s.part} part (${s.definition})` +
  (s.replaced > 0 ? `, replacing ${s.replaced}` : '');

/**
 * Opens a file for reading, or says plainly why it cannot, and hands it to `use`. The file is opened
 * before `use` runs, and its stream is destroyed after, read or not: a command refused before it
 * reads (an unknown wave) must not leave an open pending that fails later, once the file is gone.
 */
export const withInput = async <T>(io: CliIo, file: string, use: (input: { stream: Readable; size?: number }) => Promise<T>): Promise<T> => {
  if (file === '-') return use({ stream: io.stdin, size: undefined });
  const { stream, size } = await openFile(file, resolvePath(io, file));
  try {
    return await use({ stream, size });
  } finally {
    stream.destroy();
  }
};

const openFile = async (file: string, path: string) => {
  let handle;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (!info.isFile()) throw new CliError(`cannot read ${file}: not a file`);
    const stream = handle.createReadStream();
    handle = undefined; // the stream closes it now
    return { stream, size: info.size };
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  } finally {
    await handle?.close();
  }
};

export const importCommand = (io: CliIo) =>
  new Command('import')
    .description('Import one part of one wave from a CSV file: every row is checked, and all rows are stored or none')
    .addOption(dataOption())
    .addOption(waveOption())
    .addOption(partOption())
    .option('--replace', "replace the wave's existing answers for this part, in the same transaction")
    .argument('<file>', 'UTF-8 CSV with a header row of item ids ("-" reads standard input)')
    .action(async (file: string, options: { data: string; wave: string; part: PartId; replace?: boolean }) => {
      const { importCsv, ImportRejected } = await import('../csv/csv-import.js');
      await withInput(io, file, async (input) => {
        const progress = progressLine(io, `importing ${file}`);
        try {
          const summary = await withStores(io, options.data, (stores) =>
            importCsv(stores, {
              waveId: options.wave,
              part: options.part,
              input: input.stream,
              replace: options.replace === true,
              onProgress: ({ bytes, rows }) => progress.update(input.size ? `${Math.floor((bytes / input.size) * 100)}% (${rows} rows)` : `${rows} rows`),
            }),
          );
          progress.done();
          writeLine(io.stdout, describeImport(summary));
        } catch (error) {
          progress.done();
          if (error instanceof ImportRejected) throw new CliError(`${file}: ${error.message}`);
          throw error;
        }
      });
    });
