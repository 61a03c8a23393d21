import type { CliIo } from './cli-io.js';

/**
 * A one-line progress indicator on stderr, only when stderr is a terminal: piped or logged output
 * stays clean. Redraws at most five times a second.
 */
export const progressLine = (io: CliIo, label: string) => {
  const tty = io.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(text: string) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      shown = true;
      io.stderr.write(`\r${label}: ${text}\u001b[K`);
    },
    done() {
      if (shown) io.stderr.write('\r\u001b[K');
    },
  };
};
