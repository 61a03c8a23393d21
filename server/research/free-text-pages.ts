import type { Context } from 'hono';
import { z } from 'zod';
import { definitionOfWave, itemsOf, kindOf, partOf, type Wave } from '../../survey-definitions/index.js';
import FreeTextPage from '../../web/staff/FreeTextPage.svelte';
import type { FieldProblem } from '../../web/staff/dashboard-types.js';
import { loadAnonymousAnswers } from '../dashboards/index.js';
import { csrfToken } from '../http/csrf-protection.js';
import { sendPage } from '../pages/send-page.js';
import { shuffle } from '../storage/anonymous-store.js';
import { dashboardPath, freeTextPath } from '../staff/dashboard-paths.js';
import type { StaffEnv, StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice, waveOf } from '../staff/staff-pages.js';
import { appendAuditEvent } from '../storage/audit-log-store.js';
import { listTextReleases, releaseText, withdrawTextRelease } from '../storage/text-release-store.js';

const decisionSchema = z.object({
  item: z.string().min(1).max(100),
  decision: z.enum(['release', 'withdraw']),
  confirm: z.literal('yes').optional(),
});

/** The free-text items of a wave's part two: the only items the package holds back for a person to read. */
const freeTextItems = (wave: Wave) => itemsOf(partOf(definitionOfWave(wave), 'anonymous')).filter((item) => kindOf(item).freeText);

const when = (ms: number) => new Date(ms).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' });

/** Reading part two's free text, and releasing it to researchers or withdrawing it, are audited. */
export const freeTextAuditActions = { view: 'text.view', release: 'text.release', withdraw: 'text.withdraw' } as const;

/**
 * `/staff/dashboards/:wave/free-text`: an analyst reads part two's free-text answers and releases a
 * question to researchers, or withdraws the release. Reading is audited (`text.view`), and so is each
 * decision (`text.release`, `text.withdraw`). The answers are shown in a fresh random order each time.
 */
export const freeTextPages = ({ stores, key, now }: StaffRouteDependencies) => {
  const render = async (
    c: Context<StaffEnv>,
    wave: Wave,
    { errors = [], notice, status = 200 }: { errors?: FieldProblem[]; notice?: string; status?: 200 | 400 } = {},
  ) => {
    const { answers } = await loadAnonymousAnswers(stores, wave.id, wave);
    const releases = new Map((await listTextReleases(stores.identifiable, wave.id)).map((r) => [r.itemId, r]));
    const items = freeTextItems(wave).map((item) => {
      const release = releases.get(item.id);
      const texts = answers.map((a) => a[item.id]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
      return {
        id: item.id,
        label: item.label,
        answers: shuffle(texts),
        ...(release ? { released: { by: release.releasedByEmail, at: when(release.releasedAt) } } : {}),
      };
    });
    await appendAuditEvent(stores.identifiable, { actor: c.get('staff').user.id, action: freeTextAuditActions.view, detail: { wave: wave.id }, at: now() });
    return sendPage(
      c,
      FreeTextPage,
      {
        account: accountOf(c, key)!,
        wave: { id: wave.id, name: wave.name, fielded: wave.fielded },
        items,
        action: freeTextPath(wave.id),
        csrf: csrfToken(key, c.get('staffToken')),
        dashboardHref: dashboardPath(wave.id),
        errors,
        ...(notice ? { notice } : {}),
      },
      status,
    );
  };

  return {
    read: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      // After a decision the browser is sent here (post, redirect, get), so reloading repeats nothing.
      const item = freeTextItems(wave).find((i) => i.id === c.req.query('item'));
      const done = c.req.query('done');
      const notice =
        item && done === 'released'
          ? `“${item.label}” is released: researchers' data packages of ${wave.id} now include it.`
          : item && done === 'withdrawn'
            ? `“${item.label}” is no longer released: data packages made from now on leave it out.`
            : undefined;
      return render(c, wave, notice ? { notice } : {});
    },
    release: async (c: Context<StaffEnv>) => {
      const wave = waveOf(c);
      const parsed = decisionSchema.safeParse(await c.req.parseBody());
      const item = parsed.success ? freeTextItems(wave).find((i) => i.id === parsed.data.item) : undefined;
      if (!parsed.success || !item) {
        return sendStaffNotice(c, 400, {
          title: 'This form could not be read',
          paragraphs: ['It did not name a free-text question of this wave and what to do with it. Nothing was changed.'],
          link: { href: freeTextPath(wave.id), text: 'Go back to the free-text answers' },
          account: accountOf(c, key),
        });
      }
      const actor = c.get('staff').user.id;
      const audit = (action: string) => appendAuditEvent(stores.identifiable, { actor, action, detail: { wave: wave.id, item: item.id }, at: now() });
      if (parsed.data.decision === 'withdraw') {
        const had = await withdrawTextRelease(stores.identifiable, wave.id, item.id);
        if (had) await audit(freeTextAuditActions.withdraw);
        return c.redirect(`${freeTextPath(wave.id)}?done=withdrawn&item=${encodeURIComponent(item.id)}`, 303);
      }
      if (parsed.data.confirm !== 'yes') {
        return render(c, wave, {
          status: 400,
          errors: [{ field: `confirm-${item.id}`, message: `Confirm that you have read every answer to “${item.label}” and none could identify anyone` }],
        });
      }
      const added = await releaseText(stores.identifiable, { waveId: wave.id, itemId: item.id, by: actor, at: now() });
      if (added) await audit(freeTextAuditActions.release);
      return c.redirect(`${freeTextPath(wave.id)}?done=released&item=${encodeURIComponent(item.id)}`, 303);
    },
  };
};
