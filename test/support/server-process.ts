import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real server as a child process, exactly as `npm start` runs it (tsx and the Svelte hook), so a
 * test can kill it with a signal the way a power cut or the OOM killer would.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A port the operating system says is free now (it may be taken again later, which tests accept). */
export const freePort = () =>
  new Promise<number>((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it wrote to standard error, for a failing test's message. */
  stderr(): string;
  /** Resolves with the exit code or signal once the process has gone. */
  readonly exited: Promise<string>;
  kill(signal: NodeJS.Signals): Promise<string>;
}

/**
 * Starts `server/main.ts` on DATA_DIR and resolves once it says it is listening; on SQLite, unless
 * `databases` names the PostgreSQL databases to use.
 */
export const startServerProcess = (
  dataDir: string,
  port: number,
  { timeoutMs = 30_000, databases }: { timeoutMs?: number; databases?: { databaseUrl: string; anonymousDatabaseUrl: string } } = {},
): Promise<ServerProcess> =>
  new Promise((done, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
    delete env.INIT_CWD;
    delete env.PUBLIC_URL;
    delete env.SERVER_KEY;
    delete env.DATABASE_URL;
    delete env.ANONYMOUS_DATABASE_URL;
    if (databases) Object.assign(env, { DATABASE_URL: databases.databaseUrl, ANONYMOUS_DATABASE_URL: databases.anonymousDatabaseUrl });
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './server/pages/register-svelte.mjs', 'server/main.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const exited = new Promise<string>((settle) => child.once('exit', (code, signal) => settle(signal ?? `exit ${code}`)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the server did not start within ${timeoutMs} ms:\n${err}`));
    }, timeoutMs);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      err += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match) {
        clearTimeout(timer);
        done({
          url: match[1]!,
          child,
          stderr: () => err,
          exited,
          kill: (signal) => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      fail(new Error(`the server exited (${how}) before listening:\n${err}`));
    });
  });
