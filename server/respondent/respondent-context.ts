import type { Wave } from '../../survey-definitions/index.js';
import type { Stores } from '../storage/open-stores.js';
import type { Invitation } from '../storage/invitation-store.js';

/** What the respondent routes need from the app. */
export interface RespondentDependencies {
  readonly stores: Stores;
  readonly key: Buffer;
}

export type RespondentEnv = {
  Variables: {
    invitation: Invitation;
    sessionToken: string;
    credential: string;
    waveId: string;
    /** The wave of the invitation or the part-two pass, as the wave store holds it. */
    wave: Wave;
  };
};

export const cookies = {
  session: 'cswo_session',
  invitation: 'cswo_invitation',
  partTwo: 'cswo_part_two',
} as const;

export const sessionLifetimeMs = 8 * 60 * 60_000;

/** Cookie settings: never readable by scripts, only over HTTPS (browsers treat localhost as secure). */
export const cookieOptions = (path: string, sameSite: 'Lax' | 'Strict') =>
  ({ path, httpOnly: true, secure: true, sameSite, maxAge: sessionLifetimeMs / 1000 }) as const;
