import { Command, Option } from 'commander';
import { defaultK } from '../../analysis/disclosure/disclosure-types.js';
import { PackageRefused, writeResearchPackage } from '../downloads/research-package.js';
import { withAnonymousSnapshot } from '../storage/anonymous-snapshot.js';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { dataOption, requireWave, waveOption, withStores } from './store-options.js';

/** k = 1 would release every value as it is: no protection at all. */
const kValue = (text: string): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 2) throw new CliError(`--k must be a whole number of at least 2, got "${text}"`, 2);
  return n;
};

export const packageCommand = (io: CliIo) =>
  new Command('package')
    .description(
      'Researcher download of one wave: part two after disclosure control as CSV (import format), its codebook ' +
        '(Frictionless datapackage.json) and a README, zipped. Part one is never included.',
    )
    .addOption(dataOption())
    .addOption(waveOption())
    .addOption(new Option('--out <file>', 'the zip file to write (atomically)').makeOptionMandatory())
    .addOption(new Option('--k <k>', 'every released number and combination of quasi-identifiers is held by at least k rows').default(defaultK).argParser(kValue))
    .action(async (options: { data: string; wave: string; out: string; k: number }) => {
      try {
        const pkg = await withStores(io, options.data, async (stores) => {
          const wave = await requireWave(stores, options.wave);
          // The package itself is given the anonymous store alone (a private copy of it, so that the server
          // can go on scrubbing while the package is made); the wave comes from the identifiable store.
          return withAnonymousSnapshot(stores, (anonymous) =>
            writeResearchPackage({ anonymous }, { waveId: wave.id, wave, k: options.k }, resolvePath(io, options.out)),
          );
        });
        const { report } = pkg;
        if (report.withheld) writeLine(io.stderr, `warning: no rows released: ${report.withheld}`);
        writeLine(
          io.stdout,
          `wrote the research package of wave ${pkg.waveId} to ${options.out}: ${report.rows} row${report.rows === 1 ? '' : 's'} of part two, ` +
            `${pkg.columns} columns, k = ${report.k}, ${report.localSuppression.cells} quasi-identifier answers blanked, ` +
            `${report.numbers.length} numeric variables coded; part one is not included`,
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
