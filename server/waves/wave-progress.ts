import { allItems, definitionOfWave, type Wave } from '../../survey-definitions/index.js';
import { countPartTwo } from '../storage/anonymous-store.js';
import type { Stores } from '../storage/open-stores.js';
import { partOneStates, type PartOneState } from '../storage/part-one-draft-store.js';
import { countPartOne } from '../storage/part-one-store.js';
import { waveStatus } from '../storage/roster-store.js';

export type WaveStatus = 'open' | 'closed' | 'not opened';

/**
 * A wave's status as the staff pages say it. "Open" alone would also read as "look at": the pages say
 * what it is open to. A new wave has never been opened: it is "not opened yet" everywhere, never "closed".
 */
export const waveStatusText: Readonly<Record<WaveStatus, string>> = {
  open: 'open to answers',
  closed: 'closed to answers',
  'not opened': 'not opened yet',
};

/** A wave's progress for the staff pages: part one per council, part two only as the wave's total. */
export interface WaveProgress {
  readonly status: WaveStatus;
  readonly statusText: string;
  readonly councils: readonly { readonly council: string; readonly name: string; readonly invited: boolean; readonly partOne: PartOneState }[];
  readonly invited: number;
  readonly partOne: Readonly<Record<PartOneState, number>>;
  /** Part two is anonymous: a total, never per council. */
  readonly partTwoTotal: number;
  /**
   * Part-one answers that did not come through this wave's roster and invitations: imported from a
   * CSV file (the bundled 2020 waves are all imported), so "submitted" would say 0 beside them.
   */
  readonly partOneImported: number;
  /** The wave's answers were imported and it has no roster: it never had invitations to follow. */
  readonly imported: boolean;
}

/** The council's name as the questionnaire's local_authority item gives it, or its code. */
const councilLabels = (wave: Wave): ReadonlyMap<string, string> => {
  const item = allItems(definitionOfWave(wave)).find((i) => i.id === 'local_authority');
  return new Map(item && 'options' in item ? item.options.map((o) => [o.code, o.label]) : []);
};

export const waveProgress = async (stores: Stores, wave: Wave): Promise<WaveProgress> => {
  const states = await partOneStates(stores.identifiable, wave.id);
  const labels = councilLabels(wave);
  const partOne: Record<PartOneState, number> = { 'not started': 0, 'in progress': 0, submitted: 0 };
  for (const s of states) partOne[s.state]++;
  const status = await waveStatus(stores.identifiable, wave.id);
  const partOneImported = (await countPartOne(stores.identifiable, wave.id)) - partOne.submitted;
  const partTwoTotal = await countPartTwo(stores.anonymous, wave.id);
  return {
    status,
    statusText: waveStatusText[status],
    councils: states.map((s) => ({ council: labels.get(s.localAuthority) ?? s.localAuthority, name: s.name, invited: s.invited, partOne: s.state })),
    invited: states.filter((s) => s.invited).length,
    partOne,
    partTwoTotal,
    partOneImported,
    imported: states.length === 0 && (partOneImported > 0 || partTwoTotal > 0),
  };
};
