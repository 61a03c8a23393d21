import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import SectionPage from '../../web/respondent/SectionPage.svelte';
import { definitionKey, partOf, type SurveyDefinition } from '../../survey-definitions/index.js';
import { csrfToken } from '../http/csrf-protection.js';
import { answerProblems, readSection, shownItems, type PartForm } from '../pages/section-form.js';
import { sendPage } from '../pages/send-page.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice } from '../staff/staff-pages.js';

/** A version to preview, found from the request's address, and where its preview lives. */
export interface PreviewSource {
  /** `cswo-annual@3`, or `cswo-annual@3 (uploaded, not published)`. */
  readonly name: string;
  readonly definition: SurveyDefinition;
  /** Its pages' addresses, built from the patterns their routes are mounted at (staffPaths). */
  readonly paths: { readonly section: (part: string, section: string) => string; readonly end: string };
  /** Where "Leave the preview" and the end page lead. */
  readonly exit: { readonly href: string; readonly text: string };
}

/** Every page of a definition in the order a respondent meets them: part one's sections, then part two's. */
const pagesOf = (definition: SurveyDefinition) =>
  definition.parts.flatMap((part) => part.sections.map((section, index) => ({ part: part.id, section, index, of: part.sections.length })));

/**
 * A version paged through as a respondent would (admins and analysts): a published one, or one an admin
 * uploaded and has not published yet. A page is checked by the same function as the survey's own (the
 * section form, server/pages/section-form.ts), so its errors are the ones respondents will meet; what is
 * sent is read, checked and forgotten: the preview stores no answer, writes no log line and needs no wave.
 */
export const previewPages = ({ key }: StaffRouteDependencies, find: (c: Context<StaffEnv>) => Promise<PreviewSource | undefined>) => {
  const notFound = (c: Context<StaffEnv>, what: string) =>
    sendStaffNotice(c, 404, {
      title: 'Page not found',
      paragraphs: [what],
      link: { href: staffPaths.definitions, text: 'Go to the survey definitions' },
      account: accountOf(c, key),
    });
  const noSuchVersion = (c: Context<StaffEnv>) =>
    notFound(c, 'There is no survey definition at this address (an uploaded one is kept for a week, until it is published). Choose one from the list.');
  const noSuchPage = (c: Context<StaffEnv>, source: PreviewSource) => notFound(c, `${source.name} has no such page. Start its preview again from the list.`);

  /** The page of `:part/:section`, with where it sits among all the definition's pages. */
  const pageOf = (c: Context<StaffEnv>, definition: SurveyDefinition) => {
    const pages = pagesOf(definition);
    const at = pages.findIndex((p) => p.part === c.req.param('part') && p.section.id === c.req.param('section'));
    return at === -1 ? undefined : { page: pages[at]!, previous: pages[at - 1], next: pages[at + 1] };
  };
  const pathOf = (source: PreviewSource, page: { part: string; section: { id: string } }) => source.paths.section(page.part, page.section.id);

  const render = (
    c: Context<StaffEnv>,
    source: PreviewSource,
    { page, previous }: NonNullable<ReturnType<typeof pageOf>>,
    cells: Readonly<Record<string, string>>,
    problems: ReturnType<typeof answerProblems>,
    status: ContentfulStatusCode,
  ) => {
    const { definition } = source;
    const form: PartForm = { definition, part: page.part, fixed: {} };
    return sendPage(
      c,
      SectionPage,
      {
        partTitle: partOf(definition, page.part).title,
        sectionTitle: page.section.title,
        step: page.index + 1,
        steps: page.of,
        items: shownItems(form, page.section),
        cells,
        errors: Object.fromEntries(problems.map((p) => [p.path, p.message])),
        summary: problems.map(({ field, message }) => ({ field, message })),
        action: pathOf(source, page),
        csrf: csrfToken(key, c.get('staffToken')),
        back: previous ? pathOf(source, previous) : undefined,
        preview: {
          text: `Preview of ${source.name} (${definition.title}): answers are checked as in the survey, and nothing you enter is stored.`,
          exit: { href: source.exit.href, text: 'Leave the preview' },
        },
      },
      status,
    );
  };

  return {
    start: async (c: Context<StaffEnv>) => {
      const source = await find(c);
      if (!source) return noSuchVersion(c);
      return c.redirect(pathOf(source, pagesOf(source.definition)[0]!), 303);
    },
    section: async (c: Context<StaffEnv>) => {
      const source = await find(c);
      if (!source) return noSuchVersion(c);
      const at = pageOf(c, source.definition);
      return at ? render(c, source, at, {}, [], 200) : noSuchPage(c, source);
    },
    check: async (c: Context<StaffEnv>) => {
      const source = await find(c);
      if (!source) return noSuchVersion(c);
      const at = pageOf(c, source.definition);
      if (!at) return noSuchPage(c, source);
      const form: PartForm = { definition: source.definition, part: at.page.part, fixed: {} };
      const read = readSection(form, at.page.section, (await c.req.parseBody()) as Record<string, unknown>);
      if (!read.answers) return render(c, source, at, read.cells, answerProblems(form, read.issues), 400);
      return c.redirect(at.next ? pathOf(source, at.next) : source.paths.end, 303);
    },
    end: async (c: Context<StaffEnv>) => {
      const source = await find(c);
      if (!source) return noSuchVersion(c);
      const { definition } = source;
      const sections = definition.parts.map((p) => `${p.title}: ${p.sections.length} sections`);
      return sendStaffNotice(c, 200, {
        title: `End of the preview of ${definitionKey(definition)}`,
        paragraphs: [
          `You have paged through every section of ${definition.title} (${sections.join('; ')}). Nothing you entered was stored.`,
          'In the survey, each part ends with a page to check the answers before sending them.',
        ],
        link: source.exit,
        account: accountOf(c, key),
      });
    },
  };
};
