/** Who is signed in, for the account panel of a staff page, and the form that signs them out. */
export interface StaffAccount {
  readonly email: string;
  /** The role as people say it: "Administrator", "Analyst", "Researcher". */
  readonly role: string;
  readonly signOut: { readonly action: string; readonly csrf: string };
}
