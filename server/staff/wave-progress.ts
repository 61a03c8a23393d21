import { allItems, definitionOfWave, type Wave } from '../../survey-definitions/index.js';
import { countPartTwo } from '../storage/anonymous-store.js';
import type { Stores } from '../storage/open-stores.js';
import { partOneStates, type PartOneState } from '../storage/part-one-draft-store.js';
import { waveStatus } from '../storage/roster-store.js';

/** A wave's progress for the staff pages: part one per council, part two only as the wave's total. */
export interface WaveProgress {
  readonly status: 'open' | 'closed' | 'not opened';
  readonly councils: readonly { readonly council: string; readonly name: string; readonly invited: boolean; readonly partOne: PartOneState }[];
  readonly invited: number;
  readonly partOne: Readonly<Record<PartOneState, number>>;
  /** Part two is anonymous: a total, never per council. */
  readonly partTwoTotal: number;
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
  return {
    status: await waveStatus(stores.identifiable, wave.id),
    councils: states.map((s) => ({ council: labels.get(s.localAuthority) ?? s.localAuthority, name: s.name, invited: s.invited, partOne: s.state })),
    invited: states.filter((s) => s.invited).length,
    partOne,
    partTwoTotal: await countPartTwo(stores.anonymous, wave.id),
  };
};
