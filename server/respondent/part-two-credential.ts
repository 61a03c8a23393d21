import { hmac, sameText } from '../security/tokens.js';
import { waveIdMaxLength } from '../waves/wave-changes.js';

/**
 * The part-two credential is derived from the invitation secret, which only the respondent holds (the
 * database keeps its hash). So the server can recognise a returning respondent's part two from their
 * link without storing anything that connects the two; and a link yields one credential, so one part two.
 * The cookie carries the wave, the credential and a tag proving the server issued it.
 */
export const deriveCredential = (key: Buffer, invitationSecret: string): string => hmac(key, 'part-two-credential', invitationSecret);

export const credentialCookie = (key: Buffer, waveId: string, credential: string): string =>
  `${waveId}.${credential}.${hmac(key, 'part-two-tag', `${waveId}.${credential}`)}`;

export const readCredentialCookie = (key: Buffer, cookie: string | undefined): { waveId: string; credential: string } | undefined => {
  // A wave id never holds a dot (server/waves/wave-changes.ts), so the three parts split unambiguously.
  const match = cookie ? /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(cookie) : null;
  if (!match || match[1]!.length > waveIdMaxLength) return undefined;
  const [, waveId, credential, tag] = match;
  return sameText(tag!, hmac(key, 'part-two-tag', `${waveId}.${credential}`)) ? { waveId: waveId!, credential: credential! } : undefined;
};
