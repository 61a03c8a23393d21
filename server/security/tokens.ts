import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: for invitation links and session cookies. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const hmac = (key: Buffer, label: string, input: string): string => createHmac('sha256', key).update(`${label}\u0000${input}`).digest('base64url');

export const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const maskedShape = /^[A-Za-z0-9_-]{86}$/;

/**
 * A token as a page carries it: XORed with a fresh random mask and sent as mask||masked (base64url), so
 * the same token reads differently in every response. A compressed page then holds no string that stays
 * the same from one response to the next for an observer of response sizes to guess (BREACH); the token
 * itself is unchanged. Takes a token of 32 bytes, as `hmac` and `randomToken` make.
 */
export const maskToken = (token: string): string => {
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 32 || bytes.toString('base64url') !== token) throw new Error('maskToken: expected a token of 32 bytes in base64url');
  const mask = randomBytes(32);
  const masked = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) masked[i] = bytes[i]! ^ mask[i]!;
  return Buffer.concat([mask, masked]).toString('base64url');
};

/**
 * The token a masked value carries, or undefined when the value is not one `maskToken` could have made.
 * Only the canonical spelling is read: base64url has spare bits in its last character, and a value
 * differing from a good one only there is still refused.
 */
export const unmaskToken = (sent: string): string | undefined => {
  if (!maskedShape.test(sent)) return undefined;
  const bytes = Buffer.from(sent, 'base64url');
  if (bytes.length !== 64 || bytes.toString('base64url') !== sent) return undefined;
  const token = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) token[i] = bytes[i]! ^ bytes[i + 32]!;
  return token.toString('base64url');
};

/** Tokens the server issues have one shape; anything else is refused before any lookup. */
export const looksLikeToken = (text: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(text);
