import { Command, Option } from 'commander';
import type { Wave } from '../../survey-definitions/index.js';
import { defaultK } from '../../analysis/disclosure/disclosure-types.js';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { dataOption, requireWave, withStores } from './store-options.js';

/** k = 1 would release every value as it is: no protection at all. */
const kValue = (text: string): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 2) throw new CliError(`--k must be a whole number of at least 2, got "${text}"`, 2);
  return n;
};

/** --wave may be given again for each wave of a package across waves. */
const collectWave = (value: string, previous: string[] | undefined): string[] => {
  if (previous?.includes(value)) throw new CliError(`--wave ${value} is given more than once`, 2);
  return [...(previous ?? []), value];
};

export const packageCommand = (io: CliIo) =>
  new Command('package')
    .description(
      'Researcher download of one wave or several: part two after disclosure control (wave by wave) as one CSV ' +
        "(a wave column, then the import format over the union of the waves' versions), its codebook (Frictionless " +
        'datapackage.json), a README and scripts that read it in Python and R, zipped. Part one is never included.',
    )
    .addOption(dataOption())
    .addOption(
      new Option('--wave <wave>', 'wave id, e.g. 2020-06; repeat it for a package across waves (--wave 2020-01 --wave 2020-06)')
        .makeOptionMandatory()
        .argParser(collectWave),
    )
    .addOption(new Option('--out <file>', 'the zip file to write (atomically)').makeOptionMandatory())
    .addOption(
      new Option('--k <k>', 'every released number and combination of quasi-identifiers is held by at least k rows').default(defaultK).argParser(kValue),
    )
    .action(async (options: { data: string; wave: string[]; out: string; k: number }) => {
      const { PackageRefused, writeResearchPackage } = await import('../research/index.js');
      const { withAnonymousSnapshot } = await import('../storage/anonymous-snapshot.js');
      try {
        const pkg = await withStores(io, options.data, async (stores) => {
          const waves: Wave[] = [];
          for (const id of options.wave) waves.push(await requireWave(stores, id));
          // The package itself is given the anonymous store alone (a private copy of it, so that the server
          // can go on scrubbing while the package is made); the waves come from the identifiable store.
          return withAnonymousSnapshot(
            stores,
            waves.map((w) => w.id),
            (anonymous) => writeResearchPackage({ anonymous }, { waveIds: waves.map((w) => w.id), waves, k: options.k }, resolvePath(io, options.out)),
          );
        });
        const { reports } = pkg;
        const several = reports.length > 1;
        for (const [i, report] of reports.entries()) {
          if (report.withheld) writeLine(io.stderr, `warning: no rows released${several ? ` for wave ${pkg.waveIds[i]}` : ''}: ${report.withheld}`);
        }
        const sum = (f: (r: (typeof reports)[number]) => number) => reports.reduce((s, r) => s + f(r), 0);
        writeLine(
          io.stdout,
          `wrote the research package of wave${several ? 's' : ''} ${pkg.waveIds.join(', ')} to ${options.out}: ${pkg.rows} row${pkg.rows === 1 ? '' : 's'} of part two` +
            `${several ? ` (${reports.map((r, i) => `${pkg.waveIds[i]} ${r.rows}`).join(', ')})` : ''}, ` +
            `${pkg.columns} columns, k = ${reports[0]!.k}, ${sum((r) => r.localSuppression.cells)} quasi-identifier answers withheld, ` +
            `${sum((r) => r.numbers.length)} numeric variables coded${several ? ' (over the waves)' : ''}; part one is not included`,
        );
      } catch (error) {
        if (error instanceof PackageRefused) throw new CliError(error.message);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') {
          const why = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : 'not a directory';
          throw new CliError(`cannot write ${options.out}: ${why}`);
        }
        throw error;
      }
    });
