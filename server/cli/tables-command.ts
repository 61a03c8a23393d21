import { Command, Option } from 'commander';
import { buildTables, tablesAsText, tablesAsTidy, tidyHeader } from '../../analysis/index.js';
import { loadWaveColumns, UnknownWave } from '../dashboards/index.js';
import { csvText } from '../csv/csv-writer.js';
import { withAnonymousSnapshot } from '../storage/anonymous-snapshot.js';
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
      try {
        // Part two from a private copy of the anonymous store, read at leisure while the server scrubs.
        const result = await withStores(io, options.data, (stores) =>
          withAnonymousSnapshot(stores, async (anonymous) => {
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
