import { Command } from 'commander';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { describeImport } from './import-command.js';
import { dataOption, withStores } from './store-options.js';

export const seedCommand = (io: CliIo) =>
  new Command('seed')
    .description('Load the bundled 2020 data (waves 2020-01 and 2020-06) into the data directory')
    .addOption(dataOption())
    .option('--replace', 'replace answers already held for those waves')
    .action(async (options: { data: string; replace?: boolean }) => {
      const { ImportRejected } = await import('../csv/csv-import.js');
      const { seedBundledData, SeedRefused } = await import('../csv/bundled-data.js');
      try {
        const summaries = await withStores(io, options.data, (stores) => seedBundledData(stores, { replace: options.replace === true }));
        if (summaries.length === 0) writeLine(io.stderr, 'no bundled data found: nothing was loaded');
        summaries.forEach((s) => writeLine(io.stdout, describeImport(s)));
      } catch (error) {
        if (error instanceof SeedRefused) throw new CliError(error.message);
        if (error instanceof ImportRejected) throw new CliError(`the bundled data was refused: ${error.message}`);
        throw error;
      }
    });
