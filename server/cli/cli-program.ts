import { Command, CommanderError } from 'commander';
import { StoreStartupError } from '../storage/sqlite-pragmas.js';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { backupCommand } from './backup-command.js';
import { definitionsCommand } from './definitions-command.js';
import { exportCommand } from './export-command.js';
import { importCommand } from './import-command.js';
import { inviteCommand } from './invite-command.js';
import { remindCommand } from './remind-command.js';
import { retentionCommand } from './retention-command.js';
import { personCommand } from './person-command.js';
import { packageCommand } from './package-command.js';
import { restoreCommand } from './restore-command.js';
import { rosterCommand } from './roster-command.js';
import { seedCommand } from './seed-command.js';
import { serveCommand } from './serve-command.js';
import { statusCommand } from './status-command.js';
import { tablesCommand } from './tables-command.js';
import { userCommand } from './user-command.js';
import { waveCommand } from './wave-command.js';

export const buildProgram = (io: CliIo): Command => {
  const program = new Command('cli')
    .description('CSWO survey platform: survey definitions and data')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  for (const command of [
    seedCommand(io),
    importCommand(io),
    exportCommand(io),
    tablesCommand(io),
    packageCommand(io),
    definitionsCommand(io),
    rosterCommand(io),
    inviteCommand(io),
    remindCommand(io),
    retentionCommand(io),
    personCommand(io),
    statusCommand(io),
    waveCommand(io),
    userCommand(io),
    backupCommand(io),
    restoreCommand(io),
    serveCommand(io),
  ]) {
    program.addCommand(command);
  }
  // Sub-commands inherit the output and exit behaviour so `--help` and usage errors never exit the process.
  const configure = (command: Command) => {
    command
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
      .showHelpAfterError('(add --help for usage)')
      .exitOverride();
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
};

/** Runs one command line and returns the exit code: 0 done, 1 refused, 2 misused. Never throws. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help, which exits 0).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError || error instanceof StoreStartupError) {
      writeLine(io.stderr, `error: ${error.message}`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    writeLine(io.stderr, `error: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.CSWO_DEBUG) writeLine(io.stderr, error instanceof Error ? (error.stack ?? '') : '');
    return 1;
  }
};
