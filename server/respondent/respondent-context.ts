import type { Wave } from '../../survey-definitions/index.js';
import type { Stores } from '../storage/open-stores.js';
import type { Invitation } from '../storage/invitation-store.js';
import type { PartTwoPass } from '../storage/part-two-pass-store.js';

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
  Variables: {
    invitation: Invitation;
    sessionToken: string;
    credential: string;
    waveId: string;
    /** The stored pass of the credential, as the request found it: none until part two is first saved. */
    pass: PartTwoPass | undefined;
    /** The wave of the invitation or the part-two pass, as the wave store holds it. */
    wave: Wave;
  };
};

export const cookies = {
  session: 'cswo_session',
  /** The code part two will be issued with, once part one is submitted (Path=/survey/part-one). */
  pending: 'cswo_part_two_pending',
  /** The resume form's signed double-submit token (Path=/part-two/resume). */
  resumeForm: 'cswo_part_two_resume',
  partTwo: 'cswo_part_two',
} as const;

export const sessionLifetimeMs = 8 * 60 * 60_000;

/** Cookie settings: never readable by scripts, only over HTTPS (browsers treat localhost as secure). */
export const cookieOptions = (path: string, sameSite: 'Lax' | 'Strict') =>
  ({ path, httpOnly: true, secure: true, sameSite, maxAge: sessionLifetimeMs / 1000 }) as const;
