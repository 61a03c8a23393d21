import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in a process of its own, for the email tests: it requires a login, accepts messages
 * and reports each on standard output as a JSON line. Its behaviour comes as JSON in argv[2]:
 * - `tempFail`: address → how many times to answer 451 before accepting;
 * - `permFail`: addresses answered 550 (no such mailbox);
 * - `holdMessage`: the n-th message (1-based) is read but never answered: it says `{"holding":n}` and
 *   waits, as a server would while its disk is slow, so that a test can kill the sender there;
 * - `refuseQuoting`: addresses whose messages are refused after reading them (554), the reply quoting
 *   the first address (URL) in the text, as a content filter's reply may.
 */
interface Behaviour {
  readonly user: string;
  readonly password: string;
  readonly tempFail?: Record<string, number>;
  readonly permFail?: readonly string[];
  readonly holdMessage?: number;
  readonly refuseQuoting?: readonly string[];
}

const behaviour = JSON.parse(process.argv[2] ?? '{}') as Behaviour;
const tempFailures = new Map(Object.entries(behaviour.tempFail ?? {}));
let seen = 0;
const report = (event: unknown) => process.stdout.write(`${JSON.stringify(event)}\n`);

const server = new SMTPServer({
  authOptional: false,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, _session, callback) {
    if (auth.username === behaviour.user && auth.password === behaviour.password) callback(null, { user: auth.username });
    else callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
  },
  onRcptTo(address, _session, callback) {
    const to = address.address.toLowerCase();
    if (behaviour.permFail?.includes(to)) return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
    const left = tempFailures.get(to) ?? 0;
    if (left > 0) {
      tempFailures.set(to, left - 1);
      report({ refusedForNow: to });
      return callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
    }
    callback();
  },
  onData(stream, session, callback) {
    const n = ++seen;
    void simpleParser(stream).then((parsed) => {
      if (n === behaviour.holdMessage) {
        report({ holding: n });
        return; // never answered: the sender waits for a reply that does not come
      }
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      if (to.some((a) => behaviour.refuseQuoting?.includes(a))) {
        const url = /https?:\/\/\S+/.exec(parsed.text ?? '')?.[0] ?? '';
        return callback(Object.assign(new Error(`Message refused: blocked URL ${url}`), { responseCode: 554 }));
      }
      report({
        to: session.envelope.rcptTo.map((r) => r.address),
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        // The From header as a mail client reads it.
        fromHeader: parsed.from?.value.map((a) => ({ name: a.name, address: a.address })) ?? [],
        subject: parsed.subject,
        messageId: parsed.messageId,
        text: parsed.text,
        html: typeof parsed.html === 'string' ? parsed.html : null,
      });
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  report({ listening: typeof address === 'object' && address ? address.port : 0 });
});
