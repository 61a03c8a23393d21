import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';

export interface TextRelease {
  readonly itemId: string;
  readonly releasedBy: string;
  /** The releaser's email, for the pages. */
  readonly releasedByEmail: string;
  readonly releasedAt: number;
}

export const listTextReleases = async (db: Kysely<IdentifiableDatabase>, waveId: string): Promise<TextRelease[]> =>
  (
    await db
      .selectFrom('text_release')
      .innerJoin('staff_user', 'staff_user.id', 'text_release.released_by')
      .select(['text_release.item_id', 'text_release.released_by', 'text_release.released_at', 'staff_user.email'])
      .where('text_release.wave_id', '=', waveId)
      .orderBy('text_release.item_id')
      .execute()
  ).map((r) => ({ itemId: r.item_id, releasedBy: r.released_by, releasedByEmail: r.email, releasedAt: Number(r.released_at) }));

/** Records a release; releasing an item already released keeps the first release. Returns whether it was new. */
export const releaseText = async (db: Kysely<IdentifiableDatabase>, release: { waveId: string; itemId: string; by: string; at: number }): Promise<boolean> => {
  const result = await db
    .insertInto('text_release')
    .values({ wave_id: release.waveId, item_id: release.itemId, released_by: release.by, released_at: release.at })
    .onConflict((oc) => oc.columns(['wave_id', 'item_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
};

/** Withdraws a release (later packages leave the item out again). Returns whether there was one. */
export const withdrawTextRelease = async (db: Kysely<IdentifiableDatabase>, waveId: string, itemId: string): Promise<boolean> => {
  const result = await db.deleteFrom('text_release').where('wave_id', '=', waveId).where('item_id', '=', itemId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
};
