import { storedAnswers, type Answers, type PartId, type SurveyDefinition } from '../../survey-definitions/index.js';
import { deletePartTwoWave, insertPartTwoResponses, scrubArrivalOrder, type PartTwoPlace } from '../storage/anonymous-store.js';
import type { Stores } from '../storage/open-stores.js';
import { councilsWithPartOne, deletePartOneWave, insertPartOneResponses } from '../storage/part-one-store.js';
import { waveStatus } from '../storage/roster-store.js';

/** What an import does differently for each part, so the import itself has no branch on the part. */
export interface ImportTarget {
  run<T>(work: (tx: ImportTransaction) => Promise<T>): Promise<T>;
  /** After commit (or rollback): the anonymous store erases traces of arrival order and of refused rows. */
  afterWrite(): Promise<void>;
}

export interface ImportTransaction {
  deleteWave(waveId: string): Promise<number>;
  insert(waveId: string, batch: readonly Answers[]): Promise<void>;
  /** Councils that already answered part one of the wave; none for part two. */
  existingCouncils(waveId: string): Promise<Set<string>>;
}

const partOneTarget = (db: Stores['identifiable']): ImportTarget => ({
  run: (work) =>
    db.transaction().execute((trx) =>
      work({
        deleteWave: (waveId) => deletePartOneWave(trx, waveId),
        insert: (waveId, batch) =>
          insertPartOneResponses(
            trx,
            waveId,
            batch.map((answers) => ({ localAuthority: String(answers.local_authority), answers })),
          ),
        existingCouncils: (waveId) => councilsWithPartOne(trx, waveId),
      }),
    ),
  afterWrite: async () => {},
});

const partTwoTarget = ({ anonymous: db, identifiable }: Stores, definition: SurveyDefinition): ImportTarget => ({
  run: (work) => {
    const stored = storedAnswers(definition, 'anonymous');
    // Where the wave's part two lives (anonymous-store.ts): the intake while the wave is open. Asked once
    // per wave and import, not once per batch.
    const places = new Map<string, Promise<PartTwoPlace>>();
    const placeOf = (waveId: string) => {
      let place = places.get(waveId);
      if (!place) places.set(waveId, (place = waveStatus(identifiable, waveId).then((status) => (status === 'open' ? 'intake' : 'archive'))));
      return place;
    };
    return db.transaction().execute((trx) =>
      work({
        deleteWave: (waveId) => deletePartTwoWave(trx, waveId),
        insert: async (waveId, batch) => insertPartTwoResponses(trx, waveId, batch, await placeOf(waveId), stored),
        existingCouncils: async () => new Set(),
      }),
    );
  },
  // Deferred by another connection, the scrub goes on in the background; the command line waits for it (withStores).
  afterWrite: async () => {
    await scrubArrivalOrder(db, 'whole');
  },
});

/** `definition`: the wave's, whose form of its answers part two is stored in. */
export const importTarget = (stores: Stores, part: PartId, definition: SurveyDefinition): ImportTarget =>
  part === 'identifiable' ? partOneTarget(stores.identifiable) : partTwoTarget(stores, definition);
