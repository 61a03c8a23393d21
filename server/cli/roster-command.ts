import { Command } from 'commander';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { withInput } from './import-command.js';
import { dataOption, requireWave, waveOption, withStores } from './store-options.js';

const councils = (n: number) => `${n} council${n === 1 ? '' : 's'}`;

export const rosterCommand = (io: CliIo) => {
  const command = new Command('roster').description("Manage a wave's roster: the council, name and email of each officer to invite");
  command
    .command('import')
    .summary("Replace a wave's roster from a CSV file local_authority,name,email")
    .description(
      "Replace a wave's roster from a CSV file with the columns local_authority,name,email (any order): every row is checked, and the roster is replaced whole or not at all",
    )
    .addOption(dataOption())
    .addOption(waveOption())
    .argument('<file>', 'UTF-8 CSV with the header local_authority,name,email ("-" reads standard input)')
    .action(async (file: string, options: { data: string; wave: string }) => {
      const { definitionOfWave } = await import('../../survey-definitions/index.js');
      const { importRoster, readRosterCsv, RosterRejected } = await import('../waves/index.js');
      const { total, kept, moved } = await withStores(io, options.data, async (stores) => {
        const wave = await requireWave(stores, options.wave);
        // The whole file is checked before anything is written: a refused file changes nothing.
        const entries = await withInput(io, file, async (input) => {
          try {
            return await readRosterCsv(input.stream, definitionOfWave(wave));
          } catch (error) {
            if (error instanceof RosterRejected) throw new CliError(`${file}: ${error.message}`);
            throw error;
          }
        });
        return importRoster(stores.identifiable, wave, entries, { actor: null, via: 'command line', now: Date.now() });
      });
      if (kept.length > 0) {
        const one = kept.length === 1;
        writeLine(
          io.stderr,
          `note: ${councils(kept.length)} not in the file ${one ? 'stays' : 'stay'} on the roster because ${one ? 'it has an invitation' : 'they have invitations'}: ${kept.join(', ')}`,
        );
      }
      if (moved.length > 0) {
        writeLine(
          io.stderr,
          `note: new email address for ${councils(moved.length)} already invited; the links went to the old address (invite --reissue --council CODE makes new ones): ${moved.join(', ')}`,
        );
      }
      writeLine(io.stdout, `roster for wave ${options.wave}: ${councils(total)}`);
    });
  return command;
};
