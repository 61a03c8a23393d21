import { Hono, type Context, type Handler } from 'hono';
import { kindOf, type Answers, type Item, type Section } from '../../survey-definitions/index.js';
import CheckAnswersPage from '../../web/respondent/CheckAnswersPage.svelte';
import SectionPage from '../../web/respondent/SectionPage.svelte';
import { respondentRoute, type RespondentCredential } from '../http/route-declarations.js';
import { sendNotice, sendPage } from '../pages/send-page.js';
import type { Draft } from '../storage/part-one-draft-store.js';
import { formatClosingDate, type StoredWave } from '../storage/wave-store.js';
import type { PassCode } from './part-two-credential.js';
import {
  answerSummary,
  cellsOf,
  checkWhole,
  findSection,
  firstFieldId,
  answerProblems,
  mergeSection,
  readSection,
  sectionOfItem,
  sectionsOf,
  shownItems,
  type PartForm,
} from '../pages/section-form.js';

type AnswerProblem = ReturnType<typeof answerProblems>[number];

/** What differs between part one and part two; the pages and their rules are the same. */
export interface Journey {
  /** Where the journey is mounted, for links: `/survey/part-one`, `/part-two`. */
  readonly base: string;
  /** What opens its pages (its mount's middleware checks it): the invitation's session, or the part-two pass. */
  readonly opensWith: RespondentCredential;
  readonly title: string;
  readonly declaration: string;
  /** Shown above the first section. */
  readonly introduction?: string;
  form(c: Context): PartForm;
  csrf(c: Context): string;
  isOpen(c: Context): Promise<boolean>;
  load(c: Context): Promise<Draft | undefined>;
  save(c: Context, draft: Draft): Promise<void>;
  isSubmitted(c: Context): Promise<boolean>;
  /** Stores the answers; false when this respondent's part was already submitted. */
  submit(c: Context, answers: Answers): Promise<boolean>;
  done(c: Context): Response | Promise<Response>;
  /** Before the check page is shown (part one readies the code part two will be issued with). */
  beforeCheck?(c: Context): void;
  /**
   * A submit sent again after the part was stored: the answer to the first may have been lost. The
   * response to give instead of "already submitted", if any.
   */
  sentAgain?(c: Context): Promise<Response | undefined>;
  /** The respondent's private way back to this part, shown on every page of it. */
  passCode?(c: Context): PassCode | undefined;
  /**
   * A hint every free-text question of this part shows (part two: not to name anyone), unless its own
   * help already says so. Given by the page, so published definitions stay as they were published.
   */
  readonly freeTextHint?: string;
}

/** The wave's closing date as the pages show it, when it has one. */
const closesOf = (c: Context): string | undefined => {
  const wave = c.get('wave') as StoredWave | undefined;
  return wave?.closes ? formatClosingDate(wave.closes) : undefined;
};

const withFreeTextHint = (items: readonly Item[], hint: string | undefined): readonly Item[] =>
  hint
    ? items.map((item) =>
        kindOf(item).writtenInWords && !item.help?.toLowerCase().includes(hint.toLowerCase())
          ? { ...item, help: item.help ? `${item.help} ${hint}` : hint }
          : item,
      )
    : items;

const alreadySubmitted = (c: Context, journey: Journey) =>
  sendNotice(c, 409, {
    title: `${journey.title} has already been submitted`,
    paragraphs: [`We already have your answers to ${journey.title.toLowerCase()}, and each part can be sent only once. Nothing was changed.`],
    link: { href: `${journey.base}/done`, text: 'Back to the confirmation' },
  });

const closed = (c: Context) =>
  sendNotice(c, 403, {
    title: 'This survey is closed',
    paragraphs: ['The survey is no longer taking answers. Nothing was changed.'],
    contact: 'If you think it should be open, or you need more time, email',
  });

/**
 * The pages of one part: a page per section, "check your answers", submit, confirmation. Plain HTML
 * forms posting back to the server, which validates with the same function as the CSV import.
 */
export const journeyRoutes = (journey: Journey) => {
  const renderSection = (c: Context, section: Section, index: number, cells: Record<string, string>, errors: readonly AnswerProblem[], status: 200 | 400) => {
    const form = journey.form(c);
    const sections = sectionsOf(form);
    return sendPage(
      c,
      SectionPage,
      {
        partTitle: journey.title,
        sectionTitle: section.title,
        step: index + 1,
        steps: sections.length,
        items: withFreeTextHint(shownItems(form, section), journey.freeTextHint),
        cells,
        errors: Object.fromEntries(errors.map((e) => [e.path, e.message])),
        summary: errors.map(({ field, message }) => ({ field, message })),
        action: `${journey.base}/${section.id}`,
        csrf: journey.csrf(c),
        back: index > 0 ? `${journey.base}/${sections[index - 1]!.id}` : undefined,
        note: index === 0 ? journey.introduction : undefined,
        passCode: journey.passCode?.(c),
        closes: closesOf(c),
      },
      status,
    );
  };

  const renderCheck = async (c: Context, errors: readonly AnswerProblem[], status: 200 | 400) => {
    const form = journey.form(c);
    journey.beforeCheck?.(c);
    const answers = (await journey.load(c))?.answers ?? {};
    const change = (section: Section, item: Item) =>
      `${journey.base}/${section.id}#${errors.find((e) => e.path.split('.')[0] === item.id)?.field ?? firstFieldId(item)}`;
    return sendPage(
      c,
      CheckAnswersPage,
      {
        partTitle: journey.title,
        sections: answerSummary(form, answers, change),
        action: `${journey.base}/submit`,
        csrf: journey.csrf(c),
        errors: errors.map((e) => {
          const section = sectionOfItem(form, e.path.split('.')[0]!);
          return { field: `answer-${e.path.split('.')[0]}`, message: section ? `${e.message} (in “${section.title}”)` : e.message };
        }),
        declaration: journey.declaration,
        passCode: journey.passCode?.(c),
        closes: closesOf(c),
      },
      status,
    );
  };

  // Each page declares what opens it (server/http/route-declarations.ts); the journey's mount checks it.
  const opens = (handler: Handler) => respondentRoute(journey.opensWith, handler);
  return new Hono()
    .get(
      '/',
      opens(async (c) => {
        if (await journey.isSubmitted(c)) return c.redirect(`${journey.base}/done`, 303);
        const draft = await journey.load(c);
        const first = sectionsOf(journey.form(c))[0]!.id;
        return c.redirect(`${journey.base}/${draft?.section ?? first}`, 303);
      }),
    )
    .get(
      '/check',
      opens(async (c) => {
        if (await journey.isSubmitted(c)) return alreadySubmitted(c, journey);
        return renderCheck(c, [], 200);
      }),
    )
    .post(
      '/submit',
      opens(async (c) => {
        if (await journey.isSubmitted(c)) return (await journey.sentAgain?.(c)) ?? alreadySubmitted(c, journey);
        if (!(await journey.isOpen(c))) return closed(c);
        const form = journey.form(c);
        const checked = checkWhole(form, (await journey.load(c))?.answers ?? {});
        if (!checked.ok) return renderCheck(c, answerProblems(form, checked.issues), 400);
        if (!(await journey.submit(c, checked.value))) return (await journey.sentAgain?.(c)) ?? alreadySubmitted(c, journey);
        return c.redirect(`${journey.base}/done`, 303);
      }),
    )
    .get(
      '/done',
      opens(async (c) => {
        if (!(await journey.isSubmitted(c))) return c.redirect(journey.base, 303);
        return journey.done(c);
      }),
    )
    .get(
      '/:section',
      opens(async (c) => {
        const found = findSection(journey.form(c), c.req.param('section') ?? '');
        if (!found)
          return sendNotice(c, 404, {
            title: 'Page not found',
            paragraphs: ['There is no such page in this survey.'],
            link: { href: journey.base, text: `Go to ${journey.title.toLowerCase()}` },
          });
        if (await journey.isSubmitted(c)) return alreadySubmitted(c, journey);
        const answers = (await journey.load(c))?.answers ?? {};
        return renderSection(c, found.section, found.index, cellsOf(shownItems(journey.form(c), found.section), answers), [], 200);
      }),
    )
    .post(
      '/:section',
      opens(async (c) => {
        const form = journey.form(c);
        const found = findSection(form, c.req.param('section') ?? '');
        if (!found) return sendNotice(c, 404, { title: 'Page not found', paragraphs: ['There is no such page in this survey.'] });
        if (await journey.isSubmitted(c)) return alreadySubmitted(c, journey);
        if (!(await journey.isOpen(c))) return closed(c);
        const body = await c.req.parseBody();
        const read = readSection(form, found.section, body as Record<string, unknown>);
        if (!read.answers) return renderSection(c, found.section, found.index, read.cells, answerProblems(form, read.issues), 400);
        const sections = sectionsOf(form);
        const next = sections[found.index + 1];
        const draft = await journey.load(c);
        await journey.save(c, { answers: mergeSection(form, found.section, draft?.answers ?? {}, read.answers), section: next?.id ?? 'check' });
        return c.redirect(next ? `${journey.base}/${next.id}` : `${journey.base}/check`, 303);
      }),
    );
};
