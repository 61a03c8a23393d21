import type { FirstRunLink } from './first-run-setup.js';
import type { MailOutbox } from '../mail/outbox-sender.js';
import type { MiddlewareHandler } from 'hono';
import type { StaffSession, StaffSessionPolicy } from './staff-sessions.js';
import { defaultStaffSessionPolicy } from './staff-sessions.js';
import type { Stores } from '../storage/open-stores.js';
import type { StaffRole } from '../storage/staff-user-store.js';
import type { StoredWave } from '../storage/wave-store.js';

import type { Audience } from '../http/route-declarations.js';

export type { Audience };

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
  /** The first-run setup link, while the server started with no staff account. */
  readonly firstRun?: FirstRunLink;
  /** Email (SMTP_URL and MAIL_FROM): absent when it is not set up, and the pages say so. */
  readonly mail?: MailOutbox;
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
  /** The first-run setup form's double-submit value: Path=/staff/setup, an hour at most. */
  setup: 'cswo_staff_setup',
  /** The device cookie: this browser has signed in to an account before (Path=/staff/sign-in, a year; kept on sign-out). */
  device: 'cswo_staff_device',
} as const;

/**
 * Every staff page's address, as the pattern its route is mounted at (the features' route tables use these)
 * and the address its links are built from (`pathTo(staffPaths.waveRoster, { wave })`): one declaration of
 * each, so a link cannot lead past its route.
 */
export const staffPaths = {
  home: '/staff',
  signIn: '/staff/sign-in',
  signOut: '/staff/sign-out',
  /** The first-run setup page, opened by the one-time link the server prints while there is no staff account. */
  setup: '/staff/setup/:token',
  /** The waves and, for each, its response-rate monitor (admin only). */
  waves: '/staff/waves',
  /** Admins: the form that creates a wave. */
  newWave: '/staff/waves/new',
  /** The response-rate monitor of a wave. */
  waveResponses: '/staff/waves/:wave/responses',
  /** Admins: open a wave to answers (POST), close it (GET asks, POST closes). */
  waveOpen: '/staff/waves/:wave/open',
  waveClose: '/staff/waves/:wave/close',
  /** Admins: a wave's roster and its upload form. */
  waveRoster: '/staff/waves/:wave/roster',
  /** Admins: issuing a wave's invitation links. */
  waveInvitations: '/staff/waves/:wave/invitations',
  /** Admins: how long a wave keeps what identifies people. */
  waveRetention: '/staff/waves/:wave/retention',
  /** Admins: who a reminder would go to; each part's message previewed and sent by email. */
  waveReminders: '/staff/waves/:wave/reminders',
  waveReminder: '/staff/waves/:wave/reminders/:reminder{part-one|part-two}',
  /** Admins: the wording of the emails to councils, one page per kind of message. */
  messages: '/staff/messages',
  message: '/staff/messages/:message{invitation|part-one-reminder|part-two-reminder}',
  /** Admins: the privacy notice respondents read at /privacy. */
  privacyNotice: '/staff/privacy-notice',
  /** Admins: a CSWO's requests, found by the email address on the rosters (the address goes in POST bodies only). */
  people: '/staff/people',
  /** Admins: staff accounts and roles. */
  users: '/staff/users',
  newUser: '/staff/users/new',
  /** Admins: one staff account, its role and whether it may sign in. */
  user: '/staff/users/:user',
  userRole: '/staff/users/:user/role',
  userDisable: '/staff/users/:user/disable',
  userEnable: '/staff/users/:user/enable',
  /** Admins: the audit log. */
  audit: '/staff/audit',
  /** The waves whose tables can be read (admins and analysts), and each wave's dashboard. */
  dashboards: '/staff/dashboards',
  dashboard: '/staff/dashboards/:wave',
  /** One section of the report's tables: the dashboard's pages, one per section, each with its charts. */
  dashboardSection: '/staff/dashboards/:wave/sections/:section',
  tableDownload: '/staff/dashboards/:wave/tables/:table/:format{csv|svg|png}',
  draftReport: '/staff/dashboards/:wave/report',
  /** Part two's free-text answers, to read and release to researchers. */
  freeText: '/staff/dashboards/:wave/free-text',
  /** Admins and analysts: the survey definitions (bundled and published), and each one's preview. */
  definitions: '/staff/definitions',
  /** A definition (`cswo-annual@3`) paged through as a respondent would: every section with its checks, storing nothing. */
  definitionPreview: '/staff/definitions/:definition/preview',
  definitionPreviewSection: '/staff/definitions/:definition/preview/:part/:section',
  definitionPreviewEnd: '/staff/definitions/:definition/preview/end',
  /** Admins: upload a new version, checked; then, kept as a draft, its changes, its preview and the button that publishes it. */
  definitionPublish: '/staff/definitions/publish',
  definitionDraft: '/staff/definitions/drafts/:draft',
  draftPreview: '/staff/definitions/drafts/:draft/preview',
  draftPreviewSection: '/staff/definitions/drafts/:draft/preview/:part/:section',
  draftPreviewEnd: '/staff/definitions/drafts/:draft/preview/end',
  /** The researchers' downloads. */
  research: '/staff/research',
  /** One package across the waves ticked: a GET form, `?wave=2020-01&wave=2020-06`. */
  researchPackages: '/staff/research/package',
  researchPackage: '/staff/research/:wave/package',
  publicTables: '/staff/research/:wave/tables',
} as const;

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
