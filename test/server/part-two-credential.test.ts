import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialCookie, isIssuedCode, partTwoCodeOf, readCredentialCookie, waveOfCode } from '../../server/respondent/part-two-credential.js';

/**
 * Codes already issued must stay valid: a code is the leading bits of two HMACs written in Crockford's
 * base 32, and however that is computed, the digits must be the same.
 */

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const mac = (key: Buffer, label: string, input: string) => createHmac('sha256', key).update(`${label}\u0000${input}`).digest();
/** The reference: the leading `count` bits as one big number, then its digits from the most significant. */
const leadingDigits = (bytes: Buffer, digits: number) => {
  const value = BigInt(`0x${bytes.toString('hex')}`) >> BigInt(bytes.length * 8 - 5 * digits);
  return Array.from({ length: digits }, (_, i) => alphabet[Number((value >> BigInt(5 * (digits - 1 - i))) & 31n)]).join('');
};
const referenceCode = (key: Buffer, waveId: string, nonce: string) => {
  const body = leadingDigits(mac(key, 'part-two-code', nonce), 15);
  return `${body}${leadingDigits(mac(key, 'part-two-code-tag', `${waveId}.${body}`), 10)}`;
};

describe('a part-two code', () => {
  it('is the one issued before: a fixed key, wave and nonce give the same code', () => {
    expect(partTwoCodeOf(Buffer.alloc(32, 1), '2020-06', 'abc')).toBe('799BZ1WFS3GY3QZ25JXRAFF0C');
  });

  it('has the digits of the reference computation, for many keys, waves and nonces', () => {
    for (let i = 0; i < 2000; i++) {
      const key = randomBytes(32);
      const nonce = randomBytes(32).toString('base64url');
      const wave = i % 2 ? '2020-06' : `wave-${i}`;
      const code = partTwoCodeOf(key, wave, nonce);
      expect(code).toBe(referenceCode(key, wave, nonce));
      expect(isIssuedCode(key, wave, code)).toBe(true);
      expect(waveOfCode(key, code, ['other', wave])).toBe(wave);
      expect(readCredentialCookie(key, credentialCookie(key, wave, code))).toEqual({ waveId: wave, credential: code });
    }
  });

  it('is refused for another wave, or with a digit changed', () => {
    const key = randomBytes(32);
    const code = partTwoCodeOf(key, '2020-06', 'n');
    expect(isIssuedCode(key, '2020-01', code)).toBe(false);
    const changed = `${code.slice(0, 24)}${code[24] === '0' ? '1' : '0'}`;
    expect(isIssuedCode(key, '2020-06', changed)).toBe(false);
  });
});
