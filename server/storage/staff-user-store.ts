import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';
import { newId } from './part-one-store.js';
import type { StaffRole } from './staff-database.js';

export type { StaffRole };
export const staffRoles: readonly StaffRole[] = ['admin', 'analyst', 'researcher'];

/** A staff account as the rest of the server sees it: never with its password hash. */
export interface StaffUser {
  readonly id: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly disabled: boolean;
  readonly createdAt: number;
}

/** Emails are compared and stored trimmed and lower-cased. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

const publicColumns = ['id', 'email', 'role', 'disabled', 'created_at'] as const;

const toUser = (row: { id: string; email: string; role: StaffRole; disabled: number; created_at: number }): StaffUser => ({
  id: row.id,
  email: row.email,
  role: row.role,
  disabled: Number(row.disabled) === 1,
  createdAt: Number(row.created_at),
});

export class DuplicateStaffEmail extends Error {
  override name = 'DuplicateStaffEmail';
  constructor(readonly email: string) {
    super(`a staff account with the email ${email} already exists`);
  }
}

/** Adds an account; the caller hashes the password (server/security/passwords.ts). */
export const insertStaffUser = async (
  db: Kysely<IdentifiableDatabase>,
  user: { email: string; role: StaffRole; passwordHash: string; now?: number },
): Promise<StaffUser> => {
  const email = normaliseEmail(user.email);
  if (await findStaffUserByEmail(db, email)) throw new DuplicateStaffEmail(email);
  const row = { id: newId(), email, role: user.role, password_hash: user.passwordHash, disabled: 0, created_at: user.now ?? Date.now() };
  try {
    await db.insertInto('staff_user').values(row).execute();
  } catch (error) {
    // Another process added the same email between the look-up and the insert.
    if (/unique/i.test((error as Error).message)) throw new DuplicateStaffEmail(email);
    throw error;
  }
  return toUser(row);
};

export const findStaffUserByEmail = async (db: Kysely<IdentifiableDatabase>, email: string): Promise<StaffUser | undefined> => {
  const row = await db.selectFrom('staff_user').select(publicColumns).where('email', '=', normaliseEmail(email)).executeTakeFirst();
  return row && toUser(row);
};

/** The account and its password hash, for checking a password at sign-in only. */
export const findStaffCredentials = async (db: Kysely<IdentifiableDatabase>, email: string) => {
  const row = await db
    .selectFrom('staff_user')
    .select([...publicColumns, 'password_hash'])
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
  return row && { user: toUser(row), passwordHash: row.password_hash };
};

export const listStaffUsers = async (db: Kysely<IdentifiableDatabase>): Promise<StaffUser[]> =>
  (await db.selectFrom('staff_user').select(publicColumns).orderBy('email').execute()).map(toUser);

export const countStaffUsers = async (db: Kysely<IdentifiableDatabase>): Promise<number> => {
  const row = await db
    .selectFrom('staff_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

/** Disables an account and ends its sessions. Returns false when it was already disabled. */
export const disableStaffUser = async (db: Kysely<IdentifiableDatabase>, id: string): Promise<boolean> => {
  const result = await db.updateTable('staff_user').set({ disabled: 1 }).where('id', '=', id).where('disabled', '=', 0).executeTakeFirst();
  await db.deleteFrom('staff_session').where('user_id', '=', id).execute();
  return Number(result.numUpdatedRows) > 0;
};

/**
 * Re-enables a disabled account with a new password hash. Returns false when it was not disabled (the
 * hash is then left alone). It had no sessions left: disabling ended them.
 */
export const enableStaffUser = async (db: Kysely<IdentifiableDatabase>, id: string, passwordHash: string): Promise<boolean> => {
  const result = await db
    .updateTable('staff_user')
    .set({ disabled: 0, password_hash: passwordHash })
    .where('id', '=', id)
    .where('disabled', '=', 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
};

export const setStaffPasswordHash = async (db: Kysely<IdentifiableDatabase>, id: string, passwordHash: string): Promise<void> => {
  await db.updateTable('staff_user').set({ password_hash: passwordHash }).where('id', '=', id).execute();
};

export const findStaffUserById = async (db: Kysely<IdentifiableDatabase>, id: string): Promise<StaffUser | undefined> => {
  const row = await db.selectFrom('staff_user').select(publicColumns).where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
};

/** Gives an account another role; it applies from the account's next request (sessions read the role each time). */
export const setStaffUserRole = async (db: Kysely<IdentifiableDatabase>, id: string, role: StaffRole): Promise<void> => {
  await db.updateTable('staff_user').set({ role }).where('id', '=', id).execute();
};
