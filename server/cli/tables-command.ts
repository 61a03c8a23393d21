import { Command, Option } from 'commander';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { dataOption, waveOption, withStores } from './store-options.js';

const formats = ['text', 'json', 'csv'] as const;
type Format = (typeof formats)[number];

export const tablesCommand = (io: CliIo) =>
  new Command('tables')
    .description('Every table of the report for one wave, optionally compared with another wave')
    .addOption(dataOption())
    .addOption(waveOption())
    .option('--compare <wave>', 'compare with this wave: differences, Fisher exact and permutation tests')
    .addOption(new Option('--format <format>', 'text for reading, json for programs, csv (tidy) for spreadsheets and R').choices(formats).default('text'))
    .action(async (options: { data: string; wave: string; compare?: string; format: Format }) => {
      const { buildTables, tablesAsText, tablesAsTidy, tidyHeader } = await import('../../analysis/index.js');
      const { loadWaveColumns, UnknownWave } = await import('../dashboards/index.js');
      const { csvText } = await import('../csv/csv-writer.js');
      const { withAnonymousSnapshot } = await import('../storage/anonymous-snapshot.js');
      try {
        // Part two from a private copy of the anonymous store, read at leisure while the server scrubs.
        const result = await withStores(io, options.data, (stores) =>
          withAnonymousSnapshot(stores, options.compare ? [options.wave, options.compare] : [options.wave], async (anonymous) => {
            const wave = await loadWaveColumns({ ...stores, anonymous }, options.wave);
            const compare = options.compare ? await loadWaveColumns({ ...stores, anonymous }, options.compare) : undefined;
            return buildTables(wave, compare);
          }),
        );
        if (options.format === 'json') writeLine(io.stdout, JSON.stringify(result, null, 2));
        else if (options.format === 'csv') {
          const records = tablesAsTidy(result).map((r) => tidyHeader.map((h) => r[h] ?? ''));
          io.stdout.write(csvText([[...tidyHeader], ...records]));
        } else io.stdout.write(tablesAsText(result));
      } catch (error) {
        if (error instanceof UnknownWave) throw new CliError(error.message);
        throw error;
      }
    });
