import { createHmac } from 'node:crypto';
import { hmac, looksLikeToken, randomToken, sameText } from '../security/tokens.js';
import type { PassCode } from '../../web/respondent/pass-code.js';
import { waveIdMaxLength } from '../storage/wave-store.js';
import { partTwoResumePath } from '../http/respondent-addresses.js';

/**
 * Part two's credential: a code made for the browser that submits part one, given to it in that
 * response only, and nowhere stored beside the invitation. It is derived with the server key from a
 * random nonce that browser alone holds (chosen when it first sees part one's check page), never from
 * the invitation, so whoever holds the invitation link can never reach part two.
 *
 * 25 characters of Crockford's base 32, which can be read aloud and typed: 75 bits of the nonce's HMAC
 * (unguessable) followed by a 50-bit tag over them and the wave (unforgeable: only the server mints
 * codes, so every valid code was issued with a part one). Because a code proves itself, nothing is
 * written anywhere when it is issued; the anonymous store first sees its hash when part two is saved.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const codeShape = '[0-9A-HJKMNP-TV-Z]{25}';
/** Credentials made before the code existed (derived from the invitation): honoured while their passes are stored. */
const legacyShape = '[A-Za-z0-9_-]{43}';

const codePattern = new RegExp(`^${codeShape}$`);
const legacyPattern = new RegExp(`^${legacyShape}$`);
// A wave id never holds a dot (server/waves/wave-changes.ts), so the three parts split unambiguously.
const credentialCookiePattern = new RegExp(`^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\\.(${codeShape}|${legacyShape})\\.([A-Za-z0-9_-]{43})$`);

/** The first `digits` × 5 bits of `bytes` (most significant first), one base-32 digit for each 5. */
const base32Prefix = (bytes: Buffer, digits: number): string => {
  let text = '';
  for (let i = 0; i < digits; i++) {
    const bit = 5 * i;
    // The two bytes the digit's 5 bits lie in (the second is past the end only when unneeded).
    const pair = (bytes[bit >> 3]! << 8) | (bytes[(bit >> 3) + 1] ?? 0);
    text += alphabet[(pair >> (11 - (bit & 7))) & 31];
  }
  return text;
};
const mac = (key: Buffer, label: string, input: string) => createHmac('sha256', key).update(`${label}\u0000${input}`).digest();

const codeTag = (key: Buffer, waveId: string, body: string): string => base32Prefix(mac(key, 'part-two-code-tag', `${waveId}.${body}`), 10);

/** The code for a pending nonce, in a wave: the same nonce always gives the same code. */
export const partTwoCodeOf = (key: Buffer, waveId: string, nonce: string): string => {
  const body = base32Prefix(mac(key, 'part-two-code', nonce), 15);
  return `${body}${codeTag(key, waveId, body)}`;
};

/** Whether the server issued this code for this wave. */
export const isIssuedCode = (key: Buffer, waveId: string, code: string): boolean =>
  codePattern.test(code) && sameText(code.slice(15), codeTag(key, waveId, code.slice(0, 15)));

/** The wave a code was issued for, among these, or undefined when it was issued for none. */
export const waveOfCode = (key: Buffer, code: string, waveIds: readonly string[]): string | undefined => waveIds.find((w) => isIssuedCode(key, w, code));

export const isLegacyCredential = (credential: string): boolean => legacyPattern.test(credential);

/** In groups of five, as the pages show it: `K7Q2M-9XW4T-...`. */
export const formatPartTwoCode = (code: string): string => (codePattern.test(code) ? code.match(/.{5}/g)!.join('-') : code);

/**
 * The code a person typed, or undefined when it cannot be one: any case, spaces and hyphens anywhere,
 * and the letters Crockford's base 32 reads as digits (O as 0, I and L as 1).
 */
export const readPartTwoCode = (typed: string): string | undefined => {
  const trimmed = typed.trim();
  const code = trimmed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (codePattern.test(code)) return code;
  return isLegacyCredential(trimmed) ? trimmed : undefined;
};

/** The part-two cookie: the wave, the code, and a tag proving the server set it. */
export const credentialCookie = (key: Buffer, waveId: string, credential: string): string =>
  `${waveId}.${credential}.${hmac(key, 'part-two-tag', `${waveId}.${credential}`)}`;

export const readCredentialCookie = (key: Buffer, cookie: string | undefined): { waveId: string; credential: string } | undefined => {
  const match = cookie ? credentialCookiePattern.exec(cookie) : null;
  if (!match || match[1]!.length > waveIdMaxLength) return undefined;
  const [, waveId, credential, tag] = match;
  return sameText(tag!, hmac(key, 'part-two-tag', `${waveId}.${credential}`)) ? { waveId: waveId!, credential: credential! } : undefined;
};

/**
 * The pending nonce: 256 random bits, kept in a cookie of part one's own path and bound to its
 * invitation. Its receipt (a keyed hash) is stored with part one when this browser submits it, so that
 * should the answer to the submit be lost, the same browser presenting the same nonce gets its code
 * back; any other browser, the link holder's included, has a nonce whose receipt is not stored, and
 * gets nothing. Neither the receipt nor anything in the identifiable store leads to the code without
 * the nonce, which only that browser holds.
 */
export const newPendingNonce = (): string => randomToken();

export const pendingCookie = (key: Buffer, invitationId: string, nonce: string): string =>
  `${nonce}.${hmac(key, 'part-two-pending', `${invitationId}.${nonce}`)}`;

export const readPendingCookie = (key: Buffer, invitationId: string, cookie: string | undefined): string | undefined => {
  const [nonce, tag, ...more] = (cookie ?? '').split('.');
  if (more.length > 0 || !nonce || !tag || !looksLikeToken(nonce)) return undefined;
  return sameText(tag, hmac(key, 'part-two-pending', `${invitationId}.${nonce}`)) ? nonce : undefined;
};

export const receiptOf = (key: Buffer, nonce: string): string => hmac(key, 'part-two-receipt', nonce);

/** How a page shows the code: grouped for reading, with the address to type it at and the private link. */
export type { PassCode };

export const resumePath = partTwoResumePath;

/** What every page that cannot open part two says, whoever asks: the way back is the code, never the link. */
export const partTwoElsewhere =
  'Part two continues in the browser where part one was sent. On another device, or once this browser no longer remembers you, enter the private part-two code you were shown when you sent part one.';
export const enterCode = { href: resumePath, text: 'Enter your part-two code' } as const;

/** `origin` is PUBLIC_URL when set, else the address the page was reached at. */
export const passCodeOf = (code: string, origin: string): PassCode => ({
  code: formatPartTwoCode(code),
  resumeAddress: `${origin}${resumePath}`,
  privateLink: `${origin}${resumePath}/${code}`,
});
