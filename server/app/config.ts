import { isIP } from 'node:net';
import { z } from 'zod';
import { defaultSupportEmail } from '../../web/layout/page-chrome.js';
import { publicUrlExpected, publicUrlOf } from '../http/public-url.js';
import { readMailSettings, type MailSettings } from '../mail/mail-settings.js';

/** Settings from the environment, checked once at start-up with a message naming the bad variable. */
const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Where respondents reach the server, for the invitation links made on the admin pages. */
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      const url = publicUrlOf(text);
      if (url === undefined) ctx.addIssue({ code: 'custom', message: `expected ${publicUrlExpected}` });
      return url;
    }),
  /** Where respondents and staff ask for help: every page's footer, the start page and the problem pages link to it. */
  SUPPORT_EMAIL: z
    .string()
    .trim()
    .optional()
    .transform((text) => (text ? text : defaultSupportEmail))
    .pipe(z.email('expected an email address, such as admin@socialworkscotland.org')),
  /** Reverse proxies in front of the server, comma-separated IP addresses: client addresses are read through them. */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const list = (text ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      const bad = list.filter((a) => isIP(a) === 0);
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `expected IP addresses separated by commas, not ${bad.join(', ')}` });
      return list;
    }),
});

/** With the mail settings (SMTP_URL, MAIL_FROM, MAIL_PER_MINUTE), read by server/mail/mail-settings.ts: undefined when email is not set up. */
export type Config = z.infer<typeof environment> & { readonly mail: MailSettings | undefined };

/**
 * SUPPORT_EMAIL alone, checked as `readConfig` checks it, for the command line's emails (which need no
 * other setting of the server): the address, or a problem naming the variable.
 */
export const readSupportEmail = (env: NodeJS.ProcessEnv): { ok: true; address: string } | { ok: false; problem: string } => {
  const parsed = environment.shape.SUPPORT_EMAIL.safeParse(env.SUPPORT_EMAIL);
  return parsed.success ? { ok: true, address: parsed.data } : { ok: false, problem: `SUPPORT_EMAIL: ${parsed.error.issues[0]!.message}` };
};

export const readConfig = (env: NodeJS.ProcessEnv): Config => {
  const parsed = environment.safeParse(env);
  const mail = readMailSettings(env);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)), ...(mail.ok ? [] : mail.problems)];
  if (!parsed.success || !mail.ok) throw new Error(`invalid environment: ${problems.join('; ')}`);
  return { ...parsed.data, mail: mail.settings };
};
