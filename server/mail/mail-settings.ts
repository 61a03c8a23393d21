import { z } from 'zod';

/**
 * Email is optional: with neither SMTP_URL nor MAIL_FROM set the platform works as before (links printed
 * and pasted by hand) and says email is not set up. With one and not the other, or either malformed, it
 * refuses to start, naming the variable; the password in SMTP_URL is never repeated in a message.
 */
export interface MailSettings {
  /** `smtp://user:pass@host:587` (STARTTLS, required unless the host is this machine) or `smtps://…:465` (TLS from the start). */
  readonly url: string;
  /** The From header: `surveys@example.org` or `Social Work Scotland <surveys@example.org>`. */
  readonly from: string;
  /** The address part of `from`: its domain names the messages' Message-IDs. */
  readonly fromAddress: string;
  /** At most this many messages a minute from one sender, so that a relay is not flooded. */
  readonly perMinute: number;
}

export const defaultPerMinute = 60;

/** The URL as it may be shown: scheme, host and port, and the user name, never the password. */
export const shownSmtpUrl = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}`;
  } catch {
    return '(not a URL)';
  }
};

const fromPattern = /^\s*(?:(.*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*$/;

const settingsSchema = z.object({
  SMTP_URL: z
    .string()
    .trim()
    .optional()
    .transform((text, ctx) => {
      if (!text) return undefined;
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected smtp://user:password@host:port or smtps://user:password@host:port' });
        return z.NEVER;
      }
      if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
        ctx.addIssue({ code: 'custom', message: `expected smtp:// or smtps:// and a host, got ${shownSmtpUrl(text)}` });
        return z.NEVER;
      }
      return text;
    }),
  MAIL_FROM: z
    .string()
    .trim()
    .optional()
    .transform((text, ctx) => {
      if (!text) return undefined;
      const match = fromPattern.exec(text);
      const address = match?.[2] ?? match?.[3];
      if (!address || !z.email().safeParse(address).success || /[\r\n]/.test(text)) {
        ctx.addIssue({ code: 'custom', message: 'expected an email address, such as surveys@socialworkscotland.org, or "Name <address>"' });
        return z.NEVER;
      }
      return { from: text, address };
    }),
  MAIL_PER_MINUTE: z.coerce.number().int('expected a whole number of messages a minute').min(1).max(6000).default(defaultPerMinute),
});

export type MailSettingsReading =
  { readonly ok: true; readonly settings: MailSettings | undefined } | { readonly ok: false; readonly problems: readonly string[] };

/** The mail settings of an environment: undefined when email is not set up. */
export const readMailSettings = (env: NodeJS.ProcessEnv): MailSettingsReading => {
  const parsed = settingsSchema.safeParse({ SMTP_URL: env.SMTP_URL, MAIL_FROM: env.MAIL_FROM, MAIL_PER_MINUTE: env.MAIL_PER_MINUTE || undefined });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const { SMTP_URL: url, MAIL_FROM: from, MAIL_PER_MINUTE: perMinute } = parsed.data;
  if (url === undefined && from === undefined) return { ok: true, settings: undefined };
  if (url === undefined) return { ok: false, problems: ['SMTP_URL: MAIL_FROM is set, so SMTP_URL is needed too (smtp://user:password@host:port)'] };
  if (from === undefined) return { ok: false, problems: ['MAIL_FROM: SMTP_URL is set, so MAIL_FROM is needed too (the address messages come from)'] };
  return { ok: true, settings: { url, from: from.from, fromAddress: from.address, perMinute } };
};
