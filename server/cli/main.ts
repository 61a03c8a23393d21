import { processIo } from './cli-io.js';
import { runCli } from './cli-program.js';

// A closed pipe (`... | head`) is the reader saying it has enough, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
