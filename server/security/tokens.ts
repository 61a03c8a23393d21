import { createHash, createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

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
 * Masks are drawn from the system's CSPRNG 128 at a time, each of its 32 bytes used once: a call for
 * every mask cost five times the masking itself, and every page masks a token for each of its forms.
 */
const maskPool = Buffer.alloc(32 * 128);
let maskPoolUsed = maskPool.length;
const freshMask = (): Buffer => {
  if (maskPoolUsed === maskPool.length) {
    randomFillSync(maskPool);
    maskPoolUsed = 0;
  }
  maskPoolUsed += 32;
  return maskPool.subarray(maskPoolUsed - 32, maskPoolUsed);
};

/**
 * A token as a page carries it: XORed with a fresh random mask and sent as mask||masked (base64url), so
 * the same token reads differently in every response. A compressed page then holds no string that stays
 * the same from one response to the next for an observer of response sizes to guess (BREACH); the token
 * itself is unchanged. Takes a token of 32 bytes, as `hmac` and `randomToken` make.
 */
export const maskToken = (token: string): string => {
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 32 || bytes.toString('base64url') !== token) throw new Error('maskToken: expected a token of 32 bytes in base64url');
  const mask = freshMask();
  const sent = Buffer.allocUnsafe(64);
  for (let i = 0; i < 32; i++) {
    sent[i] = mask[i]!;
    sent[32 + i] = bytes[i]! ^ mask[i]!;
  }
  return sent.toString('base64url');
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
