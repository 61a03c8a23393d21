import type { Kysely } from 'kysely';
import { z } from 'zod';
import { formField, sentence, zodProblems, type FieldProblem } from '../pages/field-problems.js';
import { hashPassword, passwordProblems } from '../security/passwords.js';
import type { ChangeMade } from '../storage/audit-log-store.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import {
  disableStaffUser,
  DuplicateStaffEmail,
  enableStaffUser,
  findStaffUserByEmail,
  insertStaffUser,
  normaliseEmail,
  setStaffUserRole,
  staffRoles,
  type StaffRole,
  type StaffUser,
} from '../storage/staff-user-store.js';

/**
 * Changes to staff accounts, the same from the staff pages and the command line (`user add`, `user
 * disable`): checked here and written to the audit log in the same transaction as the change. A
 * password goes to argon2 and nowhere else: never into a page, an audit detail or a log.
 */

export const accountAuditActions = { add: 'staff.user.add', disable: 'staff.user.disable', enable: 'staff.user.enable', role: 'staff.user.role' } as const;

const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why an email cannot be an account's, or undefined; the email is compared trimmed and lower-cased. */
export const staffEmailProblem = (text: string): string | undefined => {
  const email = normaliseEmail(text);
  if (email === '') return 'Enter the email address the person will sign in with';
  if (email.length > 254 || !emailShape.test(email)) return 'Enter an email address in the correct format, like name@example.org';
  return undefined;
};

export const newAccountFields = ['email', 'role', 'password', 'confirm'] as const;

const roleMessage = 'Choose what the account may do';

/** The password typed twice, checked against the account's email (a password that is the email is refused). */
const checkNewPassword = (form: { password: string; confirm: string }, email: string, ctx: z.RefinementCtx) => {
  const problems = passwordProblems(form.password, { email });
  if (problems.length > 0) ctx.addIssue({ code: 'custom', path: ['password'], message: problems.map(sentence).join('. ') });
  else if (form.confirm === '') ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'Enter the password again' });
  else if (form.confirm !== form.password)
    ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'The two passwords are not the same: type the password again in both boxes' });
};

/** The form that adds an account: the password typed twice. */
export const newAccountSchema = z
  .object({
    email: formField(
      z.string().superRefine((text, ctx) => {
        const problem = staffEmailProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    ),
    role: formField(z.string().refine((r) => (staffRoles as readonly string[]).includes(r), roleMessage)),
    password: formField(z.string()),
    confirm: formField(z.string()),
  })
  .superRefine((form, ctx) => checkNewPassword(form, normaliseEmail(form.email), ctx));

export type AddAccountResult =
  | { readonly ok: true; readonly user: StaffUser }
  /** `invalid`: a field is missing or malformed; `taken`: an account has the email. */
  | { readonly ok: false; readonly reason: 'invalid' | 'taken'; readonly problems: readonly FieldProblem[] };

const taken = (email: string): AddAccountResult => ({
  ok: false,
  reason: 'taken',
  problems: [{ field: 'email', message: `An account with the email ${email} already exists` }],
});

/** Stores an account whose password is already hashed, and audits it as `staff.user.add`. */
export const insertAccount = async (
  db: Kysely<IdentifiableDatabase>,
  account: { email: string; role: StaffRole; passwordHash: string },
  made: ChangeMade,
): Promise<StaffUser> =>
  db.transaction().execute(async (trx) => {
    const user = await insertStaffUser(trx, { ...account, now: made.now });
    await appendAuditEvent(trx, {
      actor: made.actor,
      action: accountAuditActions.add,
      detail: { email: user.email, role: user.role, ...(made.via ? { via: made.via } : {}) },
      at: made.now,
    });
    return user;
  });

/** The add-account form: checks every field, hashes the password (argon2id), stores and audits. */
export const addAccount = async (db: Kysely<IdentifiableDatabase>, input: Readonly<Record<string, unknown>>, made: ChangeMade): Promise<AddAccountResult> => {
  const parsed = newAccountSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid', problems: zodProblems(parsed.error, newAccountFields) };
  const email = normaliseEmail(parsed.data.email);
  // Before hashing: argon2 takes a moment, and the answer would be the same.
  if (await findStaffUserByEmail(db, email)) return taken(email);
  const passwordHash = await hashPassword(parsed.data.password);
  try {
    return { ok: true, user: await insertAccount(db, { email, role: parsed.data.role as StaffRole, passwordHash }, made) };
  } catch (error) {
    if (error instanceof DuplicateStaffEmail) return taken(email);
    throw error;
  }
};

/** Disables an account and ends its sessions; audited as `staff.user.disable`. False when it already was. */
export const disableAccount = async (db: Kysely<IdentifiableDatabase>, user: StaffUser, made: ChangeMade): Promise<boolean> =>
  db.transaction().execute(async (trx) => {
    const done = await disableStaffUser(trx, user.id);
    if (done)
      await appendAuditEvent(trx, {
        actor: made.actor,
        action: accountAuditActions.disable,
        detail: { email: user.email, ...(made.via ? { via: made.via } : {}) },
        at: made.now,
      });
    return done;
  });

export const enableAccountFields = ['password', 'confirm'] as const;

export type EnableAccountResult =
  | { readonly ok: true }
  /** `invalid`: the new password is missing or refused; `active`: the account was not disabled (nothing changed). */
  | { readonly ok: false; readonly reason: 'invalid' | 'active'; readonly problems: readonly FieldProblem[] };

/**
 * Re-enables a disabled account with a new password (typed twice), audited as `staff.user.enable`. The
 * old password does not come back: an account is disabled when its holder leaves or its password may be
 * known to someone else, and whoever re-enables it cannot know which. The person signs in afresh with
 * the password the administrator gives them; the sessions that disabling ended stay ended.
 */
export const enableAccount = async (
  db: Kysely<IdentifiableDatabase>,
  user: StaffUser,
  input: Readonly<Record<string, unknown>>,
  made: ChangeMade,
): Promise<EnableAccountResult> => {
  const parsed = z
    .object({ password: formField(z.string()), confirm: formField(z.string()) })
    .superRefine((form, ctx) => checkNewPassword(form, user.email, ctx))
    .safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid', problems: zodProblems(parsed.error, enableAccountFields) };
  const passwordHash = await hashPassword(parsed.data.password);
  const done = await db.transaction().execute(async (trx) => {
    const enabled = await enableStaffUser(trx, user.id, passwordHash);
    if (enabled)
      await appendAuditEvent(trx, {
        actor: made.actor,
        action: accountAuditActions.enable,
        detail: { email: user.email, ...(made.via ? { via: made.via } : {}) },
        at: made.now,
      });
    return enabled;
  });
  return done ? { ok: true } : { ok: false, reason: 'active', problems: [] };
};

/** Gives an account another role; audited as `staff.user.role` with both roles. False when it had it already. */
export const changeAccountRole = async (db: Kysely<IdentifiableDatabase>, user: StaffUser, role: StaffRole, made: ChangeMade): Promise<boolean> => {
  if (user.role === role) return false;
  await db.transaction().execute(async (trx) => {
    await setStaffUserRole(trx, user.id, role);
    await appendAuditEvent(trx, {
      actor: made.actor,
      action: accountAuditActions.role,
      detail: { email: user.email, from: user.role, to: role },
      at: made.now,
    });
  });
  return true;
};
