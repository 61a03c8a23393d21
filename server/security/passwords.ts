import { argon2id, hash, needsRehash, verify } from 'argon2';

/**
 * Staff passwords: argon2id with OWASP's minimum parameters (19 MiB of memory, 2 passes, 1 lane),
 * stored in PHC form (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with a random 16-byte salt.
 * Passwords are NFC-normalised first, so the same password typed on another keyboard still matches.
 */
export const passwordParameters = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const minimumPasswordLength = 12;
export const maximumPasswordLength = 1024;

const normalise = (password: string) => password.normalize('NFC');

export const hashPassword = (password: string): Promise<string> => hash(normalise(password), passwordParameters);

/** False for a wrong password and for anything that is not an argon2 hash; never throws. */
export const verifyPassword = async (passwordHash: string, password: string): Promise<boolean> => {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    return false;
  }
};

/** True when a stored hash was made with weaker (or other) parameters than today's. */
export const passwordNeedsRehash = (passwordHash: string): boolean => {
  try {
    return !passwordHash.startsWith('$argon2id$') || needsRehash(passwordHash, passwordParameters);
  } catch {
    return true;
  }
};

/**
 * A hash of a random password nobody knows, with today's parameters. Sign-in verifies against it when no
 * account has the email given, so an unknown email costs the same time as a wrong password.
 */
export const unknownUserHash = '$argon2id$v=19$m=19456,p=1,t=2$4SwCPI3F9C2F2h7ZMOsIhA$w0sNkEufCejTym80Q1uxuyR3Or8BCCP9G1iGiOm0kdg';

/**
 * What is wrong with a new password, as sentences a person can act on; empty when it is acceptable.
 * Length counts characters (not bytes); a passphrase of ordinary words is fine.
 */
export const passwordProblems = (password: string, { email }: { email?: string } = {}): string[] => {
  const text = normalise(password);
  const characters = [...text];
  const problems: string[] = [];
  if (characters.length < minimumPasswordLength) {
    problems.push(
      characters.length === 0
        ? `the password is empty: it must have at least ${minimumPasswordLength} characters`
        : `the password is too short: it must have at least ${minimumPasswordLength} characters, and it has ${characters.length}`,
    );
  }
  if (characters.length > maximumPasswordLength) {
    problems.push(`the password is too long: it may have at most ${maximumPasswordLength} characters, and it has ${characters.length}`);
  }
  if (characters.length > 1 && characters.every((c) => c === characters[0])) {
    problems.push('the password is one character repeated: choose something harder to guess, such as a few unrelated words');
  }
  if (email && text.trim().toLowerCase() === email.trim().toLowerCase()) {
    problems.push('the password is the email address: choose something else');
  }
  return problems;
};
