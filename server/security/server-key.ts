import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The server's secret key, made on first start and kept beside the stores (owner-only). It signs CSRF
 * tokens and derives part-two credentials from invitation secrets. It never enters a database, so the
 * database files alone cannot derive or check anything. Set SERVER_KEY (64 hex digits) to keep it elsewhere.
 */
export const serverKeyFile = (dataDir: string) => join(dataDir, 'server.key');

export const loadServerKey = (dataDir: string, fromEnv = process.env.SERVER_KEY): Buffer => {
  if (fromEnv) {
    if (!/^[0-9a-f]{64}$/i.test(fromEnv)) throw new Error('SERVER_KEY must be 64 hexadecimal digits');
    return Buffer.from(fromEnv, 'hex');
  }
  const file = serverKeyFile(dataDir);
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new Error(`${file} is not a server key (64 hexadecimal digits)`);
  return Buffer.from(text, 'hex');
};
