import { Command } from 'commander';
import type { Wave } from '../../survey-definitions/index.js';
import { neutralise } from '../csv/formula-guard.js';
import { publicUrlExpected, publicUrlOf } from '../http/public-url.js';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { dataOption, requireWave, waveOption, withStores } from './store-options.js';

export const defaultBaseUrl = 'http://127.0.0.1:3000';

/** The public address links start with: http(s), no query or fragment, no trailing slash. */
export const parseBaseUrl = (text: string, source: string, exitCode: number): string => {
  const url = publicUrlOf(text);
  if (url === undefined) throw new CliError(`${source} must be ${publicUrlExpected}, got ${JSON.stringify(text)}`, exitCode);
  return url;
};

const councils = (n: number) => `${n} council${n === 1 ? '' : 's'}`;

/**
 * One cell of a tab-separated line, which people paste into a spreadsheet or mail merge: the project's
 * formula guard first (a name such as =HYPERLINK(...) would otherwise run there), then every control
 * character or line separator becomes a space, so no roster value can start a new cell or line. Roster
 * import already refuses such characters; this holds for rows that reached the store another way. The
 * guard runs first so that its quote still leads a cell that began with a tab or carriage return.
 */
const cell = (text: string) => neutralise(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');

const secondPartTwo = 'a new link would allow a second part-two answer';

/** The --council codes, checked against the wave's definition before any store is opened. */
const checkCodes = async (wave: Wave, codes: readonly string[]): Promise<string[]> => {
  const { definitionOfWave } = await import('../../survey-definitions/index.js');
  const { councilOptions, suggestCouncil } = await import('../waves/index.js');
  const options = councilOptions(definitionOfWave(wave));
  const known = new Set(options.map((o) => o.code));
  const problems = codes
    .filter((c) => !known.has(c))
    .map((c) => {
      const suggestion = suggestCouncil(c, options);
      return `--council: expected a council code such as ${options[0]?.code}, got ${JSON.stringify(c)}${suggestion ? `; did you mean "${suggestion}"?` : ''}`;
    });
  if (problems.length > 0) throw new CliError(problems.join('\n'), 2);
  return [...new Set(codes)];
};

export const inviteCommand = (io: CliIo) =>
  new Command('invite')
    .summary('Open the wave and print a new invitation link for each council on its roster that has none')
    .description(
      'Open the wave and make an invitation link for each council on its roster that has none yet (or for the councils named). ' +
        'Prints one tab-separated line per new link: council code, name, email, link. ' +
        'Only a hash of each link is stored: the printed line is the only copy. ' +
        'A council that has submitted part one never gets a new link (it would allow a second part-two answer).',
    )
    .addOption(dataOption())
    .addOption(waveOption())
    .option('--base-url <url>', `address the links start with (default: PUBLIC_URL, else ${defaultBaseUrl})`)
    .option('--council <code...>', 'only these councils (codes, e.g. fife); refused if any has submitted part one')
    .option('--reissue', 'replace existing links: the old ones stop working and a draft saved under them is discarded')
    .option('--header', 'print a header line local_authority, name, email, link first')
    .action(async (options: { data: string; wave: string; baseUrl?: string; council?: string[]; reissue?: boolean; header?: boolean }) => {
      const { invitationLink, issueLinks, planInvitations, SubmittedMeanwhile } = await import('../waves/index.js');
      const baseUrl =
        options.baseUrl !== undefined
          ? parseBaseUrl(options.baseUrl, '--base-url', 2)
          : process.env.PUBLIC_URL
            ? parseBaseUrl(process.env.PUBLIC_URL, 'PUBLIC_URL', 1)
            : defaultBaseUrl;
      const reissue = options.reissue === true;

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

        // All links are made in one transaction: a failure part-way issues none, so no link is lost.
        let issued;
        try {
          issued = await issueLinks(stores, wave, toIssue, { actor: null, via: 'command line', now: Date.now() });
        } catch (error) {
          if (error instanceof SubmittedMeanwhile) throw new CliError(error.message);
          throw error;
        }
        if (issued.openedFrom) writeLine(io.stderr, `wave ${wave.id} is now open (it was ${issued.openedFrom})`);

        if (options.header) writeLine(io.stdout, ['local_authority', 'name', 'email', 'link'].map(cell).join('\t'));
        for (const l of issued.links) writeLine(io.stdout, [l.council, l.name, l.email, invitationLink(baseUrl, l.secret)].map(cell).join('\t'));
        if (issued.links.length === 0) writeLine(io.stderr, 'no invitations were issued');
      });
    });
