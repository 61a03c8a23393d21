import { isAbsolute, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** What a command may touch, passed in so tests can run commands in-process and read their output. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable;
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  // `npm run` moves to the package folder; INIT_CWD is where the user typed the command.
  cwd: process.env.INIT_CWD ?? process.cwd(),
});

export const resolvePath = (io: CliIo, path: string): string => (isAbsolute(path) ? path : resolve(io.cwd, path));

/** A refusal the user can act on: printed as `error: ...` without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export const writeLine = (stream: Writable, text: string): void => {
  stream.write(`${text}\n`);
};
