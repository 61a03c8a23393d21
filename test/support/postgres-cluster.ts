import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server-process.js';

/**
 * A throwaway PostgreSQL cluster for the conformance suite: `initdb` into a temporary directory, `pg_ctl`
 * on a free port on 127.0.0.1, trust authentication for its one user, stopped and removed at the end.
 * Debian's PostgreSQL packages provide the programs (.ci/run installs them). PostgreSQL refuses to run
 * as root, so as root the cluster runs as the `postgres` user the package creates.
 */

const binDirs = () => {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => join(base, v, 'bin'));
};

const program = (name: string): string => {
  for (const dir of binDirs()) if (existsSync(join(dir, name))) return join(dir, name);
  const found = spawnSync('which', [name], { encoding: 'utf8' });
  if (found.status === 0) return found.stdout.trim();
  throw new Error(
    `the PostgreSQL conformance tests need ${name}, which is missing: install Debian's postgresql package ` +
      '(apt-get install -y postgresql; .ci/run does this), or set TEST_POSTGRES_URL to a server of your own',
  );
};

const asRoot = process.getuid?.() === 0;

const run = (file: string, args: readonly string[]) => {
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, [...args]];
  try {
    execFileSync(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${e.stderr?.toString() || e.message}`);
  }
};

export interface Cluster {
  /** The admin connection URL (database `postgres`). */
  readonly url: string;
  stop(): void;
}

export const startCluster = async (): Promise<Cluster> => {
  const initdb = program('initdb');
  const pgCtl = program('pg_ctl');
  const root = mkdtempSync(join(tmpdir(), 'cswo-pg-'));
  const data = join(root, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(root, uid, gid);
  }
  chmodSync(root, 0o700);
  const port = await freePort();
  run(initdb, ['-D', data, '-U', 'cswo', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  // fsync stays on, as a deployment has it (in the suite's temporary folder, in memory where vitest.config.ts
  // finds room, each fsync costs nothing).
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${root} -c max_connections=200`;
  run(pgCtl, ['-D', data, '-o', options, '-l', join(root, 'server.log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://cswo@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
};
