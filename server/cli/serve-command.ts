import { Command, Option } from 'commander';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { parseBaseUrl } from './council-commands.js';
import { dataOption } from './store-options.js';

const port = (text: string): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new CliError(`--port must be a whole number 0-65535, got "${text}"`, 2);
  return n;
};

export const serveCommand = (io: CliIo) =>
  new Command('serve')
    .description('Run the web server on the given data directory until interrupted')
    .addOption(dataOption())
    .addOption(new Option('--port <port>', 'port to listen on').default(3000).argParser(port))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--no-seed', 'do not load the bundled 2020 data into an empty data directory')
    .action(async (options: { data: string; port: number; host: string; seed: boolean }) => {
      try {
        // Loaded only here, so the data commands never load the web stack (routes, compiled pages), nor the
        // hook that compiles the pages' .svelte files: `npm run cli` does not preload it as `npm start` does,
        // since its compiler costs every command 25-40 MB (in the module-hooks thread) for nothing. Imported
        // by its URL so that a process that did preload it (`tsx --import ./server/pages/register-svelte.mjs
        // server/cli/main.ts serve`) finds it loaded and does not register the hook twice.
        await import(new URL('../pages/register-svelte.mjs', import.meta.url).href);
        const { startServer } = await import('../app/serve.js');
        const { readConfig } = await import('../app/config.js');
        const { TRUSTED_PROXIES, SUPPORT_EMAIL, SMTP_URL, MAIL_FROM, MAIL_PER_MINUTE } = process.env;
        const config = readConfig({ TRUSTED_PROXIES, SUPPORT_EMAIL, SMTP_URL, MAIL_FROM, MAIL_PER_MINUTE });
        const server = await startServer({
          dataDir: resolvePath(io, options.data),
          port: options.port,
          host: options.host,
          seedWhenEmpty: options.seed,
          publicUrl: process.env.PUBLIC_URL ? parseBaseUrl(process.env.PUBLIC_URL, 'PUBLIC_URL', 1) : undefined,
          trustedProxies: config.TRUSTED_PROXIES,
          supportEmail: config.SUPPORT_EMAIL,
          mail: config.mail,
          log: (m) => writeLine(io.stderr, m),
        });
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.stop();
      } catch (error) {
        if (error instanceof Error && !(error instanceof CliError)) throw new CliError(error.message);
        throw error;
      }
    });
