import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import WaveRetentionPage from '../../web/staff/WaveRetentionPage.svelte';
import { csrfToken } from '../http/csrf-protection.js';
import { pathTo } from '../http/route-paths.js';
import { formErrors, type FieldProblem } from '../pages/field-problems.js';
import { sendPage } from '../pages/send-page.js';
import { londonTime } from '../staff/london-time.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, waveOf } from '../staff/staff-pages.js';
import { findRetention } from '../storage/retention-store.js';
import { formatClosingDate } from '../storage/wave-store.js';
import { dateBoxId, dateBoxIds, dateParts, readDateBoxes } from '../waves/index.js';
import { changeRetention } from './retention.js';

/** `/staff/waves/:wave/retention` (admins): a wave's retention day and choice, changed as `retention set` changes them, audited. */
export const retentionPages = ({ stores, key, now }: StaffRouteDependencies) => {
  const db = stores.identifiable;

  const render = async (
    c: Context<StaffEnv>,
    status: ContentfulStatusCode,
    {
      typed,
      keep,
      problems = [],
      marked = [],
      notice,
    }: {
      typed?: Record<string, string>;
      keep?: boolean;
      problems?: readonly FieldProblem[];
      marked?: readonly ('day' | 'month' | 'year')[];
      notice?: string;
    } = {},
  ) => {
    const wave = waveOf(c);
    const retention = await findRetention(db, wave.id);
    const [year, month, day] = retention ? retention.contactsUntil.split('-') : ['', '', ''];
    const current = !retention
      ? 'This wave has no retention day: nothing is erased from it until one is set.'
      : `What identifies people is kept through ${formatClosingDate(retention.contactsUntil)}${retention.keepPartOne ? ', with part one kept whole' : ''}.` +
        (retention.appliedAt !== null ? ` It was erased on ${londonTime(retention.appliedAt).text}; what went stays gone.` : '');
    return sendPage(
      c,
      WaveRetentionPage,
      {
        account: accountOf(c, key)!,
        wave: { name: wave.name, fielded: wave.fielded },
        current,
        values: typed ?? { 'until-day': String(Number(day) || ''), 'until-month': String(Number(month) || ''), 'until-year': year ?? '' },
        keepPartOne: keep ?? retention?.keepPartOne ?? false,
        marked,
        ...(notice ? { notice } : {}),
        form: { action: pathTo(staffPaths.waveRetention, { wave: wave.id }), csrf: csrfToken(key, c.get('staffToken')) },
        ...formErrors(problems),
        wavesHref: staffPaths.waves,
      },
      status,
    );
  };

  return {
    show: (c: Context<StaffEnv>) => render(c, 200),
    change: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const body = await c.req.parseBody();
      const typed = Object.fromEntries(dateBoxIds('until').map((id) => [id, typeof body[id] === 'string' ? body[id] : '']));
      const keep = body['keep-part-one'] === 'yes';
      const reading = readDateBoxes(typed, 'until', 'The day');
      if (!reading.ok)
        return render(c, 400, { typed, keep, marked: reading.parts, problems: [{ field: dateBoxId('until', reading.parts[0]!), message: reading.message }] });
      if (reading.date === undefined)
        return render(c, 400, {
          typed,
          keep,
          marked: [...dateParts],
          problems: [{ field: dateBoxId('until', 'day'), message: 'Enter the last day to keep it' }],
        });
      await changeRetention(db, wave.id, { contactsUntil: reading.date, keepPartOne: keep }, { actor: c.get('staff').user.id, now: now() });
      return render(c, 200, { notice: `Saved: kept through ${formatClosingDate(reading.date)}.` });
    },
  };
};
