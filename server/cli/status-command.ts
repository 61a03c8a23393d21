import { Command } from 'commander';
import type { PartOneState } from '../storage/part-one-draft-store.js';
import { writeLine, type CliIo } from './cli-io.js';
import { dataOption, requireWave, waveOption, withStores } from './store-options.js';

export interface WaveProgress {
  readonly wave: string;
  readonly status: 'open' | 'closed' | 'not opened';
  readonly councils: readonly { localAuthority: string; name: string; invited: boolean; partOne: PartOneState }[];
  readonly partOne: Readonly<Record<PartOneState, number>>;
  /** Only a total: part two is anonymous and is never counted per council. */
  readonly partTwo: { readonly submitted: number };
}

const cell = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

export const formatProgress = (p: WaveProgress): string[] => {
  const lines = [`wave ${p.wave}: ${p.status}`];
  if (p.councils.length === 0) lines.push(`no roster: import one with "roster import --wave ${p.wave} FILE.csv"`);
  else {
    const rows = [['council', 'name', 'invited', 'part one'], ...p.councils.map((c) => [c.localAuthority, cell(c.name), c.invited ? 'yes' : 'no', c.partOne])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
    for (const r of rows)
      lines.push(
        r
          .map((text, i) => (i === r.length - 1 ? text : text + ' '.repeat(widths[i]! - [...text].length)))
          .join('  ')
          .trimEnd(),
      );
    const invited = p.councils.filter((c) => c.invited).length;
    lines.push(
      `invited: ${invited} of ${p.councils.length}`,
      `part one: ${p.partOne.submitted} submitted, ${p.partOne['in progress']} in progress, ${p.partOne['not started']} not started`,
    );
  }
  lines.push(`part two: ${p.partTwo.submitted} submitted (a total only: part two is anonymous)`);
  return lines;
};

export const statusCommand = (io: CliIo) =>
  new Command('status')
    .summary("A wave's status, each council's progress with part one, and the total of part-two answers")
    .description("A wave's progress: its status, each council on the roster (invited, part one's state) and the total of part-two answers, never per council")
    .addOption(dataOption())
    .addOption(waveOption())
    .option('--json', 'print JSON')
    .action(async (options: { data: string; wave: string; json?: boolean }) => {
      const { countPartTwo } = await import('../storage/anonymous-store.js');
      const { partOneStates } = await import('../storage/part-one-draft-store.js');
      const { waveStatus } = await import('../storage/roster-store.js');
      const progress = await withStores(io, options.data, async (stores): Promise<WaveProgress> => {
        const wave = await requireWave(stores, options.wave);
        const states = await partOneStates(stores.identifiable, wave.id);
        const partOne: Record<PartOneState, number> = { 'not started': 0, 'in progress': 0, submitted: 0 };
        for (const s of states) partOne[s.state]++;
        return {
          wave: wave.id,
          status: await waveStatus(stores.identifiable, wave.id),
          councils: states.map((s) => ({ localAuthority: s.localAuthority, name: s.name, invited: s.invited, partOne: s.state })),
          partOne,
          partTwo: { submitted: await countPartTwo(stores.anonymous, wave.id) },
        };
      });
      if (options.json) writeLine(io.stdout, JSON.stringify(progress, null, 2));
      else formatProgress(progress).forEach((line) => writeLine(io.stdout, line));
    });
