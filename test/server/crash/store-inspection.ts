import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Respondent } from './crash-journey.js';
import { findDefinition, storedAnswers, type Answers } from '../../../survey-definitions/index.js';

/**
 * What a crash left in the SQLite files, read straight from them while no server runs (opening them
 * replays the WAL, as the next server would), and the rules it must satisfy.
 */

export interface StoreState {
  readonly integrity: { readonly identifiable: string; readonly anonymous: string };
  /** part_one_response rows: wave, council, the marker answer. */
  readonly partOne: readonly { wave: string; council: string; marker: unknown }[];
  /** part_one_draft rows whose council's part one is stored: half-written if any. */
  readonly draftsOfSubmittedPartOne: number;
  /** part_two_response rows: wave and the marker answer (part two has nothing else to tell them apart). */
  readonly partTwo: readonly { wave: string; marker: unknown }[];
  /** part_two_pass rows: written when part two is first saved or submitted. */
  readonly passes: readonly { wave: string; credentialHash: string; spent: boolean }[];
  /** Part ones stored without the receipt that gives the sending browser its part-two code back. */
  readonly partOneWithoutReceipt: number;
  /** Spent passes still holding a draft: half-written if any. */
  readonly draftsOfSpent: number;
}

const integrityOf = (db: Database.Database) => (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');

export const inspectStores = (dataDir: string): StoreState => {
  const identifiable = new Database(join(dataDir, 'identifiable.db'), { fileMustExist: true });
  const anonymous = new Database(join(dataDir, 'anonymous.db'), { fileMustExist: true });
  // Part two is in two places (anonymous-store.ts): the open waves' in the intake, the others' in the
  // archive. Both are read, so an answer stored twice across them counts twice.
  anonymous.prepare('attach database ? as intake').run(join(dataDir, 'anonymous-intake.db'));
  const both = (columns: string, table: string, where = '') =>
    `select ${columns} from main.${table} ${where} union all select ${columns} from intake.${table} ${where}`;
  try {
    const partOne = identifiable.prepare('select wave_id, local_authority, answers from part_one_response').all() as {
      wave_id: string;
      local_authority: string;
      answers: string;
    }[];
    const draftsOfSubmittedPartOne = identifiable
      .prepare(
        `select count(*) as n from part_one_draft d join invitation i on i.id = d.invitation_id
         join part_one_response r on r.wave_id = i.wave_id and r.local_authority = i.local_authority`,
      )
      .get() as { n: number };
    const partOneWithoutReceipt = identifiable.prepare('select count(*) as n from part_one_response where part_two_receipt is null').get() as { n: number };
    const partTwo = anonymous.prepare(both('wave_id, answers', 'part_two_response')).all() as { wave_id: string; answers: string }[];
    // A part-two row kept by position is read with its wave's definition (survey-definitions/stored-answers.ts).
    const waveDefinition = identifiable.prepare('select definition_id as id, definition_version as version from wave where id = ?');
    const decode = (waveId: string, text: string): Answers => {
      const ref = waveDefinition.get(waveId) as { id: string; version: number };
      return storedAnswers(findDefinition({ id: ref.id, version: Number(ref.version) })!, 'anonymous').decode(text);
    };
    const passes = anonymous.prepare(both('wave_id, credential_hash, spent', 'part_two_pass')).all() as {
      wave_id: string;
      credential_hash: string;
      spent: number;
    }[];
    const draftsOfSpent = anonymous.prepare(`select count(*) as n from (${both('1', 'part_two_pass', 'where spent = 1 and answers is not null')})`).get() as {
      n: number;
    };
    return {
      // integrity_check covers every database of the connection: the archive and the intake.
      integrity: { identifiable: integrityOf(identifiable), anonymous: integrityOf(anonymous) },
      partOne: partOne.map((r) => ({
        wave: r.wave_id,
        council: r.local_authority,
        marker: (JSON.parse(r.answers) as Record<string, unknown>).oversight_roles,
      })),
      draftsOfSubmittedPartOne: draftsOfSubmittedPartOne.n,
      partTwo: partTwo.map((r) => ({ wave: r.wave_id, marker: decode(r.wave_id, r.answers).final_reflections })),
      partOneWithoutReceipt: partOneWithoutReceipt.n,
      passes: passes.map((r) => ({ wave: r.wave_id, credentialHash: r.credential_hash, spent: r.spent === 1 })),
      draftsOfSpent: draftsOfSpent.n,
    };
  } finally {
    identifiable.close();
    anonymous.close();
  }
};

const countBy = <T>(items: readonly T[], keyOf: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
};

/**
 * Every rule a crash must not break, as a list of problems (empty when all hold). `respondents` are as
 * they stood when the files were read: an acknowledgement that arrived before the kill must be stored.
 */
export const crashProblems = (state: StoreState, respondents: readonly Respondent[]): string[] => {
  const problems: string[] = [];
  for (const [store, result] of Object.entries(state.integrity)) if (result !== 'ok') problems.push(`${store}.db integrity_check: ${result}`);

  // Part one: exactly once per acknowledged council, never twice, with the answers that were sent.
  const partOneByCouncil = countBy(state.partOne, (r) => `${r.wave}/${r.council}`);
  for (const [council, n] of partOneByCouncil) if (n > 1) problems.push(`part one of ${council} stored ${n} times`);
  const partOneByMarker = new Map(state.partOne.map((r) => [`${r.wave}/${r.council}`, r.marker]));
  for (const r of respondents) {
    const stored = partOneByMarker.get(`${r.wave}/${r.council}`);
    if (r.partOne !== 'not-submitted' && stored === undefined) problems.push(`part one of ${r.wave}/${r.council} was ${r.partOne} but is not stored`);
    if (stored !== undefined && stored !== r.markers.partOne)
      problems.push(`part one of ${r.wave}/${r.council} holds ${JSON.stringify(stored)}, not what was sent`);
  }
  if (state.draftsOfSubmittedPartOne > 0) problems.push(`${state.draftsOfSubmittedPartOne} part-one drafts remain beside their submitted part one`);

  // Part two: anonymous, so only totals and the markers the test wrote into an answer.
  const markers = countBy(state.partTwo, (r) => String(r.marker));
  for (const [marker, n] of markers) if (n > 1) problems.push(`part-two answer ${marker} stored ${n} times`);
  const attempted = new Set(respondents.filter((r) => r.partTwoAttempted).map((r) => r.markers.partTwo));
  for (const marker of markers.keys()) if (!attempted.has(marker)) problems.push(`part-two answer ${marker} stored but never submitted`);
  for (const r of respondents) {
    if (r.partTwo !== 'not-submitted' && !markers.has(r.markers.partTwo)) problems.push(`part two ${r.markers.partTwo} was ${r.partTwo} but is not stored`);
  }
  const acknowledged = respondents.filter((r) => r.partTwo === 'acknowledged').length;
  if (!(acknowledged <= state.partTwo.length && state.partTwo.length <= attempted.size)) {
    problems.push(`part two: ${acknowledged} acknowledged, ${state.partTwo.length} stored, ${attempted.size} attempted`);
  }
  // Each part one sent through the pages is stored with its receipt, in the same transaction, so no crash
  // can leave a council that sent part one without a way back to its part-two code.
  if (state.partOneWithoutReceipt > 0) problems.push(`${state.partOneWithoutReceipt} part ones stored without their part-two receipt`);
  // The submit spends the pass and writes the answers in one transaction: one without the other is half-written.
  const spentPasses = state.passes.filter((p) => p.spent);
  const spentByWave = countBy(spentPasses, (s) => s.wave);
  const answersByWave = countBy(state.partTwo, (r) => r.wave);
  for (const wave of new Set([...spentByWave.keys(), ...answersByWave.keys()])) {
    if ((spentByWave.get(wave) ?? 0) !== (answersByWave.get(wave) ?? 0)) {
      problems.push(`wave ${wave}: ${spentByWave.get(wave) ?? 0} spent credentials but ${answersByWave.get(wave) ?? 0} part-two answers`);
    }
  }
  const spent = new Set(spentPasses.map((s) => s.credentialHash));
  for (const r of respondents) {
    if (r.partTwo !== 'not-submitted' && (!r.credentialHash || !spent.has(r.credentialHash)))
      problems.push(`part two ${r.markers.partTwo} was ${r.partTwo} but its credential is not spent`);
  }
  if (state.draftsOfSpent > 0) problems.push(`${state.draftsOfSpent} part-two drafts remain under spent credentials`);
  return problems;
};
