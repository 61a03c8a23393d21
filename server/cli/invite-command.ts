import { Command } from 'commander';
import type { StoredWave } from '../storage/wave-store.js';
import type { Stores } from '../storage/open-stores.js';
import type { RosterCouncil } from '../waves/index.js';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { baseUrlOf, checkCodes, councils, defaultBaseUrl, readyMailer, sendAndReport, tabLine, type ReadyMailer } from './council-commands.js';
import { dataOption, requireWave, waveOption, withStores } from './store-options.js';

const secondPartTwo = 'a new link would allow a second part-two answer';

/**
 * Links made and their messages queued in one transaction, then sent; what became of each council's
 * message is printed, never its link.
 */
const sendInvitations = async (io: CliIo, stores: Stores, wave: StoredWave, toIssue: readonly RosterCouncil[], baseUrl: string, mail: ReadyMailer) => {
  const { loadServerKey } = await import('../security/server-key.js');
  const { queueInvitationEmails, SubmittedMeanwhile } = await import('../waves/index.js');
  let queued;
  try {
    queued = await queueInvitationEmails(stores, loadServerKey(stores.location), wave, toIssue, { actor: null, via: 'command line', now: Date.now() }, baseUrl);
  } catch (error) {
    if (error instanceof SubmittedMeanwhile) throw new CliError(error.message);
    throw error;
  }
  if (queued.openedFrom) writeLine(io.stderr, `wave ${wave.id} is now open (it was ${queued.openedFrom})`);
  if (queued.queued.length === 0) writeLine(io.stderr, 'no invitations were issued');
  await sendAndReport(io, stores, wave.id, new Map(toIssue.map((r) => [r.council, r.name])), mail, {
    again: 'invite --send',
    whenFailed: 'issue their links again (invite --send --reissue --council …) once the address on the roster is right',
  });
};

export const inviteCommand = (io: CliIo) =>
  new Command('invite')
    .summary('Open the wave and print a new invitation link for each council on its roster that has none')
    .description(
      'Open the wave and make an invitation link for each council on its roster that has none yet (or for the councils named). ' +
        'Prints one tab-separated line per new link: council code, name, email, link. ' +
        'Only a hash of each link is stored: the printed line is the only copy. ' +
        'With --send, each link is emailed to the council instead (the message is its only copy) and the line says what became of the message. ' +
        'A council that has submitted part one never gets a new link (it would allow a second part-two answer).',
    )
    .addOption(dataOption())
    .addOption(waveOption())
    .option('--base-url <url>', `address the links start with (default: PUBLIC_URL, else ${defaultBaseUrl})`)
    .option('--council <code...>', 'only these councils (codes, e.g. fife); refused if any has submitted part one')
    .option('--reissue', 'replace existing links: the old ones stop working and a draft saved under them is discarded')
    .option('--header', 'print a header line local_authority, name, email, link first')
    .option(
      '--send',
      "email each new link to the council's roster address (needs SMTP_URL and MAIL_FROM) instead of printing it; prints one line per council: code, name, email, what became of the message",
    )
    .action(async (options: { data: string; wave: string; baseUrl?: string; council?: string[]; reissue?: boolean; header?: boolean; send?: boolean }) => {
      const { invitationLink, issueLinks, planInvitations, SubmittedMeanwhile } = await import('../waves/index.js');
      const baseUrl = baseUrlOf(options.baseUrl);
      const reissue = options.reissue === true;
      if (options.send && options.header) throw new CliError('--header heads printed links: with --send no link is printed', 2);
      const mail = options.send ? await readyMailer() : undefined;

      try {
        await withStores(io, options.data, async (stores) => {
          const db = stores.identifiable;
          const wave = await requireWave(stores, options.wave);
          const named = options.council === undefined ? undefined : await checkCodes(wave, options.council);
          const plan = await planInvitations(db, wave.id, { councils: named, reissue });
          if (plan.roster.length === 0) {
            throw new CliError(`wave ${wave.id} has no roster: import one first with "roster import --wave ${wave.id} FILE.csv"`);
          }
          if (plan.notOnRoster.length > 0)
            throw new CliError(`not on the roster of wave ${wave.id}: ${plan.notOnRoster.join(', ')} (add them with roster import)`);
          const { alreadyInvited, submitted, toIssue } = plan;
          // Councils asked for by name are all served or none: nothing is changed.
          if (named && submitted.length > 0) {
            const which = submitted.map((r) => r.council).join(', ');
            throw new CliError(
              `${which} ${submitted.length === 1 ? 'has' : 'have'} already submitted part one for wave ${wave.id}: ${secondPartTwo}; nothing was changed`,
            );
          }

          if (alreadyInvited.length > 0) {
            writeLine(
              io.stderr,
              `${councils(alreadyInvited.length)} already ${alreadyInvited.length === 1 ? 'has an invitation' : 'have invitations'} (use --reissue to replace their links)`,
            );
          }
          if (submitted.length > 0) {
            writeLine(
              io.stderr,
              `no new link for ${councils(submitted.length)} that already submitted part one (${secondPartTwo}): ${submitted.map((r) => r.council).join(', ')}`,
            );
          }

          if (mail) return sendInvitations(io, stores, wave, toIssue, baseUrl, mail);
          // All links are made in one transaction: a failure part-way issues none, so no link is lost.
          let issued;
          try {
            issued = await issueLinks(stores, wave, toIssue, { actor: null, via: 'command line', now: Date.now() });
          } catch (error) {
            if (error instanceof SubmittedMeanwhile) throw new CliError(error.message);
            throw error;
          }
          if (issued.openedFrom) writeLine(io.stderr, `wave ${wave.id} is now open (it was ${issued.openedFrom})`);

          if (options.header) writeLine(io.stdout, tabLine(['local_authority', 'name', 'email', 'link']));
          for (const l of issued.links) writeLine(io.stdout, tabLine([l.council, l.name, l.email, invitationLink(baseUrl, l.secret)]));
          if (issued.links.length === 0) writeLine(io.stderr, 'no invitations were issued');
        });
      } finally {
        mail?.mailer.close();
      }
    });
