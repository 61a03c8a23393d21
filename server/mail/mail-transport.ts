import nodemailer from 'nodemailer';
import { shownSmtpUrl, type MailSettings } from './mail-settings.js';

/** A message as the outbox's sender hands it over: one recipient, plain text and HTML. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** `<id@domain>`: the same for every attempt, so a message sent again after a crash is known as the same one. */
  readonly messageId: string;
}

export type SendOutcome =
  | { readonly sent: true }
  /** `temporary`: try again later (a 4xx reply, no connection); otherwise the message cannot go (a 5xx reply, a bad address). */
  | { readonly sent: false; readonly temporary: boolean; readonly reason: string };

export interface Mailer {
  /** Connects and authenticates, or says why not in a sentence (never the password). */
  check(): Promise<{ readonly ok: true; readonly shown: string } | { readonly ok: false; readonly reason: string }>;
  send(message: MailMessage): Promise<SendOutcome>;
  close(): void;
}

interface SmtpError {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly message?: string;
}

/** The server's reply or the connection's failure in a line, without the credentials the URL holds. */
const describe = (error: unknown): string => {
  const e = (error ?? {}) as SmtpError;
  const reply = e.response?.replace(/\s+/g, ' ').trim();
  if (reply) return reply.slice(0, 300);
  const message = (e.message ?? String(error)).replace(/\s+/g, ' ').trim();
  return `${e.code ? `${e.code}: ` : ''}${message}`.slice(0, 300);
};

/**
 * A refused message is refused for good only on a 5xx reply to it (RFC 5321: a permanent negative
 * reply), except a refused login, which says nothing of the message: it is tried again, and the check at
 * start and the monitor say the login fails. No reply at all (no connection, a timeout) is temporary.
 */
const classify = (error: unknown): SendOutcome => {
  const e = (error ?? {}) as SmtpError;
  const permanent = e.code !== 'EAUTH' && typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
  return { sent: false, temporary: !permanent, reason: describe(error) };
};

/**
 * Over `smtp://` nodemailer uses STARTTLS only when the server offers it, so anyone on the way who hid
 * the offer would read the login and every invitation link: encryption is required, except to a relay
 * on this machine (a local MTA, Mailpit), where nothing crosses a network.
 */
export const transportOptions = (url: string): { url: string; requireTLS: boolean } => {
  const { protocol, hostname } = new URL(url);
  const loopback = hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  return { url, requireTLS: protocol === 'smtp:' && !loopback };
};

export const smtpMailer = (settings: MailSettings): Mailer => {
  // Bounded waits, so that one exchange ends well within the outbox's claim (defaultLeaseMs, 5 minutes).
  const transport = nodemailer.createTransport({
    ...transportOptions(settings.url),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    logger: false,
  });
  const shown = shownSmtpUrl(settings.url);
  return {
    async check() {
      try {
        await transport.verify();
        return { ok: true, shown };
      } catch (error) {
        return { ok: false, reason: `the mail server at ${shown} cannot be used: ${describe(error)}` };
      }
    },
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
        });
        if (info.rejected.length > 0) return { sent: false, temporary: false, reason: `the mail server refused ${message.to}: ${info.response}` };
        return { sent: true };
      } catch (error) {
        return classify(error);
      }
    },
    close: () => transport.close(),
  };
};
