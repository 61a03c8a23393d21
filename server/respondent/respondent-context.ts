import type { Context } from 'hono';
import { deleteCookie } from 'hono/cookie';
import type { SessionCsrf } from '../http/csrf-protection.js';
import type { ChromeVariables } from '../pages/send-page.js';
import type { Stores } from '../storage/open-stores.js';
import type { Invitation } from '../storage/invitation-store.js';
import type { PartTwoPass } from '../storage/part-two-pass-store.js';
import type { StoredWave } from '../storage/wave-store.js';

/** What the respondent routes need from the app. */
export interface RespondentDependencies {
  readonly stores: Stores;
  readonly key: Buffer;
  /** PUBLIC_URL: the address the part-two code's private link starts with; else the page's own. */
  readonly publicUrl?: string;
  /** The clock (epoch ms) of the resume form's token; tests move it. */
  readonly now?: () => number;
}

export type RespondentEnv = {
  Variables: ChromeVariables & {
    invitation: Invitation;
    sessionToken: string;
    credential: string;
    /** The CSRF token of the session or part-two pass that opened the page, derived once per request. */
    csrf: SessionCsrf;
    waveId: string;
    /** The stored pass of the credential, as the request found it: none until part two is first saved. */
    pass: PartTwoPass | undefined;
    /** The wave of the invitation or the part-two pass, as the wave store holds it (with its closing date). */
    wave: StoredWave;
  };
};

export const cookies = {
  session: 'cswo_session',
  /** The code part two will be issued with, once part one is submitted (Path=/survey/part-one). */
  pending: 'cswo_part_two_pending',
  /** The resume form's signed double-submit token (Path=/part-two/resume). */
  resumeForm: 'cswo_part_two_resume',
  partTwo: 'cswo_part_two',
  /** The "Leave the survey" form's signed double-submit token, on part-two pages shown without a pass (Path=/part-two/leave). */
  leaveForm: 'cswo_part_two_leave',
} as const;

/** Where "Leave the survey" posts: from part one's pages, and from part two's (and the resume pages). */
export const leavePaths = { partOne: '/survey/sign-out', partTwo: '/part-two/leave' } as const;

/**
 * Leaving: every cookie the survey gave this browser is removed, each on its own path (a response may
 * remove a cookie of any path of its site, whichever path the request carried). Nothing is read from
 * them and nothing is written anywhere, so leaving from part two ties it to nothing.
 */
export const removeRespondentCookies = (c: Context) => {
  const paths: Record<(typeof cookies)[keyof typeof cookies], string> = {
    [cookies.session]: '/survey',
    [cookies.pending]: '/survey/part-one',
    [cookies.resumeForm]: '/part-two/resume',
    [cookies.partTwo]: '/part-two',
    [cookies.leaveForm]: leavePaths.partTwo,
  };
  for (const [name, path] of Object.entries(paths)) deleteCookie(c, name, { path, secure: true, httpOnly: true });
};

export const sessionLifetimeMs = 8 * 60 * 60_000;

/** Cookie settings: never readable by scripts, only over HTTPS (browsers treat localhost as secure). */
export const cookieOptions = (path: string, sameSite: 'Lax' | 'Strict') =>
  ({ path, httpOnly: true, secure: true, sameSite, maxAge: sessionLifetimeMs / 1000 }) as const;
