import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Command } from 'commander';
import type { ImportSummary } from '../csv/csv-import.js';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { progressLine } from './progress.js';
import { dataOption, partOption, waveOption, withStores, type PartId } from './store-options.js';

export const describeImport = (s: ImportSummary): string =>
  `imported ${s.imported} row${s.imported === 1 ? '' : 's'} into wave ${s.waveId}, ${s.part} part (${s.definition})` +
  (s.replaced > 0 ? `, replacing ${s.replaced}` : '');

/** Opens a file for reading, or says plainly why it cannot. */
export const openInput = async (io: CliIo, file: string) => {
  if (file === '-') return { stream: io.stdin, size: undefined };
  const path = resolvePath(io, file);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`cannot read ${file}: not a file`);
    return { stream: createReadStream(path), size: info.size };
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
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
      const input = await openInput(io, file);
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
