import { Command, Option } from 'commander';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { dataOption, withStores } from './store-options.js';

/**
 * `person`: a CSWO's requests under UK GDPR, found by the email address on the rosters: `show` writes
 * everything the identifiable store holds about them (subject access), `erase` erases it (with a reason).
 * Both are audited, without the address. Part two cannot be found for a person, and each says so.
 */
export const personCommand = (io: CliIo) => {
  const command = new Command('person').description(
    "A CSWO's requests (UK GDPR Articles 15 and 17), found by their email address on the rosters: what is held about them, and its erasure",
  );
  command
    .command('show')
    .description('write everything held about the person (roster entries, their council part one and draft, invitations, emails sent) as JSON or CSV')
    .addOption(dataOption())
    .requiredOption('--email <address>', 'the email address on the roster')
    .addOption(new Option('--format <format>', 'json or csv').choices(['json', 'csv']).default('json'))
    .action(async (options: { data: string; email: string; format: 'json' | 'csv' }) => {
      const { findPerson, partTwoExplanation, personAuditActions, personCsv, personJson } = await import('../data-protection/index.js');
      const { appendAuditEvent } = await import('../storage/audit-log-store.js');
      await withStores(io, options.data, async (stores) => {
        const record = await findPerson(stores.identifiable, options.email);
        if (record.entries.length === 0) throw new CliError(`no roster holds the email address ${options.email}: nothing is held under it`);
        await appendAuditEvent(stores.identifiable, {
          actor: null,
          action: personAuditActions.access,
          detail: { entries: record.entries.map((e) => `${e.wave}/${e.council}`), format: options.format, via: 'command line' },
        });
        io.stdout.write(options.format === 'csv' ? personCsv(record) : personJson(record));
        writeLine(io.stderr, partTwoExplanation);
      });
    });
  command
    .command('erase')
    .description("erase the person's roster entries and, in those waves, their council's part one and draft, invitation, links, sessions and emails")
    .addOption(dataOption())
    .requiredOption('--email <address>', 'the email address on the roster')
    .requiredOption('--reason <text>', 'why, for the audit log, without naming the person (for example: "erasure request of 7 December 2026")')
    .action(async (options: { data: string; email: string; reason: string }) => {
      if (options.reason.trim() === '') throw new CliError('--reason: say why, for the audit log', 2);
      const { erasePerson, partTwoExplanation, StoreRewriteBlocked } = await import('../data-protection/index.js');
      await withStores(io, options.data, async (stores) => {
        let erased;
        try {
          erased = await erasePerson(stores, options.email, options.reason.trim(), { actor: null, via: 'command line', now: Date.now() });
        } catch (error) {
          if (error instanceof StoreRewriteBlocked)
            throw new CliError(`erased from the tables, but ${error.message}: then run "retention apply", which rewrites the store`);
          throw error;
        }
        if (erased.entries === 0) throw new CliError(`no roster holds the email address ${options.email}: nothing was erased`);
        writeLine(
          io.stdout,
          `erased ${erased.entries} roster entries, ${erased.partOnes} part ones, ${erased.invitations} invitations and ${erased.messages} emails`,
        );
        writeLine(io.stderr, partTwoExplanation);
      });
    });
  return command;
};
