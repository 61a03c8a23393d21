import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import ConfirmActionPage from '../../web/staff/ConfirmActionPage.svelte';
import NewWavePage from '../../web/staff/NewWavePage.svelte';
import WaveResponsesPage from '../../web/staff/WaveResponsesPage.svelte';
import WavesPage from '../../web/staff/WavesPage.svelte';
import { definitionKey, knownDefinitions, type Wave } from '../../survey-definitions/index.js';
import { csrfToken } from '../http/csrf-protection.js';
import { formErrors, zodProblems, type FieldProblem } from '../pages/field-problems.js';
import { sendPage } from '../pages/send-page.js';
import { pathTo } from '../http/route-paths.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, waveOf } from '../staff/staff-pages.js';
import { waveProgress, waveStatusText, type WaveProgress } from './wave-progress.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { formatClosingDate, listWaves } from '../storage/wave-store.js';
import { refreshPublishedDefinitions } from '../storage/definition-store.js';
import { dateBoxId, dateBoxIds, dateParts, readDateBoxes, waveDateNames, type DatePart, type WaveDate } from './form-dates.js';
import { changeWaveStatus, createWave, identifiableViewAction, newWaveFields, newWaveSchema } from './wave-changes.js';

/** What the list says after a change, from `?done=...&wave=...` (the redirect after each form). */
const doneMessages = {
  created: (name: string) => `${name} was created. It is not opened yet: load its roster, then issue its invitation links, which opens it to answers.`,
  opened: (name: string) => `${name} is now open to answers.`,
  closed: (name: string) => `${name} is now closed to answers: its links no longer open the survey. What was submitted is kept.`,
} as const;
type Done = keyof typeof doneMessages;

/** The boxes of each date its error is about. */
type DatesMarked = Partial<Record<WaveDate, readonly DatePart[]>>;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The counts of the list of waves as text. A wave whose answers were imported (the bundled 2020 waves)
 * has no roster or invitations: it says so rather than "0 submitted" beside its part-two answers.
 */
const progressCells = (p: WaveProgress) => ({
  councils: p.imported ? 'none: answers imported' : String(p.councils.length),
  invited: p.imported ? 'none: answers imported' : String(p.invited),
  partOneSubmitted:
    p.partOneImported === 0
      ? String(p.partOne.submitted)
      : p.partOne.submitted === 0
        ? `${p.partOneImported} imported`
        : `${p.partOne.submitted}, and ${p.partOneImported} imported`,
});

/** `cswo-annual@2: Chief Social Work Officer Annual Survey (version 2)`. */
const definitionChoices = () => knownDefinitions().map((d) => ({ ref: definitionKey(d), label: `${definitionKey(d)}: ${d.title} (version ${d.version})` }));

/**
 * `/staff/waves`: the waves (admins only). The list with each wave's response rates, the form that
 * creates a wave, the button that opens one to answers and the confirmation page that closes one; every
 * change is audited (server/waves/wave-changes.ts). `/staff/waves/:wave/responses` is the response-rate monitor: part one
 * per council on the roster, part two only as the wave's total, never per council (it is anonymous).
 * Viewing the monitor shows names, so each view is written to the audit log with who looked.
 */
export const wavePages = ({ stores, key, now }: StaffRouteDependencies) => {
  const db = stores.identifiable;

  /**
   * The form offers every version a wave can field, including those the command line published while the
   * server runs: the registry is reloaded when the store's count of published versions has changed.
   */
  const renderNewWave = async (
    c: Context<StaffEnv>,
    status: ContentfulStatusCode,
    values: Readonly<Record<string, string>> = {},
    problems: readonly FieldProblem[] = [],
    marked: DatesMarked = {},
  ) => {
    await refreshPublishedDefinitions(db);
    return sendPage(
      c,
      NewWavePage,
      {
        account: accountOf(c, key)!,
        action: staffPaths.waves,
        csrf: csrfToken(key, c.get('staffToken')),
        definitions: definitionChoices(),
        values,
        ...formErrors(problems),
        closesMarked: marked.closes ?? [],
        untilMarked: marked.until ?? [],
        wavesHref: staffPaths.waves,
      },
      status,
    );
  };
  /**
   * The form's problems in the order of its fields, a date's linked to the first of its boxes to correct
   * (all three for a date refused as a whole, such as one in the past).
   */
  const newWaveProblems = (problems: readonly FieldProblem[], marked: DatesMarked) => {
    const order = (field: string) => (newWaveFields as readonly string[]).indexOf(field);
    return [...problems]
      .sort((a, b) => order(a.field) - order(b.field))
      .map((p) => (p.field in waveDateNames ? { ...p, field: dateBoxId(p.field, marked[p.field as WaveDate]?.[0] ?? 'day') } : p));
  };

  const setStatus = (status: 'open' | 'closed') => async (c: Context<StaffEnv>) => {
    const wave = waveOf(c);
    if (status === 'closed' && (await c.req.parseBody()).confirm !== 'yes') {
      // Closing stops every council part-way through: without the confirmation page's `confirm`, the
      // form only asks. A wave that is not open has nothing to close.
      const progress = await waveProgress(stores, wave);
      return progress.status === 'open' ? confirmClose(c, wave, progress) : c.redirect(staffPaths.waves, 303);
    }
    await changeWaveStatus(stores, wave, status, { actor: c.get('staff').user.id, now: now() });
    return c.redirect(`${staffPaths.waves}?done=${status === 'open' ? 'opened' : 'closed'}&wave=${encodeURIComponent(wave.id)}`, 303);
  };

  const confirmClose = (c: Context<StaffEnv>, wave: Wave, progress: WaveProgress) =>
    sendPage(c, ConfirmActionPage, {
      account: accountOf(c, key)!,
      label: `Waves · ${wave.fielded}`,
      heading: `Close ${wave.name} to answers?`,
      consequences: [
        'Its invitation links stop opening the survey, and nobody can save or submit part one or part two any more, even part-way through.',
        ...(progress.councils.length > 0
          ? [
              `On the roster, ${plural(progress.partOne['in progress'], 'council has', 'councils have')} part one in progress and ${plural(progress.partOne['not started'], 'council has', 'councils have')} not started it.`,
            ]
          : []),
        'Everything submitted is kept, and so are answers saved part-way.',
        'You can open it to answers again later: the same links then work again.',
      ],
      warning: 'Anyone answering loses access at once. Tell the councils before you close the wave.',
      form: { action: pathTo(staffPaths.waveClose, { wave: wave.id }), csrf: csrfToken(key, c.get('staffToken')) },
      button: 'Close to answers',
      cancel: { href: staffPaths.waves, text: 'Cancel: keep it open to answers' },
    });

  return {
    list: async (c: Context<StaffEnv>) => {
      const rows = [];
      const waves = await listWaves(db);
      for (const wave of waves) {
        const p = await waveProgress(stores, wave);
        rows.push({
          id: wave.id,
          name: wave.name,
          fielded: wave.fielded,
          href: pathTo(staffPaths.waveResponses, { wave: wave.id }),
          rosterHref: pathTo(staffPaths.waveRoster, { wave: wave.id }),
          // Opening is one click (it can be undone at once); closing asks first, on its own page.
          statusAction:
            p.status === 'open'
              ? { kind: 'close' as const, href: pathTo(staffPaths.waveClose, { wave: wave.id }) }
              : { kind: 'open' as const, href: pathTo(staffPaths.waveOpen, { wave: wave.id }) },
          status: waveStatusText[p.status],
          ...(wave.closes ? { closes: formatClosingDate(wave.closes) } : {}),
          ...progressCells(p),
          partTwoTotal: p.partTwoTotal,
        });
      }
      const done = c.req.query('done');
      const changed = waves.find((w) => w.id === c.req.query('wave'));
      const notice = changed && done && Object.hasOwn(doneMessages, done) ? doneMessages[done as Done](changed.name) : undefined;
      return sendPage(c, WavesPage, {
        account: accountOf(c, key)!,
        waves: rows,
        csrf: csrfToken(key, c.get('staffToken')),
        createHref: staffPaths.newWave,
        notice,
      });
    },
    newForm: (c: Context<StaffEnv>) => renderNewWave(c, 200),
    create: async (c: Context<StaffEnv>) => {
      const body = await c.req.parseBody();
      const fields = ['id', 'name', 'fielded', 'definition', 'keepPartOne', ...dateBoxIds('closes'), ...dateBoxIds('until')];
      const values = Object.fromEntries(fields.map((f) => [f, typeof body[f] === 'string' ? body[f] : '']));
      const dates = { closes: readDateBoxes(values, 'closes', waveDateNames.closes), until: readDateBoxes(values, 'until', waveDateNames.until) };
      const unread = (Object.keys(dates) as WaveDate[]).flatMap((field) => {
        const reading = dates[field];
        return reading.ok ? [] : [{ field, message: reading.message, parts: reading.parts }];
      });
      if (unread.length > 0) {
        // Every other field is checked too, so that one answer lists every problem; nothing is stored.
        const others = newWaveSchema.safeParse({ ...values, closes: '', until: '' });
        const problems = [...(others.success ? [] : zodProblems(others.error, newWaveFields)), ...unread];
        const marked = Object.fromEntries(unread.map((u) => [u.field, u.parts]));
        return renderNewWave(c, 400, values, newWaveProblems(problems, marked), marked);
      }
      const date = (field: WaveDate) => (dates[field].ok ? (dates[field].date ?? '') : '');
      const result = await createWave(db, { ...values, closes: date('closes'), until: date('until') }, { actor: c.get('staff').user.id, now: now() });
      if (!result.ok) {
        // An id that is taken is well formed but refused: 422; a missing or malformed field: 400. A
        // date refused here is refused as a whole: all its boxes are marked.
        const marked = { closes: dateParts, until: dateParts };
        return renderNewWave(c, result.reason === 'taken' ? 422 : 400, values, newWaveProblems(result.problems, marked), marked);
      }
      return c.redirect(`${staffPaths.waves}?done=created&wave=${encodeURIComponent(result.wave.id)}`, 303);
    },
    open: setStatus('open'),
    confirmClose: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const progress = await waveProgress(stores, wave);
      return progress.status === 'open' ? confirmClose(c, wave, progress) : c.redirect(staffPaths.waves, 303);
    },
    close: setStatus('closed'),
    responses: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const progress = await waveProgress(stores, wave);
      await appendAuditEvent(db, {
        actor: c.get('staff').user.id,
        action: identifiableViewAction,
        detail: { page: 'wave responses', wave: wave.id },
        at: now(),
      });
      return sendPage(c, WaveResponsesPage, {
        account: accountOf(c, key)!,
        wave: { id: wave.id, name: wave.name, fielded: wave.fielded, ...(wave.closes ? { closes: formatClosingDate(wave.closes) } : {}) },
        progress,
        wavesHref: staffPaths.waves,
      });
    },
  };
};
