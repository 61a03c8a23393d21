import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `server.pid` in a data directory while a server serves it. A restore must not swap the stores under a
 * running server: it would go on writing to the files it has open, and those answers would be lost.
 */
export const serverLockFile = (dataDir: string) => join(dataDir, 'server.pid');

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The pid of a live server using the directory, if any (a file left by a killed server does not count). */
export const runningServer = (dataDir: string): number | undefined => {
  let text: string;
  try {
    text = readFileSync(serverLockFile(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
};

/** Marks the directory as served by this process; returns the function that unmarks it. */
export const markServing = (dataDir: string): (() => void) => {
  writeFileSync(serverLockFile(dataDir), `${process.pid}\n`, { mode: 0o600 });
  return () => {
    // Only our own mark: a later server may have taken the directory over.
    if (runningServer(dataDir) === process.pid) rmSync(serverLockFile(dataDir), { force: true });
  };
};
