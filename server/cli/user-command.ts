import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import { Command, Option } from 'commander';
import { normaliseEmail, staffRoles, type StaffRole } from '../storage/staff-user-store.js';
import { CliError, writeLine, type CliIo } from './cli-io.js';
import { dataOption, withStores } from './store-options.js';

/** Staff accounts from the command line. A password is never an option: it would stay in the shell's history and in `ps`. */

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const via = 'command line';

const emailOption = () => new Option('--email <email>', "the staff member's email address, which they sign in with").makeOptionMandatory();

/** The --email value, trimmed and lower-cased, or a usage error. */
const checkEmail = (text: string): string => {
  const email = normaliseEmail(text);
  if (email.length > 254 || !emailPattern.test(email))
    throw new CliError(`--email: expected an email address like name@example.org, got ${JSON.stringify(text)}`, 2);
  return email;
};

const isTty = (stream: Readable) => (stream as Readable & { isTTY?: boolean }).isTTY === true;

/** The first line of a (non-terminal) standard input, without its line ending; undefined when empty. */
export const readFirstLine = (input: Readable, maxBytes = 4096): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: Error | undefined, line?: string) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      // Stop reading: the rest of the input is not for us, and a pipe still open would keep the process alive.
      input.destroy();
      if (error) reject(error);
      else resolve(line);
    };
    const text = (bytes: Buffer) =>
      bytes
        .toString('utf8')
        .replace(/^\ufeff/, '')
        .replace(/\r$/, '');
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(bytes);
      size += bytes.length;
      const all = Buffer.concat(chunks);
      const end = all.indexOf(0x0a);
      if (end >= 0 && end <= maxBytes) return finish(undefined, text(all.subarray(0, end)));
      if (size > maxBytes) finish(new CliError(`the first line of standard input is longer than ${maxBytes} bytes: expected the password alone on it`));
    };
    const onEnd = () => finish(undefined, size === 0 ? undefined : text(Buffer.concat(chunks)));
    const onError = (error: Error) => finish(error);
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    input.resume();
  });

/** Asks on the terminal without echoing what is typed; `nothingDone` ends the message if cancelled. */
const promptHidden = (io: CliIo, question: string, nothingDone: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
    const rl = createInterface({ input: io.stdin, output: muted, terminal: true });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      io.stderr.write('\n');
      rl.close();
      action();
    };
    io.stderr.write(question);
    rl.once('line', (line) => settle(() => resolve(line)));
    rl.once('SIGINT', () => settle(() => reject(new CliError(`cancelled: ${nothingDone.toLowerCase()}`))));
    rl.once('close', () => settle(() => reject(new CliError(`cancelled: ${nothingDone.toLowerCase()}`))));
  });

const noAccountAdded = 'No account was added';

const refusal = (problems: readonly string[], nothingDone: string) => `the password was refused: ${problems.join('; ')}. ${nothingDone}`;

/**
 * The new account's password: from a terminal, typed twice without echo (three tries); otherwise the
 * first line of standard input (`printf '%s\n' "$PW" | npm run cli -- user add ...`).
 */
const readNewPassword = async (io: CliIo, email: string, nothingDone = noAccountAdded): Promise<string> => {
  const { passwordProblems } = await import('../security/passwords.js');
  if (!isTty(io.stdin)) {
    const line = await readFirstLine(io.stdin);
    if (line === undefined) {
      throw new CliError('no password on standard input: give it as the first line of standard input, or run the command in a terminal to be asked for it');
    }
    const problems = passwordProblems(line, { email });
    if (problems.length > 0) throw new CliError(refusal(problems, nothingDone));
    return line;
  }
  for (let attempt = 1; ; attempt++) {
    const password = await promptHidden(io, `Password for ${email} (at least 12 characters; not shown): `, nothingDone);
    const problems = passwordProblems(password, { email });
    const again = problems.length === 0 ? await promptHidden(io, 'The same password again: ', nothingDone) : undefined;
    if (problems.length === 0 && again === password) return password;
    const why = problems.length > 0 ? refusal(problems, nothingDone) : `the two passwords differ. ${nothingDone}`;
    if (attempt === 3) throw new CliError(why);
    writeLine(io.stderr, `${why.slice(0, -(nothingDone.length + 2))}; try again`);
  }
};

const addCommand = (io: CliIo) =>
  new Command('add')
    .description('Add a staff account; the password is read from standard input (first line) or asked for in a terminal, never given as an option')
    .addOption(dataOption())
    .addOption(emailOption())
    .addOption(new Option('--role <role>', 'what the account may do').choices(staffRoles).makeOptionMandatory())
    .action(async (options: { data: string; email: string; role: StaffRole }) => {
      const { hashPassword } = await import('../security/passwords.js');
      const { insertAccount } = await import('../accounts/index.js');
      const { DuplicateStaffEmail, findStaffUserByEmail } = await import('../storage/staff-user-store.js');
      const email = checkEmail(options.email);
      const user = await withStores(io, options.data, async ({ identifiable }) => {
        // Before asking for a password, so nobody types one for nothing.
        if (await findStaffUserByEmail(identifiable, email)) throw new CliError(`a staff account with the email ${email} already exists: no account was added`);
        const password = await readNewPassword(io, email);
        const passwordHash = await hashPassword(password);
        try {
          return await insertAccount(identifiable, { email, role: options.role, passwordHash }, { actor: null, via, now: Date.now() });
        } catch (error) {
          if (error instanceof DuplicateStaffEmail) throw new CliError(`${error.message}: no account was added`);
          throw error;
        }
      });
      writeLine(io.stdout, `added staff account ${user.email} (${user.role})`);
    });

const listCommand = (io: CliIo) =>
  new Command('list')
    .description('List staff accounts: email, role, active or disabled, date added (never password hashes)')
    .addOption(dataOption())
    .option('--json', 'print JSON')
    .action(async (options: { data: string; json?: boolean }) => {
      const { listStaffUsers } = await import('../storage/staff-user-store.js');
      const users = await withStores(io, options.data, ({ identifiable }) => listStaffUsers(identifiable));
      const rows = users.map((u) => ({ email: u.email, role: u.role, status: u.disabled ? 'disabled' : 'active', added: new Date(u.createdAt).toISOString() }));
      if (options.json) return writeLine(io.stdout, JSON.stringify(rows, null, 2));
      if (rows.length === 0) return writeLine(io.stderr, 'no staff accounts yet: add one with "user add --role admin --email you@example.org"');
      const table = [['email', 'role', 'status', 'added'], ...rows.map((r) => [r.email, r.role, r.status, r.added.slice(0, 10)])];
      const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => [...r[i]!].length)));
      for (const r of table)
        writeLine(io.stdout, r.map((text, i) => (i === r.length - 1 ? text : text + ' '.repeat(widths[i]! - [...text].length))).join('  '));
    });

const disableCommand = (io: CliIo) =>
  new Command('disable')
    .description('Disable a staff account: it can no longer sign in, and its sessions end at once')
    .addOption(dataOption())
    .addOption(emailOption())
    .action(async (options: { data: string; email: string }) => {
      const { disableAccount } = await import('../accounts/index.js');
      const { findStaffUserByEmail } = await import('../storage/staff-user-store.js');
      const email = checkEmail(options.email);
      const changed = await withStores(io, options.data, async ({ identifiable }) => {
        const user = await findStaffUserByEmail(identifiable, email);
        if (!user) throw new CliError(`no staff account has the email ${email}`);
        return disableAccount(identifiable, user, { actor: null, via, now: Date.now() });
      });
      writeLine(
        io.stdout,
        changed ? `disabled staff account ${email}: it can no longer sign in, and its sessions have ended` : `staff account ${email} was already disabled`,
      );
    });

const enableCommand = (io: CliIo) =>
  new Command('enable')
    .description(
      'Re-enable a disabled staff account with a new password, read like the one of "user add": the old password does not come back, and the person signs in afresh',
    )
    .addOption(dataOption())
    .addOption(emailOption())
    .action(async (options: { data: string; email: string }) => {
      const { enableAccount } = await import('../accounts/index.js');
      const { findStaffUserByEmail } = await import('../storage/staff-user-store.js');
      const email = checkEmail(options.email);
      const changed = await withStores(io, options.data, async ({ identifiable }) => {
        const user = await findStaffUserByEmail(identifiable, email);
        if (!user) throw new CliError(`no staff account has the email ${email}`);
        // Before asking for a password, so nobody types one for nothing.
        if (!user.disabled) return false;
        const password = await readNewPassword(io, email, 'The account was not re-enabled');
        const result = await enableAccount(identifiable, user, { password, confirm: password }, { actor: null, via, now: Date.now() });
        if (!result.ok && result.reason === 'invalid')
          throw new CliError(`${result.problems.map((p) => p.message).join('; ')}. The account was not re-enabled`);
        return result.ok;
      });
      writeLine(
        io.stdout,
        changed ? `re-enabled staff account ${email}: it signs in with the new password` : `staff account ${email} is not disabled: nothing was changed`,
      );
    });

export const userCommand = (io: CliIo) => {
  const command = new Command('user').description('Manage staff accounts (admin, analyst, researcher)');
  command.addCommand(addCommand(io));
  command.addCommand(listCommand(io));
  command.addCommand(disableCommand(io));
  command.addCommand(enableCommand(io));
  return command;
};
