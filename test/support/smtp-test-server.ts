import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A real SMTP server for the email tests, in a process of its own (test/support/smtp-server-child.ts). */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ReceivedMail {
  readonly to: readonly string[];
  readonly from: string | null;
  readonly fromHeader: readonly { name: string; address: string | undefined }[];
  readonly subject: string;
  readonly messageId: string;
  readonly text: string;
  readonly html: string | null;
}

export interface SmtpBehaviour {
  readonly tempFail?: Record<string, number>;
  readonly permFail?: readonly string[];
  readonly holdMessage?: number;
  readonly refuseQuoting?: readonly string[];
}

export interface SmtpTestServer {
  /** `smtp://user:password@127.0.0.1:port` */
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Events other than messages: `{ refusedForNow }`, `{ holding }`. */
  readonly events: Record<string, unknown>[];
  waitFor(test: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export const startSmtpServer = (behaviour: SmtpBehaviour = {}): Promise<SmtpTestServer> =>
  new Promise((done, fail) => {
    const user = 'survey-sender';
    const password = 'pa:ss/w@rd';
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/smtp-server-child.ts', JSON.stringify({ user, password, ...behaviour })], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const received: ReceivedMail[] = [];
    const events: Record<string, unknown>[] = [];
    const waiters = new Set<() => void>();
    let buffer = '';
    let err = '';
    const exited = new Promise<void>((settle) => child.once('exit', () => settle()));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (err += chunk));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const event = JSON.parse(buffer.slice(0, end)) as Record<string, unknown>;
        buffer = buffer.slice(end + 1);
        if (typeof event.listening === 'number') {
          done({
            url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${event.listening}`,
            received,
            events,
            waitFor: (test, what, timeoutMs = 20_000) =>
              new Promise<void>((ok, late) => {
                if (test()) return ok();
                const timer = setTimeout(() => {
                  waiters.delete(check);
                  late(new Error(`the SMTP server did not see ${what} within ${timeoutMs} ms (received ${received.length}; ${JSON.stringify(events)})`));
                }, timeoutMs);
                const check = () => {
                  if (!test()) return;
                  clearTimeout(timer);
                  waiters.delete(check);
                  ok();
                };
                waiters.add(check);
              }),
            stop: () => {
              child.kill('SIGTERM');
              return exited;
            },
          });
        } else if (typeof event.messageId === 'string') received.push(event as unknown as ReceivedMail);
        else events.push(event);
        for (const w of [...waiters]) w();
      }
    });
    void exited.then(() => fail(new Error(`the SMTP server exited before listening: ${err}`)));
  });
