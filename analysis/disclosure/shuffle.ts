/** A source of uniform numbers in [0, 1), such as `seededRandom(seed)` from the statistics folder. */
export type RandomSource = () => number;

/**
 * An unbiased whole number in [0, bound) from the operating system's CSPRNG, through the Web Crypto API
 * that Node and browsers provide as a global (no import, no IO). Rejection sampling, so no index is
 * more likely than another.
 */
const cryptoIndex = (bound: number): number => {
  const limit = Math.floor(0x1_0000_0000 / bound) * bound;
  const word = new Uint32Array(1);
  for (;;) {
    globalThis.crypto.getRandomValues(word);
    if (word[0]! < limit) return word[0]! % bound;
  }
};

/**
 * A Fisher-Yates shuffle into a new array. Without `random` it draws from the CSPRNG, which is what a
 * release needs: with a seeded source, anyone who knows the seed can undo the shuffle and recover the
 * order the rows came in. Seeds are for tests and for reproducing a run, not for releases.
 */
export const shuffled = <T>(items: readonly T[], random?: RandomSource): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random ? Math.min(i, Math.floor(random() * (i + 1))) : cryptoIndex(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};
