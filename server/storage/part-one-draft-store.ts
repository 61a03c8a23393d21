import type { Kysely } from 'kysely';
import type { Answers } from '../../survey-definitions/index.js';
import type { IdentifiableDatabase } from './database.js';

export interface Draft {
  readonly answers: Answers;
  readonly section: string;
}

export const findPartOneDraft = async (db: Kysely<IdentifiableDatabase>, invitationId: string): Promise<Draft | undefined> => {
  const row = await db.selectFrom('part_one_draft').select(['answers', 'section']).where('invitation_id', '=', invitationId).executeTakeFirst();
  return row && { answers: JSON.parse(row.answers) as Answers, section: row.section };
};

export const savePartOneDraft = async (db: Kysely<IdentifiableDatabase>, invitationId: string, draft: Draft) => {
  const values = { answers: JSON.stringify(draft.answers), section: draft.section };
  await db
    .insertInto('part_one_draft')
    .values({ invitation_id: invitationId, ...values })
    .onConflict((oc) => oc.column('invitation_id').doUpdateSet(values))
    .execute();
};

export const findPartOneResponse = async (db: Kysely<IdentifiableDatabase>, waveId: string, localAuthority: string) =>
  db
    .selectFrom('part_one_response')
    .select(['id', 'part_two_receipt'])
    .where('wave_id', '=', waveId)
    .where('local_authority', '=', localAuthority)
    .executeTakeFirst();

export type PartOneState = 'not started' | 'in progress' | 'submitted';

/** One invitation's part-one state, by the same rule as `partOneStates` for a whole roster. */
export const partOneStateOf = async (
  db: Kysely<IdentifiableDatabase>,
  invitation: { readonly id: string; readonly waveId: string; readonly localAuthority: string },
): Promise<PartOneState> =>
  (await findPartOneResponse(db, invitation.waveId, invitation.localAuthority))
    ? 'submitted'
    : (await findPartOneDraft(db, invitation.id))
      ? 'in progress'
      : 'not started';

/** Part one's state for every council on the wave's roster. */
export const partOneStates = async (db: Kysely<IdentifiableDatabase>, waveId: string) => {
  const rows = await db
    .selectFrom('roster')
    .leftJoin('invitation', (j) => j.onRef('invitation.wave_id', '=', 'roster.wave_id').onRef('invitation.local_authority', '=', 'roster.local_authority'))
    .leftJoin('part_one_draft', 'part_one_draft.invitation_id', 'invitation.id')
    .leftJoin('part_one_response', (j) =>
      j.onRef('part_one_response.wave_id', '=', 'roster.wave_id').onRef('part_one_response.local_authority', '=', 'roster.local_authority'),
    )
    .select([
      'roster.local_authority',
      'roster.name',
      'invitation.id as invitation',
      'part_one_draft.invitation_id as draft',
      'part_one_response.id as response',
    ])
    .where('roster.wave_id', '=', waveId)
    .orderBy('roster.local_authority')
    .execute();
  return rows.map((r) => ({
    localAuthority: r.local_authority,
    name: r.name,
    invited: r.invitation !== null,
    state: (r.response ? 'submitted' : r.draft ? 'in progress' : 'not started') as PartOneState,
  }));
};
