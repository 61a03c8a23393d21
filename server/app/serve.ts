import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.js';
import { firstAdminHint } from './first-admin-hint.js';
import { firstRunLink } from '../staff/first-run-setup.js';
import { runRetention, startDailyRetention } from '../data-protection/index.js';
import { pathTo } from '../http/route-paths.js';
import { staffPaths } from '../staff/staff-context.js';
import { loadServerKey } from '../security/server-key.js';
import { seedBundledData, storesAreEmpty } from '../csv/bundled-data.js';
import { scrubArrivalOrder } from '../storage/anonymous-store.js';
import { keepPartTwoByPosition } from '../storage/part-two-placement.js';
import { removeStaleSnapshots } from '../storage/anonymous-snapshot.js';
import { setScrubLog } from '../storage/arrival-scrub.js';
import { openStores, type Stores } from '../storage/open-stores.js';
import { markServing } from '../storage/server-lock.js';
import { countStaffUsers } from '../storage/staff-user-store.js';
import type { MailSettings } from '../mail/mail-settings.js';
import { smtpMailer } from '../mail/mail-transport.js';
import { startOutboxLoop } from '../mail/outbox-sender.js';
import { councilMailSender } from '../waves/index.js';
import { defaultSupportEmail } from '../../web/layout/page-chrome.js';

export interface ServeOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  /** Load the bundled 2020 data when the data directory holds no answers yet. */
  readonly seedWhenEmpty: boolean;
  /** The address invitation links made on the admin pages start with (PUBLIC_URL). */
  readonly publicUrl?: string;
  /** TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies?: readonly string[];
  /** SUPPORT_EMAIL: where the pages tell people to ask for help. */
  readonly supportEmail?: string;
  /** SMTP_URL and MAIL_FROM: the outbox is sent from this server when they are set. */
  readonly mail?: MailSettings;
  /** How often the outbox is looked at (15 s unless a test says otherwise). */
  readonly mailEveryMs?: number;
  readonly log: (message: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly stores: Stores;
  stop(): Promise<void>;
}

const listen = (app: ReturnType<typeof createApp>, port: number, host: string) =>
  new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => resolve({ server, port: info.port }));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is already in use: set PORT to another port`
            : `cannot listen on ${host}:${port}: ${error.message}`,
        ),
      );
    });
  });

/**
 * The outbox's sender: the mail server is checked once at start (a refusal is said in a line, and the
 * messages wait in the outbox until it can be used), then what is due is sent every quarter of a minute.
 */
const startSending = async (stores: Stores, key: Buffer, settings: MailSettings, support: string, log: (message: string) => void, everyMs?: number) => {
  const mailer = smtpMailer(settings);
  const check = await mailer.check();
  log(check.ok ? `email: sending through ${check.shown} as ${settings.from}` : `email: ${check.reason}; messages wait in the outbox until it can be used`);
  const sender = councilMailSender(stores.identifiable, key, { settings, mailer, support });
  const loop = startOutboxLoop(() => sender.sendDue(), { log, ...(everyMs === undefined ? {} : { everyMs }) });
  return {
    outbox: { from: settings.from, sendSoon: loop.kick },
    stop: async () => {
      await loop.stop();
      mailer.close();
    },
  };
};

export const startServer = async (options: ServeOptions): Promise<RunningServer> => {
  const stores = await openStores({ dataDir: options.dataDir });
  try {
    setScrubLog(stores.anonymous, options.log);
    if (stores.dialect === 'sqlite') removeStaleSnapshots(stores.location);
    if (options.seedWhenEmpty && (await storesAreEmpty(stores))) {
      for (const s of await seedBundledData(stores)) options.log(`loaded bundled data: wave ${s.waveId}, ${s.part} part, ${s.imported} rows`);
    }
    // A crash between a commit and its scrub leaves that answer's arrival in the WAL and the file's
    // layout: erased before the first request, in both places of part two. Blocked by another
    // connection, it goes on in the background (and says so in the log).
    // Rows stored as objects before part two was kept by position, rewritten first, so the scrub erases
    // their earlier form too.
    await keepPartTwoByPosition(stores);
    await scrubArrivalOrder(stores.anonymous, 'whole');
    const key = loadServerKey(stores.location);
    // What has passed its retention is erased before the first request, and daily after.
    await runRetention(stores, options.log);
    const stopRetention = startDailyRetention(stores, options.log);
    const noStaffYet = (await countStaffUsers(stores.identifiable)) === 0;
    const firstRun = noStaffYet ? firstRunLink(Date.now()) : undefined;
    const sending = options.mail
      ? await startSending(stores, key, options.mail, options.supportEmail ?? defaultSupportEmail, options.log, options.mailEveryMs)
      : undefined;
    const app = createApp({
      stores,
      key,
      logError: options.log,
      publicUrl: options.publicUrl,
      trustedProxies: options.trustedProxies ?? [],
      supportEmail: options.supportEmail,
      ...(sending ? { mail: sending.outbox } : {}),
      ...(firstRun ? { firstRun } : {}),
    });
    const { server, port } = await listen(app, options.port, options.host);
    const unmark = markServing(stores.location);
    const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
    options.log(`CSWO survey platform listening on ${url} (data in ${stores.location})`);
    if (firstRun) options.log(firstAdminHint(stores.location, `${options.publicUrl ?? url}${pathTo(staffPaths.setup, { token: firstRun.token })}`));
    return {
      url,
      stores,
      stop: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await sending?.stop();
        stopRetention();
        unmark();
        await stores.close();
      },
    };
  } catch (error) {
    await stores.close();
    throw error;
  }
};
