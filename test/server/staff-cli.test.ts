import { runCliInMemory } from '../support/cli-in-memory.js';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/cli-program.js';
import { firstAdminHint } from '../../server/app/first-admin-hint.js';
import { verifyPassword } from '../../server/security/passwords.js';
import { findStaffSession, signIn } from '../../server/staff/staff-sessions.js';
import { startServer } from '../../server/app/serve.js';
import { openStores, type Stores } from '../../server/storage/open-stores.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli } from './helpers.js';
import { auditOf, PASSWORD } from './staff-helpers.js';

const tempDir = useTempDirs();

/** Runs a command with a PassThrough as standard input; `feed` writes to it (and may leave it open). */
const runWithStdin = async (cwd: string, argv: readonly string[], feed: (stdin: PassThrough) => void, stdin = new PassThrough()) => {
  feed(stdin);
  return runCliInMemory(cwd, argv, stdin);
};

const addUser = (cwd: string, email: string, role: string, stdinText: string) =>
  runWithStdin(cwd, ['user', 'add', '--email', email, '--role', role], (stdin) => stdin.end(stdinText));

const withDb = async <T>(cwd: string, work: (stores: Stores) => Promise<T>): Promise<T> => {
  const stores = await openStores({ dataDir: join(cwd, 'data') });
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
};

const usersOf = (cwd: string) => withDb(cwd, (s) => s.identifiable.selectFrom('staff_user').selectAll().orderBy('email').execute());

describe('user add', () => {
  it('adds an account with the password from the first line of standard input, hashed with argon2id, and audits it', async () => {
    const cwd = tempDir();
    const result = await addUser(cwd, 'Ann@Example.org', 'admin', `${PASSWORD}\nanything after the first line is ignored\n`);
    expect(result).toEqual({ code: 0, stdout: 'added staff account ann@example.org (admin)\n', stderr: '' });
    const [ann, ...others] = await usersOf(cwd);
    expect(others).toEqual([]);
    expect(ann).toMatchObject({ email: 'ann@example.org', role: 'admin', disabled: 0 });
    expect(ann!.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(ann!.password_hash, PASSWORD)).toBe(true);
    const audit = await withDb(cwd, (s) => auditOf(s));
    expect(audit).toEqual([{ actor: null, action: 'staff.user.add', detail: { email: 'ann@example.org', role: 'admin', via: 'command line' } }]);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    // The new account can sign in.
    const signedIn = await withDb(cwd, (s) => signIn(s.identifiable, { email: 'ann@example.org', password: PASSWORD }));
    expect(signedIn.ok).toBe(true);
  });

  it('reads only the first line, without waiting for standard input to end, and drops a Windows line ending', async () => {
    const cwd = tempDir();
    // The stream is never ended: the command must not wait for more.
    const result = await runWithStdin(cwd, ['user', 'add', '--email', 'bob@example.org', '--role', 'analyst'], (stdin) => stdin.write(`${PASSWORD}\r\n`));
    expect(result).toMatchObject({ code: 0, stdout: 'added staff account bob@example.org (analyst)\n' });
    const [bob] = await usersOf(cwd);
    expect(await verifyPassword(bob!.password_hash, PASSWORD)).toBe(true);
    expect(await verifyPassword(bob!.password_hash, `${PASSWORD}\r`)).toBe(false);
  });

  it('takes a last line without a line ending', async () => {
    const cwd = tempDir();
    expect((await addUser(cwd, 'cat@example.org', 'researcher', PASSWORD)).code).toBe(0);
    expect(await verifyPassword((await usersOf(cwd))[0]!.password_hash, PASSWORD)).toBe(true);
  });

  it('refuses an email that already has an account, in any case, before reading a password', async () => {
    const cwd = tempDir();
    await addUser(cwd, 'ann@example.org', 'admin', `${PASSWORD}\n`);
    const before = await usersOf(cwd);
    let read = false;
    const result = await runWithStdin(cwd, ['user', 'add', '--email', 'ANN@example.org', '--role', 'analyst'], (stdin) => {
      stdin.on('resume', () => (read = true));
      stdin.end('another password entirely\n');
    });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'error: a staff account with the email ann@example.org already exists: no account was added\n' });
    expect(read).toBe(false);
    expect(await usersOf(cwd)).toEqual(before);
  });

  it.each([
    ['too short', 'short\n', 'the password is too short: it must have at least 12 characters, and it has 5'],
    ['one character repeated', 'xxxxxxxxxxxxxxxx\n', 'the password is one character repeated: choose something harder to guess, such as a few unrelated words'],
    ['the email address', 'Dee@Example.org\n', 'the password is the email address: choose something else'],
    ['an empty first line', '\ncorrect horse battery staple\n', 'the password is empty: it must have at least 12 characters'],
  ])('refuses a password that is %s, saying why, and adds nothing', async (_what, stdinText, why) => {
    const cwd = tempDir();
    const result = await addUser(cwd, 'dee@example.org', 'analyst', stdinText);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `error: the password was refused: ${why}. No account was added\n` });
    expect(await usersOf(cwd)).toEqual([]);
    expect(await withDb(cwd, (s) => auditOf(s))).toEqual([]);
  });

  it('refuses an empty standard input', async () => {
    const cwd = tempDir();
    const result = await addUser(cwd, 'dee@example.org', 'analyst', '');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: no password on standard input: give it as the first line of standard input, or run the command in a terminal to be asked for it\n',
    );
  });

  it('has no password option, and refuses a bad email or role as a usage mistake', async () => {
    const cwd = tempDir();
    const withFlag = await cli(cwd, ['user', 'add', '--email', 'dee@example.org', '--role', 'admin', '--password', PASSWORD]);
    expect(withFlag.code).toBe(2);
    expect(withFlag.stderr).toContain("unknown option '--password'");
    const badEmail = await cli(cwd, ['user', 'add', '--email', 'dee', '--role', 'admin'], `${PASSWORD}\n`);
    expect(badEmail).toEqual({ code: 2, stdout: '', stderr: 'error: --email: expected an email address like name@example.org, got "dee"\n' });
    const badRole = await cli(cwd, ['user', 'add', '--email', 'dee@example.org', '--role', 'owner'], `${PASSWORD}\n`);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('Allowed choices are admin, analyst, researcher');
    const noRole = await cli(cwd, ['user', 'add', '--email', 'dee@example.org'], `${PASSWORD}\n`);
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toContain("required option '--role <role>' not specified");
  });

  it('asks twice on a terminal without echoing, and asks again when the two differ', async () => {
    const cwd = tempDir();
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const answers = ['first try of mine', 'first try of yours', PASSWORD, PASSWORD];
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    // Answer each prompt as it appears, as a person at the keyboard would.
    stderr.on('data', (c: Buffer) => {
      err += c.toString();
      const next = c.toString().endsWith(': ') ? answers.shift() : undefined;
      if (next !== undefined) setImmediate(() => stdin.write(`${next}\r`));
    });
    const code = await runCli(['user', 'add', '--email', 'eve@example.org', '--role', 'researcher'], { stdin, stdout, stderr, cwd });
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).toBe(0);
    expect(out).toBe('added staff account eve@example.org (researcher)\n');
    const ask = 'Password for eve@example.org (at least 12 characters; not shown): \nThe same password again: \n';
    expect(err).toBe(`${ask}the two passwords differ; try again\n${ask}`);
    expect(answers).toEqual([]);
    const [eve] = await usersOf(cwd);
    expect(await verifyPassword(eve!.password_hash, PASSWORD)).toBe(true);
  });
});

describe('user list', () => {
  it('lists accounts with role and status, and never prints password hashes', async () => {
    const cwd = tempDir();
    const none = await cli(cwd, ['user', 'list']);
    expect(none).toEqual({ code: 0, stdout: '', stderr: 'no staff accounts yet: add one with "user add --role admin --email you@example.org"\n' });
    await addUser(cwd, 'ann@example.org', 'admin', `${PASSWORD}\n`);
    await addUser(cwd, 'bob.longer.name@example.org', 'researcher', `${PASSWORD}\n`);
    await cli(cwd, ['user', 'disable', '--email', 'bob.longer.name@example.org']);
    const today = new Date().toISOString().slice(0, 10);
    const text = await cli(cwd, ['user', 'list']);
    expect(text).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'email                        role        status    added',
        `ann@example.org              admin       active    ${today}`,
        `bob.longer.name@example.org  researcher  disabled  ${today}`,
        '',
      ].join('\n'),
    });
    const json = await cli(cwd, ['user', 'list', '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(parsed.map((u) => Object.keys(u))).toEqual([
      ['email', 'role', 'status', 'added'],
      ['email', 'role', 'status', 'added'],
    ]);
    expect(parsed.map((u) => [u.email, u.role, u.status])).toEqual([
      ['ann@example.org', 'admin', 'active'],
      ['bob.longer.name@example.org', 'researcher', 'disabled'],
    ]);
    for (const output of [text.stdout, json.stdout]) {
      expect(output).not.toMatch(/argon2|hash|password/i);
    }
  });
});

describe('user disable', () => {
  it('stops the account signing in, ends its sessions, and audits it once', async () => {
    const cwd = tempDir();
    await addUser(cwd, 'ann@example.org', 'admin', `${PASSWORD}\n`);
    const token = await withDb(cwd, async (s) => {
      const result = await signIn(s.identifiable, { email: 'ann@example.org', password: PASSWORD });
      if (!result.ok) throw new Error(result.message);
      return result.token;
    });
    const result = await cli(cwd, ['user', 'disable', '--email', 'Ann@example.org']);
    expect(result).toEqual({ code: 0, stdout: 'disabled staff account ann@example.org: it can no longer sign in, and its sessions have ended\n', stderr: '' });
    await withDb(cwd, async (s) => {
      expect(await findStaffSession(s.identifiable, token)).toBeUndefined();
      expect(await signIn(s.identifiable, { email: 'ann@example.org', password: PASSWORD })).toMatchObject({ ok: false, reason: 'invalid' });
    });
    expect(await cli(cwd, ['user', 'disable', '--email', 'ann@example.org'])).toEqual({
      code: 0,
      stdout: 'staff account ann@example.org was already disabled\n',
      stderr: '',
    });
    expect(await withDb(cwd, (s) => auditOf(s, ['staff.user.disable']))).toEqual([
      { actor: null, action: 'staff.user.disable', detail: { email: 'ann@example.org', via: 'command line' } },
    ]);
  });

  it('refuses an email without an account', async () => {
    const cwd = tempDir();
    expect(await cli(cwd, ['user', 'disable', '--email', 'nobody@example.org'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: no staff account has the email nobody@example.org\n',
    });
  });
});

describe('user enable', () => {
  it('re-enables a disabled account with a new password from standard input, never the old one, and audits it once', async () => {
    const cwd = tempDir();
    await addUser(cwd, 'ann@example.org', 'admin', `${PASSWORD}\n`);
    const enable = (stdinText: string) => runWithStdin(cwd, ['user', 'enable', '--email', 'Ann@example.org'], (stdin) => stdin.end(stdinText));
    // Not disabled: nothing to do, and no password is read.
    expect(await enable('')).toEqual({ code: 0, stdout: 'staff account ann@example.org is not disabled: nothing was changed\n', stderr: '' });
    await cli(cwd, ['user', 'disable', '--email', 'ann@example.org']);
    // The new password is checked as for "user add".
    const refused = await enable('short\n');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: the password was refused: .+\. The account was not re-enabled\n$/);
    expect(await enable('')).toMatchObject({ code: 1, stderr: expect.stringContaining('no password on standard input') });
    expect(await enable('a brand new staff passphrase\n')).toEqual({
      code: 0,
      stdout: 're-enabled staff account ann@example.org: it signs in with the new password\n',
      stderr: '',
    });
    await withDb(cwd, async (s) => {
      expect(await signIn(s.identifiable, { email: 'ann@example.org', password: PASSWORD })).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await signIn(s.identifiable, { email: 'ann@example.org', password: 'a brand new staff passphrase' })).toMatchObject({ ok: true });
    });
    expect(await withDb(cwd, (s) => auditOf(s, ['staff.user.enable']))).toEqual([
      { actor: null, action: 'staff.user.enable', detail: { email: 'ann@example.org', via: 'command line' } },
    ]);
    expect(await cli(cwd, ['user', 'enable', '--email', 'nobody@example.org'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: no staff account has the email nobody@example.org\n',
    });
  });
});

describe('the first-admin hint at start-up', () => {
  it('gives the setup link, and the command, with --data only when the data directory is not the default', () => {
    const link = 'http://127.0.0.1:3000/staff/setup/abc';
    const lines = [
      'no staff accounts yet: open http://127.0.0.1:3000/staff/setup/abc within the hour to create the first administrator (the link works once)',
      'or create one with  npm run cli -- user add --role admin --email you@example.org',
    ].join('\n');
    expect(firstAdminHint('/home/me/survey/data', link, '/home/me/survey')).toBe(lines);
    expect(firstAdminHint('/home/me/survey/data/', link, '/home/me/survey')).toBe(lines);
    expect(firstAdminHint('/srv/live', link, '/home/me/survey')).toContain(
      'or create one with  npm run cli -- user add --data /srv/live --role admin --email you@example.org',
    );
    expect(firstAdminHint("/srv/my data/it's", link, '/home/me/survey')).toContain(`user add --data '/srv/my data/it'\\''s' --role admin`);
  });

  it('is shown by the server only while there is no staff account', async () => {
    const cwd = tempDir();
    const dataDir = join(cwd, 'data');
    const start = async () => {
      const log: string[] = [];
      const server = await startServer({ dataDir, port: 0, host: '127.0.0.1', seedWhenEmpty: false, log: (m) => log.push(m) });
      await server.stop();
      return log;
    };
    expect((await start()).filter((l) => l.startsWith('no staff accounts yet'))).toHaveLength(1);
    await addUser(cwd, 'ann@example.org', 'admin', `${PASSWORD}\n`);
    expect((await start()).filter((l) => l.startsWith('no staff accounts yet'))).toEqual([]);
  });
});
