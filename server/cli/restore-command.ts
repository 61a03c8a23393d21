import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { dataOption } from './store-options.js';

export const restoreCommand = (io: CliIo) =>
  new Command('restore')
    .description('Restore a backup made by `backup` into a data directory; every file is checked before anything is replaced')
    .addOption(dataOption())
    .addOption(new Option('--from <file>', 'the backup file').makeOptionMandatory())
    .option('--replace', 'replace the stores the data directory already holds')
    .action(async (options: { data: string; from: string; replace?: boolean }) => {
      const { countPartTwo } = await import('../storage/anonymous-store.js');
      const { openStores } = await import('../storage/open-stores.js');
      const { countPartOne } = await import('../storage/part-one-store.js');
      const { serverKeyFile } = await import('../security/server-key.js');
      const { runningServer } = await import('../storage/server-lock.js');
      const { BackupRefused, restoreStores } = await import('../storage/sqlite-backup.js');
      const dataDir = resolvePath(io, options.data);
      const pid = runningServer(dataDir);
      if (pid !== undefined)
        throw new CliError(`a server (process ${pid}) is using ${options.data}: stop it before restoring, or restore into another directory`);
      let created: string;
      try {
        created = (await restoreStores(resolvePath(io, options.from), dataDir, { replace: options.replace === true })).created;
      } catch (error) {
        if (error instanceof BackupRefused) throw new CliError(error.message);
        throw error;
      }
      // Opening the stores brings their schema up to date and checks their settings, as the server will.
      const stores = await openStores({ dataDir });
      try {
        const partOne = await countPartOne(stores.identifiable);
        const partTwo = await countPartTwo(stores.anonymous);
        writeLine(io.stdout, `restored ${options.data} from ${options.from} (taken ${created}): ${partOne} part one and ${partTwo} part two responses`);
      } finally {
        await stores.close();
      }
      if (!existsSync(serverKeyFile(dataDir)) && !process.env.SERVER_KEY) {
        writeLine(
          io.stderr,
          `warning: ${join(options.data, 'server.key')} is missing and SERVER_KEY is not set: copy the server key of the backed-up directory, ` +
            'or respondents who started part two cannot resume it and submitted parts are no longer recognised',
        );
      }
    });
