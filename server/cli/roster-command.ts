import { Command } from 'commander';
import { definitionOfWave } from '../../survey-definitions/index.js';
import { readRosterCsv, RosterRejected } from '../csv/roster-csv.js';
import { listInvitations } from '../storage/invitation-store.js';
import { listRoster, replaceRoster } from '../storage/roster-store.js';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { openInput } from './import-command.js';
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
      const wave = requireWave(options.wave);
      const input = await openInput(io, file);
      let entries;
      try {
        // The whole file is checked before the stores are opened: a refused file changes nothing.
        entries = await readRosterCsv(input.stream, definitionOfWave(wave));
      } catch (error) {
        if (error instanceof RosterRejected) throw new CliError(`${file}: ${error.message}`);
        throw error;
      }
      const { total, kept, moved } = await withStores(io, options.data, async (stores) => {
        const before = new Map((await listRoster(stores.identifiable, wave.id)).map((r) => [r.local_authority, r]));
        const invited = new Set((await listInvitations(stores.identifiable, wave.id)).map((i) => i.local_authority));
        await replaceRoster(stores.identifiable, wave.id, entries);
        const inFile = new Set(entries.map((e) => e.localAuthority));
        return {
          total: (await listRoster(stores.identifiable, wave.id)).length,
          // replaceRoster keeps a council that holds an invitation: its link must keep working.
          kept: [...before.keys()].filter((c) => !inFile.has(c) && invited.has(c)),
          // An invited council whose address changed still has its link only at the old address.
          moved: entries.filter((e) => invited.has(e.localAuthority) && before.get(e.localAuthority)?.email !== e.email).map((e) => e.localAuthority),
        };
      });
      if (kept.length > 0) {
        const one = kept.length === 1;
        writeLine(io.stderr, `note: ${councils(kept.length)} not in the file ${one ? 'stays' : 'stay'} on the roster because ${one ? 'it has an invitation' : 'they have invitations'}: ${kept.join(', ')}`);
      }
      if (moved.length > 0) {
        writeLine(
          io.stderr,
          `note: new email address for ${councils(moved.length)} already invited; the links went to the old address (invite --reissue --council CODE makes new ones): ${moved.join(', ')}`,
        );
      }
      writeLine(io.stdout, `roster for wave ${wave.id}: ${councils(total)}`);
    });
  return command;
};
