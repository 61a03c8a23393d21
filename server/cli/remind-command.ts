import { Command, Option } from 'commander';
import type { ReminderPart } from '../waves/index.js';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { baseUrlOf, checkCodes, councils, defaultBaseUrl, readyMailer, sendAndReport, tabLine } from './council-commands.js';
import { dataOption, requireWave, waveOption, withStores } from './store-options.js';

const listed = (rows: readonly { council: string }[]) => rows.map((r) => r.council).join(', ');

export const remindCommand = (io: CliIo) =>
  new Command('remind')
    .summary('List, then with --send email, a reminder to the councils that have not finished')
    .description(
      'Part one: a reminder to each invited council whose part one is not submitted, with a new personal link (the links it holds keep working). ' +
        'Part two: a reminder to every council that has submitted part one, worded for those who have not finished part two, with the address where the part-two code is typed: ' +
        'whether a council has finished part two is recorded nowhere, so it cannot be asked. ' +
        'Both, unless --part names one. ' +
        'Without --send, lists who would be reminded (council code, name, email, and which reminder when both are listed) and sends nothing. ' +
        'With --send (needs SMTP_URL and MAIL_FROM), sends and prints one line per council: code, name, email, what became of the message.',
    )
    .addOption(dataOption())
    .addOption(waveOption())
    .addOption(new Option('--part <part>', 'only the reminder of this part (default: both)').choices(['one', 'two']))
    .option('--council <code...>', 'only these councils (codes, e.g. fife)')
    .option('--base-url <url>', `address the links start with (default: PUBLIC_URL, else ${defaultBaseUrl})`)
    .option('--send', 'send the reminders (without it, only list who would get one)')
    .action(async (options: { data: string; wave: string; part?: ReminderPart; council?: string[]; baseUrl?: string; send?: boolean }) => {
      const { loadServerKey } = await import('../security/server-key.js');
      const { planReminders, queueReminders, SubmittedMeanwhile, WaveNotOpen } = await import('../waves/index.js');
      const baseUrl = baseUrlOf(options.baseUrl);
      const parts: readonly ReminderPart[] = options.part ? [options.part] : ['one', 'two'];
      const mail = options.send ? await readyMailer() : undefined;
      try {
        await withStores(io, options.data, async (stores) => {
          const wave = await requireWave(stores, options.wave);
          const named = options.council === undefined ? undefined : await checkCodes(wave, options.council);
          const plans = [];
          for (const part of parts) plans.push({ part, plan: await planReminders(stores.identifiable, wave.id, part, named ? { councils: named } : {}) });
          const { roster, notOnRoster } = plans[0]!.plan;
          if (roster.length === 0) throw new CliError(`wave ${wave.id} has no roster: import one first with "roster import --wave ${wave.id} FILE.csv"`);
          if (notOnRoster.length > 0) throw new CliError(`not on the roster of wave ${wave.id}: ${notOnRoster.join(', ')}`);
          for (const { part, plan } of plans) {
            if (plan.notInvited.length > 0)
              writeLine(io.stderr, `${councils(plan.notInvited.length)} not invited yet, so not reminded (invite them first): ${listed(plan.notInvited)}`);
            // With both parts, each council is left out of one of them: only the single part's list says who.
            if (plan.notConcerned.length > 0 && parts.length === 1)
              writeLine(
                io.stderr,
                part === 'one'
                  ? `${councils(plan.notConcerned.length)} already submitted part one: ${listed(plan.notConcerned)}`
                  : `${councils(plan.notConcerned.length)} not reminded of part two, as part one is not submitted yet: ${listed(plan.notConcerned)}`,
              );
          }
          const toRemind = plans.flatMap(({ part, plan }) => plan.toRemind.map((r) => ({ part, ...r })));
          if (!mail) {
            for (const r of toRemind) writeLine(io.stdout, tabLine([r.council, r.name, r.email, ...(parts.length > 1 ? [`part ${r.part}`] : [])]));
            for (const { part, plan } of plans)
              writeLine(
                io.stderr,
                plan.toRemind.length === 0
                  ? `nobody to remind of part ${part}`
                  : `${councils(plan.toRemind.length)} would be reminded of part ${part}: add --send to email them`,
              );
            return;
          }
          if (toRemind.length === 0) writeLine(io.stderr, 'nobody to remind');
          try {
            for (const { part, plan } of plans)
              await queueReminders(
                stores.identifiable,
                loadServerKey(stores.location),
                wave,
                part,
                plan.toRemind,
                { actor: null, via: 'command line', now: Date.now() },
                baseUrl,
              );
          } catch (error) {
            if (error instanceof SubmittedMeanwhile) throw new CliError(`${error.councils.join(', ')} submitted part one meanwhile; nothing was sent`);
            if (error instanceof WaveNotOpen) throw new CliError(`${error.message}; nothing was sent (wave open --wave ${wave.id} opens it)`);
            throw error;
          }
          await sendAndReport(io, stores, wave.id, new Map(toRemind.map((r) => [r.council, r.name])), mail, {
            again: `remind${options.part ? ` --part ${options.part}` : ''} --send`,
            whenFailed: 'correct their addresses on the roster and remind them again',
          });
        });
      } finally {
        mail?.mailer.close();
      }
    });
