import { Command } from 'commander';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { progressLine } from './progress.js';
import { dataOption, partOption, waveOption, withStores, type PartId } from './store-options.js';

export const exportCommand = (io: CliIo) =>
  new Command('export')
    .description('Export one part of one wave as CSV in the import format (part two in random order, without ids)')
    .addOption(dataOption())
    .addOption(waveOption())
    .addOption(partOption())
    .option('--out <file>', 'write to this file (atomically) instead of standard output')
    .option('--bom', 'start with a UTF-8 byte order mark, which Excel needs to read accents correctly')
    .action(async (options: { data: string; wave: string; part: PartId; out?: string; bom?: boolean }) => {
      const { exportCsv, exportCsvToFile, ExportRefused } = await import('../csv/csv-export.js');
      const progress = progressLine(io, 'exporting');
      const request = {
        waveId: options.wave,
        part: options.part,
        bom: options.bom === true,
        onProgress: ({ rows, total }: { rows: number; total: number }) => progress.update(`${rows} of ${total} rows`),
      };
      try {
        await withStores(io, options.data, async (stores) => {
          if (options.out) {
            const rows = await exportCsvToFile(stores, request, resolvePath(io, options.out));
            progress.done();
            writeLine(io.stdout, `exported ${rows} row${rows === 1 ? '' : 's'} of wave ${options.wave}, ${options.part} part, to ${options.out}`);
          } else {
            // Standard output stays open for whatever the shell does next.
            await exportCsv(stores, request, io.stdout, { end: false });
            progress.done();
          }
        });
      } catch (error) {
        progress.done();
        if (error instanceof ExportRefused) throw new CliError(error.message);
        // A folder that does not exist or cannot be written is the user's to fix, not an unexpected failure.
        const code = (error as NodeJS.ErrnoException).code;
        if (options.out && (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR')) {
          const why = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : 'not a directory';
          throw new CliError(`cannot write ${options.out}: ${why}`);
        }
        throw error;
      }
    });
