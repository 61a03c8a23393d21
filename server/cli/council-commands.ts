import type { Wave } from '../../survey-definitions/index.js';
import { neutralise } from '../csv/formula-guard.js';
import { publicUrlExpected, publicUrlOf } from '../http/public-url.js';
import type { MailSettings } from '../mail/mail-settings.js';
import type { Mailer } from '../mail/mail-transport.js';
import type { SendRound } from '../mail/outbox-sender.js';
import type { Stores } from '../storage/open-stores.js';
import { CliError, writeLine, type CliIo } from './cli-io.js';

/**
 * What `invite` and `remind` share: the links' address, council codes, lines to paste, and sending. Like
 * the commands' own modules (store-options.ts), it loads what it runs when it runs it.
 */

export const defaultBaseUrl = 'http://127.0.0.1:3000';

/** The public address links start with: http(s), no query or fragment, no trailing slash. */
export const parseBaseUrl = (text: string, source: string, exitCode: number): string => {
  const url = publicUrlOf(text);
  if (url === undefined) throw new CliError(`${source} must be ${publicUrlExpected}, got ${JSON.stringify(text)}`, exitCode);
  return url;
};

/** --base-url, else PUBLIC_URL, else the address `npm start` listens on. */
export const baseUrlOf = (given: string | undefined): string =>
  given !== undefined ? parseBaseUrl(given, '--base-url', 2) : process.env.PUBLIC_URL ? parseBaseUrl(process.env.PUBLIC_URL, 'PUBLIC_URL', 1) : defaultBaseUrl;

export const councils = (n: number) => `${n} council${n === 1 ? '' : 's'}`;

/**
 * One cell of a tab-separated line, which people paste into a spreadsheet or mail merge: the project's
 * formula guard first (a name such as =HYPERLINK(...) would otherwise run there), then every control
 * character or line separator becomes a space, so no roster value can start a new cell or line. Roster
 * import already refuses such characters; this holds for rows that reached the store another way. The
 * guard runs first so that its quote still leads a cell that began with a tab or carriage return.
 */
export const cell = (text: string) => neutralise(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');

export const tabLine = (cells: readonly string[]) => cells.map(cell).join('\t');

/** The --council codes, checked against the wave's definition before any store is opened. */
export const checkCodes = async (wave: Wave, codes: readonly string[]): Promise<string[]> => {
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

export interface ReadyMailer {
  readonly settings: MailSettings;
  readonly mailer: Mailer;
  /** SUPPORT_EMAIL, as the messages' `{support}` gives it. */
  readonly support: string;
}

/** The mail server from the environment, checked (connection and login) before anything is changed. */
export const readyMailer = async (): Promise<ReadyMailer> => {
  const { readMailSettings } = await import('../mail/mail-settings.js');
  const { smtpMailer } = await import('../mail/mail-transport.js');
  const { readSupportEmail } = await import('../app/config.js');
  const reading = readMailSettings(process.env);
  const support = readSupportEmail(process.env);
  const problems = [...(reading.ok ? [] : reading.problems), ...(support.ok ? [] : [support.problem])];
  if (!reading.ok || !support.ok) throw new CliError(problems.join('\n'), 1);
  if (!reading.settings)
    throw new CliError('email is not set up: set SMTP_URL and MAIL_FROM (README, "Invitations and reminders by email"); nothing was changed');
  const mailer = smtpMailer(reading.settings);
  const check = await mailer.check();
  if (!check.ok) {
    mailer.close();
    throw new CliError(`${check.reason}; nothing was changed`);
  }
  return { settings: reading.settings, mailer, support: support.address };
};

const when = (at: number) => `${new Date(at).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/**
 * Sends what is due in the wave's outbox (what was just queued, and any message put off earlier) and
 * prints a line for each council: code, name, email, what became of its message (never a link). A message
 * the mail server put off stays queued, for the running server or the same command run again.
 */
export const sendAndReport = async (
  io: CliIo,
  stores: Stores,
  waveId: string,
  names: ReadonlyMap<string, string>,
  { settings, mailer, support }: ReadyMailer,
  { again, whenFailed }: { again: string; whenFailed: string },
): Promise<SendRound> => {
  const { loadServerKey } = await import('../security/server-key.js');
  const { councilMailSender } = await import('../waves/index.js');
  const round = await councilMailSender(stores.identifiable, loadServerKey(stores.location), { settings, mailer, support }).sendDue({ waveId });
  for (const r of round.results) {
    const outcome =
      r.outcome === 'sent'
        ? 'sent'
        : r.outcome === 'retrying'
          ? `not sent yet, tried again after ${when(r.nextAttemptAt!)}: ${r.reason}`
          : `failed: ${r.reason}`;
    writeLine(io.stdout, tabLine([r.council, names.get(r.council) ?? '', r.recipient, outcome]));
  }
  writeLine(
    io.stderr,
    `emailed ${councils(round.sent)}` +
      (round.retrying > 0 ? `; ${councils(round.retrying)} put off by the mail server, to be tried again by the running server or by ${again}` : '') +
      (round.failed > 0 ? `; ${councils(round.failed)} failed for good: ${whenFailed}` : ''),
  );
  if (round.failed > 0) throw new CliError(`${councils(round.failed)} could not be emailed (see the lines above)`);
  return round;
};
