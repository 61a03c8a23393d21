import { Command } from 'commander';
import { setWaveStatus, waveStatus } from '../storage/roster-store.js';
import { writeLine, type CliIo } from './cli-io.js';
import { dataOption, requireWave, waveOption, withStores } from './store-options.js';

const setter = (io: CliIo, status: 'open' | 'closed', description: string) =>
  new Command(status === 'open' ? 'open' : 'close')
    .description(description)
    .addOption(dataOption())
    .addOption(waveOption())
    .action(async (options: { data: string; wave: string }) => {
      const wave = requireWave(options.wave);
      const before = await withStores(io, options.data, async ({ identifiable }) => {
        const was = await waveStatus(identifiable, wave.id);
        await setWaveStatus(identifiable, wave.id, status);
        return was;
      });
      writeLine(io.stdout, before === status ? `wave ${wave.id} was already ${status}` : `wave ${wave.id} is now ${status} (it was ${before})`);
    });

export const waveCommand = (io: CliIo) => {
  const command = new Command('wave').description('Open or close a wave to answers');
  command.addCommand(setter(io, 'open', 'Open a wave to answers through its invitation links'));
  command.addCommand(setter(io, 'closed', 'Close a wave to answers; what was submitted is kept'));
  return command;
};
