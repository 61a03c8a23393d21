import { Command, Option } from 'commander';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { dataOption } from './store-options.js';

export const backupCommand = (io: CliIo) =>
  new Command('backup')
    .description(
      'Back up both stores of a data directory into one zip file, safely while the server takes submissions ' +
        '(SQLite online backup). The server key is not included: keep it apart. PostgreSQL: see the README (pg_dump).',
    )
    .addOption(dataOption())
    .addOption(new Option('--out <file>', 'the backup file to write (atomically; readable only by you)').makeOptionMandatory())
    .action(async (options: { data: string; out: string }) => {
      const { BackupRefused, backupStores } = await import('../storage/sqlite-backup.js');
      try {
        const manifest = await backupStores(resolvePath(io, options.data), resolvePath(io, options.out));
        writeLine(io.stdout, `backed up ${options.data} to ${options.out} (taken ${manifest.created}; integrity checked)`);
      } catch (error) {
        if (error instanceof BackupRefused) throw new CliError(error.message);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EACCES' || code === 'ENOSPC' || code === 'EROFS') throw new CliError(`cannot write ${options.out}: ${(error as Error).message}`);
        throw error;
      }
    });
