import { readConfig } from './app/config.js';
import { startServer } from './app/serve.js';
import { resolve } from 'node:path';

/** `npm start`: the whole app on SQLite, with the bundled 2020 data loaded into an empty data directory. */
const log = (message: string) => process.stderr.write(`${message}\n`);
try {
  const config = readConfig(process.env);
  const server = await startServer({
    dataDir: resolve(process.env.INIT_CWD ?? process.cwd(), config.DATA_DIR),
    port: config.PORT,
    host: config.HOST,
    seedWhenEmpty: true,
    publicUrl: config.PUBLIC_URL,
    trustedProxies: config.TRUSTED_PROXIES,
    supportEmail: config.SUPPORT_EMAIL,
    mail: config.mail,
    log,
  });
  const stop = async () => {
    log('stopping');
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  log(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
