import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../server/cli/cli-io.js';
import { runCli } from '../../server/cli/cli-program.js';

/** A CliIo over in-memory streams, with the text written to each. */
export const fakeIo = (cwd: string, stdin: string | Readable = '') => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIo = { stdout, stderr, stdin: typeof stdin === 'string' ? Readable.from([Buffer.from(stdin)]) : stdin, cwd };
  return {
    io,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
  };
};

/** Runs one command line in-process, as `npm run cli -- ...` would, and returns its exit code and output. */
export const runCliInMemory = async (cwd: string, argv: readonly string[], stdin: string | Readable = '') => {
  const fake = fakeIo(cwd, stdin);
  const code = await runCli(argv, fake.io);
  // Let the PassThrough streams deliver what was written.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
};
