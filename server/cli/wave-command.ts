import { Command, Option } from 'commander';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { dataOption, requireWave, waveOption, withStores } from './store-options.js';

/** The audit log's `via` for changes made here (their actor is null). */
const via = 'command line';

const setter = (io: CliIo, status: 'open' | 'closed', description: string) =>
  new Command(status === 'open' ? 'open' : 'close')
    .description(description)
    .addOption(dataOption())
    .addOption(waveOption())
    .action(async (options: { data: string; wave: string }) => {
      const { changeWaveStatus } = await import('../waves/index.js');
      const { wave, before } = await withStores(io, options.data, async (stores) => {
        const wave = await requireWave(stores, options.wave);
        return { wave, before: await changeWaveStatus(stores, wave, status, { actor: null, via, now: Date.now() }) };
      });
      writeLine(io.stdout, before === status ? `wave ${wave.id} was already ${status}` : `wave ${wave.id} is now ${status} (it was ${before})`);
    });

/** The form's field names as this command's options, for its messages. */
const optionOf: Readonly<Record<string, string>> = {
  id: '--wave',
  name: '--name',
  fielded: '--fielded',
  closes: '--closes',
  until: '--keep-until',
  definition: '--definition',
};

const createCommand = (io: CliIo) =>
  new Command('create')
    .description('Create a wave that fields a published definition version; it starts not opened, with no roster')
    .addOption(dataOption())
    .addOption(new Option('--wave <id>', "the new wave's id: lower-case letters, digits and hyphens, e.g. 2021-06").makeOptionMandatory())
    .addOption(new Option('--name <name>', 'its name, e.g. "Survey 3"').makeOptionMandatory())
    .addOption(new Option('--fielded <when>', 'when it is fielded, e.g. "June 2021"').makeOptionMandatory())
    .addOption(new Option('--closes <date>', 'optional: the closing date respondents are told, YYYY-MM-DD, e.g. 2021-06-30 (today or later)'))
    .addOption(
      new Option(
        '--keep-until <date>',
        'optional: the last day it keeps names and email addresses, YYYY-MM-DD (then erased; default a year after --closes, or after today)',
      ),
    )
    .option('--keep-part-one', 'keep part one whole after that day (by default its name and email answers are erased with the roster)')
    .addOption(
      new Option(
        '--definition <ref>',
        'the definition version it fields, bundled or published in this data directory (`definitions list --data DIR`), e.g. cswo-annual@2',
      ).makeOptionMandatory(),
    )
    .action(
      async (options: {
        data: string;
        wave: string;
        name: string;
        fielded: string;
        closes?: string;
        keepUntil?: string;
        keepPartOne?: boolean;
        definition: string;
      }) => {
        const { createWave } = await import('../waves/index.js');
        const { formatClosingDate } = await import('../storage/wave-store.js');
        const result = await withStores(io, options.data, (stores) =>
          createWave(
            stores.identifiable,
            {
              id: options.wave,
              name: options.name,
              fielded: options.fielded,
              closes: options.closes ?? '',
              until: options.keepUntil ?? '',
              keepPartOne: options.keepPartOne === true,
              definition: options.definition,
            },
            { actor: null, via, now: Date.now() },
          ),
        );
        if (!result.ok) throw new CliError(result.problems.map((p) => `${optionOf[p.field] ?? p.field}: ${p.message}`).join('\n'));
        const { wave, retention } = result;
        const closes = wave.closes ? `, closing on ${formatClosingDate(wave.closes)}` : '';
        writeLine(
          io.stdout,
          `created wave ${wave.id} (${wave.name}, ${wave.fielded}${closes}) with ${wave.definition.id}@${wave.definition.version}; it is not open yet; ` +
            `it keeps names and email addresses through ${formatClosingDate(retention.contactsUntil)}${retention.keepPartOne ? ', and part one whole' : ''}`,
        );
      },
    );

export const waveCommand = (io: CliIo) => {
  const command = new Command('wave').description('Create waves, and open or close them to answers');
  command.addCommand(createCommand(io));
  command.addCommand(setter(io, 'open', 'Open a wave to answers through its invitation links'));
  command.addCommand(setter(io, 'closed', 'Close a wave to answers; what was submitted is kept'));
  return command;
};
