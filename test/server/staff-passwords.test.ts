import { describe, expect, it } from 'vitest';
import { hashPassword, passwordNeedsRehash, passwordParameters, passwordProblems, unknownUserHash, verifyPassword } from '../../server/security/passwords.js';

describe('password hashing', () => {
  it('stores argon2id with the OWASP parameters and a fresh salt each time', async () => {
    const one = await hashPassword('correct horse battery staple');
    const two = await hashPassword('correct horse battery staple');
    const [empty, algorithm, version, parameters, salt, digest] = one.split('$');
    expect([empty, algorithm, version]).toEqual(['', 'argon2id', 'v=19']);
    expect(Object.fromEntries(parameters!.split(',').map((p) => p.split('=')))).toEqual({ m: '19456', t: '2', p: '1' });
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(digest!, 'base64')).toHaveLength(32);
    expect(one.startsWith('$argon2id$')).toBe(true);
    expect(one).not.toBe(two);
    expect(one).not.toContain('correct horse');
    expect(passwordParameters).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(passwordNeedsRehash(one)).toBe(false);
  });

  it('verifies the right password and refuses a wrong one, a case change, and a non-hash', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
    expect(await verifyPassword('not a hash', 'correct horse battery staple')).toBe(false);
    expect(await verifyPassword('', 'anything')).toBe(false);
  });

  it('normalises Unicode, so a composed and a decomposed accent are the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait, no sugar');
    expect(await verifyPassword(stored, 'cafe\u0301 au lait, no sugar')).toBe(true);
  });

  it('has a dummy hash for unknown emails made with the current parameters, which no password opens', async () => {
    expect(unknownUserHash.startsWith('$argon2id$')).toBe(true);
    expect(passwordNeedsRehash(unknownUserHash)).toBe(false);
    expect(await verifyPassword(unknownUserHash, '')).toBe(false);
    expect(await verifyPassword(unknownUserHash, 'correct horse battery staple')).toBe(false);
  });

  it('asks for a rehash of weaker parameters or another algorithm', () => {
    expect(passwordNeedsRehash('$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g')).toBe(true);
    expect(passwordNeedsRehash('$2b$12$abcdefghijklmnopqrstuv')).toBe(true);
  });
});

describe('password policy', () => {
  it('accepts a passphrase of 12 characters or more', () => {
    expect(passwordProblems('correct horse battery', { email: 'ann@example.org' })).toEqual([]);
    expect(passwordProblems('abcdefghijkl')).toEqual([]);
    // Characters, not bytes: 12 accented letters pass, 11 do not.
    expect(passwordProblems('éàüöçñøåßœæî')).toEqual([]);
  });

  it('refuses a short or empty password, saying how long it must be', () => {
    expect(passwordProblems('short')).toEqual(['the password is too short: it must have at least 12 characters, and it has 5']);
    expect(passwordProblems('abcdefghijk')).toEqual(['the password is too short: it must have at least 12 characters, and it has 11']);
    expect(passwordProblems('')).toEqual(['the password is empty: it must have at least 12 characters']);
  });

  it('refuses one character repeated, however long', () => {
    expect(passwordProblems('aaaaaaaaaaaaaaaaaaaa')).toEqual([
      'the password is one character repeated: choose something harder to guess, such as a few unrelated words',
    ]);
    expect(passwordProblems('aaaa')).toHaveLength(2);
  });

  it('refuses the email address, in any case', () => {
    expect(passwordProblems('Ann.Person@Example.org', { email: 'ann.person@example.org' })).toEqual([
      'the password is the email address: choose something else',
    ]);
    expect(passwordProblems('ann.person@example.org', { email: ' ANN.PERSON@EXAMPLE.ORG ' })).toEqual([
      'the password is the email address: choose something else',
    ]);
  });

  it('refuses more than 1024 characters', () => {
    expect(passwordProblems('ab'.repeat(600))).toEqual(['the password is too long: it may have at most 1024 characters, and it has 1200']);
  });
});
