import type { Kysely } from 'kysely';
import { z } from 'zod';
import { definitionKeys, findDefinition, parseDefinitionRef, type Wave } from '../../survey-definitions/index.js';
import { formField, oneLine, zodProblems, type FieldProblem } from '../pages/field-problems.js';
import { setRetention } from '../storage/retention-store.js';
import { appendAuditEvent, type ChangeMade } from '../storage/audit-log-store.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import type { Stores } from '../storage/open-stores.js';
import { placePartTwoByWaveStatus } from '../storage/part-two-placement.js';
import { ensureDefinitionsKnown } from '../storage/definition-store.js';
import { setWaveStatus, waveStatus } from '../storage/roster-store.js';
import { DuplicateWave, formatClosingDate, insertWave, waveIdMaxLength, waveIdPattern, type StoredWave } from '../storage/wave-store.js';
import { pastDateProblem, realIsoDate, todayInUk, waveDateNames } from './form-dates.js';

/**
 * Changes to waves, the same from the staff pages and the command line: each is checked here and
 * written to the audit log in the same transaction as the change itself.
 */

export const waveAuditActions = { create: 'wave.create', open: 'wave.open', close: 'wave.close' } as const;

/** The audit action of a staff page that shows identifiable data (council contacts' names). */
export const identifiableViewAction = 'identifiable.view';

export const newWaveFields = ['id', 'name', 'fielded', 'closes', 'until', 'keepPartOne', 'definition'] as const;

const publishedList = () => definitionKeys().join(', ');

/** An optional date field: blank is none; anything else must be a real YYYY-MM-DD. */
const optionalDate = (what: string) =>
  formField(
    z
      .string()
      .trim()
      .transform((text, ctx) => {
        if (text === '') return undefined;
        const date = realIsoDate(text);
        if (!date)
          ctx.addIssue({
            code: 'custom',
            message: `${what} must be a real date written as YYYY-MM-DD, such as 2021-06-30, not ${JSON.stringify(text.slice(0, 40))}`,
          });
        return date;
      }),
  );

/**
 * A new wave as the form (or the command line) sends it: every field text, the definition as
 * `cswo-annual@2`, a bundled version or one published in the store (createWave first reloads the
 * registry when the version is missing from it, as one published by another process would be).
 */
export const newWaveSchema = z.object({
  id: formField(
    z
      .string()
      .trim()
      .min(1, 'Enter an id for the wave, such as 2021-06')
      .max(waveIdMaxLength, `The id must be ${waveIdMaxLength} characters or fewer`)
      .regex(waveIdPattern, 'The id must be lower-case letters, digits and hyphens, starting and ending with a letter or digit, such as 2021-06'),
  ),
  name: formField(
    z
      .string()
      .trim()
      .min(1, 'Enter a name for the wave, such as Survey 3')
      .max(120, 'The name must be 120 characters or fewer')
      .regex(oneLine, 'The name must be one line of text'),
  ),
  fielded: formField(
    z
      .string()
      .trim()
      .min(1, 'Enter when the wave is fielded, such as June 2021')
      .max(60, 'When the wave is fielded must be 60 characters or fewer')
      .regex(oneLine, 'When the wave is fielded must be one line of text'),
  ),
  /** Optional: YYYY-MM-DD (the page reads its three boxes into this, server/waves/form-dates.ts). */
  closes: optionalDate(waveDateNames.closes),
  /**
   * Optional: the last day what identifies people is kept (server/data-protection/retention.ts); a year
   * after the closing date when blank.
   */
  until: optionalDate(waveDateNames.until),
  /** `yes` keeps part one whole when the day comes; anything else strips its identifying answers. */
  keepPartOne: z.preprocess((value) => value === 'yes' || value === true, z.boolean()),
  definition: formField(
    z
      .string()
      .trim()
      .min(1, 'Choose the survey definition the wave uses')
      .transform((text, ctx) => {
        const ref = parseDefinitionRef(text);
        if (ref && findDefinition(ref)) return ref;
        ctx.addIssue({ code: 'custom', message: `Choose a published survey definition (${publishedList()})` });
        return z.NEVER;
      }),
  ),
});

export type CreateWaveResult =
  | { readonly ok: true; readonly wave: StoredWave; readonly retention: { readonly contactsUntil: string; readonly keepPartOne: boolean } }
  /** `invalid`: a field is missing or malformed; `taken`: a well-formed id another wave has. */
  | { readonly ok: false; readonly reason: 'invalid' | 'taken'; readonly problems: readonly FieldProblem[] };

/** Checks a new wave (the id's form, unique; a published definition) and stores it, audited as `wave.create`. */
export const createWave = async (db: Kysely<IdentifiableDatabase>, input: Readonly<Record<string, unknown>>, made: ChangeMade): Promise<CreateWaveResult> => {
  const asked = typeof input.definition === 'string' ? parseDefinitionRef(input.definition) : undefined;
  if (asked) await ensureDefinitionsKnown(db, [asked]);
  const parsed = newWaveSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid', problems: zodProblems(parsed.error, newWaveFields) };
  const { closes, until, keepPartOne } = parsed.data;
  const late = closes && pastDateProblem(closes, made.now, waveDateNames.closes);
  const early = until && retentionDayProblem(until, closes, made.now);
  if (late || early)
    return {
      ok: false,
      reason: 'invalid',
      problems: [...(late ? [{ field: 'closes', message: late }] : []), ...(early ? [{ field: 'until', message: early }] : [])],
    };
  const contactsUntil = until ?? defaultContactsUntil(closes, made.now);
  const wave: StoredWave = {
    id: parsed.data.id,
    name: parsed.data.name,
    fielded: parsed.data.fielded,
    definition: parsed.data.definition,
    ...(closes ? { closes } : {}),
  };
  try {
    await db.transaction().execute(async (trx) => {
      await insertWave(trx, { wave, createdBy: made.actor, now: made.now });
      await setRetention(trx, wave.id, { contactsUntil, keepPartOne });
      await appendAuditEvent(trx, {
        actor: made.actor,
        action: waveAuditActions.create,
        detail: {
          wave: wave.id,
          name: wave.name,
          fielded: wave.fielded,
          definition: `${wave.definition.id}@${wave.definition.version}`,
          ...(wave.closes ? { closes: wave.closes } : {}),
          contactsUntil,
          keepPartOne,
          ...(made.via ? { via: made.via } : {}),
        },
        at: made.now,
      });
    });
  } catch (error) {
    if (error instanceof DuplicateWave)
      return { ok: false, reason: 'taken', problems: [{ field: 'id', message: `A wave with the id ${wave.id} already exists: choose another id` }] };
    throw error;
  }
  return { ok: true, wave, retention: { contactsUntil, keepPartOne } };
};

/**
 * Why a day cannot end a new wave's retention, or undefined when it can: erasing the roster before the
 * wave closes (or before today, for a wave without a closing date) would take the links of councils
 * still answering. An admin may still bring the day forward later (retention set), knowingly.
 */
const retentionDayProblem = (until: string, closes: string | undefined, now: number): string | undefined =>
  closes && until < closes
    ? `${waveDateNames.until} must be on or after the closing date (${formatClosingDate(closes)})`
    : pastDateProblem(until, now, waveDateNames.until);

/**
 * A new wave keeps what identifies people for a year after its closing date (or after the day it was
 * made, when it has none), then erases it (server/data-protection/retention.ts); an admin can change it.
 */
export const defaultContactsUntil = (closes: string | undefined, now: number): string => {
  const from = closes ?? todayInUk(now);
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  // 29 February a year on is 28 February.
  const until = new Date(Date.UTC(year + 1, month - 1, day));
  if (until.getUTCMonth() !== month - 1) until.setUTCDate(0);
  return until.toISOString().slice(0, 10);
};

/**
 * Opens or closes a wave to answers; returns its status before. Only a change is audited
 * (`wave.open`, `wave.close`): asking to open an open wave changes nothing. The wave's part two then
 * moves to where its status says (part-two-placement.ts): into the archive when it closes.
 */
export const changeWaveStatus = async (
  stores: Pick<Stores, 'identifiable' | 'anonymous'>,
  wave: Wave,
  status: 'open' | 'closed',
  made: ChangeMade,
): Promise<'open' | 'closed' | 'not opened'> => {
  const before = await stores.identifiable.transaction().execute(async (trx) => {
    const before = await waveStatus(trx, wave.id);
    if (before === status) return before;
    await setWaveStatus(trx, wave.id, status);
    await appendAuditEvent(trx, {
      actor: made.actor,
      action: status === 'open' ? waveAuditActions.open : waveAuditActions.close,
      detail: { wave: wave.id, from: before, to: status, ...(made.via ? { via: made.via } : {}) },
      at: made.now,
    });
    return before;
  });
  await placePartTwoByWaveStatus(stores);
  return before;
};
