import type { MiddlewareHandler } from 'hono';
import type { StaffSession, StaffSessionPolicy } from './staff-sessions.js';
import { defaultStaffSessionPolicy } from './staff-sessions.js';
import type { Stores } from '../storage/open-stores.js';
import type { StaffRole } from '../storage/staff-user-store.js';
import type { StoredWave } from '../storage/wave-store.js';

/** A staff role, or `public`: anyone, signed in or not. */
export type Audience = StaffRole | 'public';

/** Mounts a staff route for these roles only (staff-access.ts makes it from the route table). */
export type RequireRole = (...roles: Audience[]) => MiddlewareHandler<StaffEnv>;

/** What the staff routes need from the app. */
export interface StaffDependencies {
  readonly stores: Stores;
  /** The server key: signs CSRF tokens and tags client addresses. */
  readonly key: Buffer;
  /** The clock (epoch ms): sign-in, session timeouts, the sign-in form's age. Tests move it. */
  readonly now: () => number;
  /** Timeouts and limits other than the defaults (tests). */
  readonly policy?: Partial<StaffSessionPolicy>;
  /** The address invitation links start with (PUBLIC_URL); by default, the one the admin's page was reached at. */
  readonly publicUrl?: string;
}

export type StaffEnv = {
  Variables: {
    /** The signed-in user's session, on routes that need one. */
    staff: StaffSession;
    /** The session cookie's token (CSRF tokens of signed-in forms are derived from it). */
    staffToken: string;
    /** On routes with `:wave`, the stored wave `withWave` resolved (read it with `waveOf`). */
    wave?: StoredWave;
  };
};

export const staffCookies = {
  /** The session: Path=/staff, so it never travels with a respondent's requests. */
  session: 'cswo_staff',
  /** The sign-in form's double-submit value: Path=/staff/sign-in, an hour at most. */
  signIn: 'cswo_staff_sign_in',
  /** The device cookie: this browser has signed in to an account before (Path=/staff/sign-in, a year; kept on sign-out). */
  device: 'cswo_staff_device',
} as const;

export const staffPaths = {
  home: '/staff',
  signIn: '/staff/sign-in',
  signOut: '/staff/sign-out',
  /** The waves and, for each, its response-rate monitor (admin only). */
  waves: '/staff/waves',
  /** Admins: the form that creates a wave. */
  newWave: '/staff/waves/new',
  /** Admins: staff accounts and roles. */
  users: '/staff/users',
  newUser: '/staff/users/new',
  /** Admins: the audit log. */
  audit: '/staff/audit',
} as const;

/** The response-rate monitor of a wave. */
export const waveResponsesPath = (waveId: string) => `${staffPaths.waves}/${encodeURIComponent(waveId)}/responses`;

/** Admins: open or close a wave (POST). */
export const waveStatusPath = (waveId: string, action: 'open' | 'close') => `${staffPaths.waves}/${encodeURIComponent(waveId)}/${action}`;

/** Admins: a wave's roster and its upload form. */
export const waveRosterPath = (waveId: string) => `${staffPaths.waves}/${encodeURIComponent(waveId)}/roster`;

/** Admins: issuing a wave's invitation links. */
export const waveInvitationsPath = (waveId: string) => `${staffPaths.waves}/${encodeURIComponent(waveId)}/invitations`;

/** Admins: one staff account, its role and whether it may sign in. */
export const staffUserPath = (userId: string) => `${staffPaths.users}/${encodeURIComponent(userId)}`;

export const roleLabels: Readonly<Record<StaffRole, string>> = { admin: 'Administrator', analyst: 'Analyst', researcher: 'Researcher' };

/**
 * The session cookie: never readable by scripts, HTTPS only, never sent from another site. It has no
 * Max-Age, so the browser forgets it when it closes; the server ends the session itself (30 minutes idle,
 * 8 hours in all), and because the browser still sends the cookie afterwards, the sign-in page can say
 * which of the two ended it.
 */
export const sessionCookieOptions = () => ({ path: staffPaths.home, httpOnly: true, secure: true, sameSite: 'Strict' }) as const;

const duration = (ms: number) => {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
};

/** Shown on the sign-in page after a timeout: `?ended=idle` or `?ended=absolute`. */
export const sessionEndedMessage = (reason: 'idle' | 'absolute', policy: Partial<StaffSessionPolicy> = {}): string => {
  const p = { ...defaultStaffSessionPolicy, ...policy };
  return reason === 'idle'
    ? `You were signed out after ${duration(p.idleMs)} without activity`
    : `You were signed out because a session lasts ${duration(p.absoluteMs)} at most`;
};

/** The staff routes' dependencies: the app's, and the one access guard they all mount with. */
export interface StaffRouteDependencies extends StaffDependencies {
  readonly requireRole: RequireRole;
}
