import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A short text kept in a database only sealed: AES-256-GCM under a key derived from the server key for one
 * purpose, bound to the row it belongs to (`context`: a sealed value copied to another row does not open).
 * The server key never enters a database, so a copy of the store or a backup alone opens nothing.
 */

const version = 'v1';

const keyFor = (serverKey: Buffer, purpose: string) => Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), `cswo sealed ${purpose}`, 32));

export const sealText = (serverKey: Buffer, purpose: string, context: string, text: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(serverKey, purpose), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `${version}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
};

/** The text, or undefined when the value was not sealed with this key, purpose and context (or was altered). */
export const openSealedText = (serverKey: Buffer, purpose: string, context: string, sealed: string): string | undefined => {
  const [v, data] = sealed.split('.');
  if (v !== version || data === undefined) return undefined;
  const bytes = Buffer.from(data, 'base64url');
  if (bytes.length < 28) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(serverKey, purpose), bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
};
