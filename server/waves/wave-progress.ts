import type { Wave } from '../../survey-definitions/index.js';
import { councilLabels } from './roster-csv.js';
import { countPartTwo } from '../storage/anonymous-store.js';
import type { Stores } from '../storage/open-stores.js';
import { partOneStates, type PartOneState } from '../storage/part-one-draft-store.js';
import { countPartOne } from '../storage/part-one-store.js';
import { waveStatus } from '../storage/roster-store.js';
import { outboxOfWave, type MailPurpose, type OutboxEntry } from '../storage/mail-outbox-store.js';
import { londonTime } from '../staff/london-time.js';

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
  readonly councils: readonly {
    readonly council: string;
    readonly name: string;
    readonly invited: boolean;
    readonly partOne: PartOneState;
    /** What became of each message emailed to the council, oldest first ("invitation emailed 7 Dec 2026, 10:02:00 GMT"). */
    readonly email: readonly string[];
  }[];
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
const purposeText: Readonly<Record<MailPurpose, string>> = {
  invitation: 'invitation',
  'part-one-reminder': 'part-one reminder',
  'part-two-reminder': 'part-two reminder',
};

/** A message's fate in a phrase; a replaced one (a newer one of its kind went instead) says nothing. */
const emailText = (m: OutboxEntry): string | undefined => {
  const what = purposeText[m.purpose];
  if (m.status === 'sent') return `${what} emailed ${londonTime(m.sentAt ?? m.queuedAt).text}`;
  if (m.status === 'failed') return `${what} email failed: ${m.lastError ?? 'refused'}`;
  if (m.status === 'queued')
    return m.attempts === 0
      ? `${what} waiting to be emailed`
      : `${what} not emailed yet (${m.lastError ?? 'put off'}); tried again after ${londonTime(m.nextAttemptAt).text}`;
  return undefined;
};

export const waveProgress = async (stores: Stores, wave: Wave): Promise<WaveProgress> => {
  const states = await partOneStates(stores.identifiable, wave.id);
  const email = new Map<string, string[]>();
  for (const m of await outboxOfWave(stores.identifiable, wave.id)) {
    const text = emailText(m);
    if (text !== undefined) email.set(m.council, [...(email.get(m.council) ?? []), text]);
  }
  const labels = councilLabels(wave);
  const partOne: Record<PartOneState, number> = { 'not started': 0, 'in progress': 0, submitted: 0 };
  for (const s of states) partOne[s.state]++;
  const status = await waveStatus(stores.identifiable, wave.id);
  const partOneImported = (await countPartOne(stores.identifiable, wave.id)) - partOne.submitted;
  const partTwoTotal = await countPartTwo(stores.anonymous, wave.id);
  return {
    status,
    statusText: waveStatusText[status],
    councils: states.map((s) => ({
      council: labels.get(s.localAuthority) ?? s.localAuthority,
      name: s.name,
      invited: s.invited,
      partOne: s.state,
      email: email.get(s.localAuthority) ?? [],
    })),
    invited: states.filter((s) => s.invited).length,
    partOne,
    partTwoTotal,
    partOneImported,
    imported: states.length === 0 && (partOneImported > 0 || partTwoTotal > 0),
  };
};
