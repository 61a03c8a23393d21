import { Command } from 'commander';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { dataOption, requireWave, waveOption, withStores } from './store-options.js';

const counted = (counts: Readonly<Record<string, number>>) =>
  [
    `${counts.roster} roster entries (names and email addresses)`,
    `${counts.invitations} invitations`,
    `${counts.links} further links`,
    `${counts.sessions} respondent sessions`,
    `${counts.drafts} part-one drafts never sent`,
    `${counts.messages} emails in the outbox`,
    `the identifying answers of ${counts.partOneStripped} part ones`,
  ].join(', ');

/**
 * `retention`: how long each wave keeps what identifies people, and the erasure once that ends. The
 * server applies it at start and daily; `apply` does it now, `--dry-run` says what would go.
 */
export const retentionCommand = (io: CliIo) => {
  const command = new Command('retention').description(
    "How long each wave keeps its roster, invitations, links, sessions, drafts, emails and part one's identifying answers, and their erasure once that day has passed",
  );
  command
    .command('show')
    .description(
      "each wave's retention: the day through which it keeps what identifies people, whether part one is kept whole, and whether it has been applied",
    )
    .addOption(dataOption())
    .action(async (options: { data: string }) => {
      const { listRetention } = await import('../storage/retention-store.js');
      await withStores(io, options.data, async (stores) => {
        const all = await listRetention(stores.identifiable);
        if (all.length === 0) writeLine(io.stderr, 'no wave has a retention set');
        for (const r of all)
          writeLine(
            io.stdout,
            [
              r.waveId,
              r.contactsUntil,
              r.keepPartOne ? 'part one kept whole' : "part one's identifying answers erased",
              r.appliedAt === null ? 'not applied' : `applied ${new Date(r.appliedAt).toISOString()}`,
            ].join('\t'),
          );
      });
    });
  command
    .command('set')
    .description("set a wave's retention: what identifies people is kept through --until (YYYY-MM-DD, UK time), then erased")
    .addOption(dataOption())
    .addOption(waveOption())
    .requiredOption('--until <date>', 'the last day to keep it, YYYY-MM-DD')
    .option('--keep-part-one', 'keep part one whole (without this or --no-keep-part-one, the choice stays as it was)')
    .option('--no-keep-part-one', "erase part one's identifying answers with the contacts")
    .action(async (options: { data: string; wave: string; until: string; keepPartOne?: boolean }) => {
      const { realIsoDate } = await import('../waves/index.js');
      if (!realIsoDate(options.until))
        throw new CliError(`--until: expected a date as YYYY-MM-DD, such as 2027-06-30, got ${JSON.stringify(options.until)}`, 2);
      const { findRetention } = await import('../storage/retention-store.js');
      const { changeRetention } = await import('../data-protection/index.js');
      await withStores(io, options.data, async (stores) => {
        const wave = await requireWave(stores, options.wave);
        const before = await findRetention(stores.identifiable, wave.id);
        if (before?.appliedAt != null)
          writeLine(io.stderr, `wave ${wave.id}'s retention was applied already: what it erased stays erased; the new date applies to what it holds now`);
        const keepPartOne = options.keepPartOne ?? before?.keepPartOne ?? false;
        await changeRetention(
          stores.identifiable,
          wave.id,
          { contactsUntil: options.until, keepPartOne },
          { actor: null, via: 'command line', now: Date.now() },
        );
        writeLine(io.stderr, `wave ${wave.id} keeps what identifies people through ${options.until}${keepPartOne ? ', and part one whole' : ''}`);
      });
    });
  command
    .command('apply')
    .description('erase now what every wave whose retention has ended still holds; --dry-run says what would go and changes nothing')
    .addOption(dataOption())
    .option('--dry-run', 'say what would be erased, and erase nothing')
    .action(async (options: { data: string; dryRun?: boolean }) => {
      const { applyRetention, planRetention, rewriteIdentifiable, StoreRewriteBlocked } = await import('../data-protection/index.js');
      const { todayInUk } = await import('../waves/index.js');
      const today = todayInUk(Date.now());
      await withStores(io, options.data, async (stores) => {
        let erasures;
        try {
          erasures = options.dryRun
            ? await planRetention(stores.identifiable, today)
            : await applyRetention(stores, today, { actor: null, via: 'command line', now: Date.now() });
          // With nothing due, the store is rewritten all the same: an erasure whose rewrite another
          // process stopped (a person's, which is not run again) leaves nothing behind after this.
          if (!options.dryRun && erasures.length === 0) await rewriteIdentifiable(stores.identifiable);
        } catch (error) {
          if (error instanceof StoreRewriteBlocked) throw new CliError(`${error.message}; what is due is erased again when retention next runs`);
          throw error;
        }
        if (erasures.length === 0) writeLine(io.stderr, 'no wave has a retention that has ended and not been applied');
        for (const e of erasures)
          writeLine(io.stdout, `${e.waveId}\t${options.dryRun ? 'would erase' : 'erased'}: ${counted(e.counts as unknown as Record<string, number>)}`);
      });
    });
  return command;
};
