import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import DefinitionsPage from '../../web/staff/DefinitionsPage.svelte';
import SectionPage from '../../web/respondent/SectionPage.svelte';
import {
  definitionKey,
  findDefinition,
  knownDefinitions,
  parseDefinitionRef,
  partOf,
  type PartId,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import { definitionSummary } from '../../survey-definitions/definition-summary.js';
import { csrfToken } from '../http/csrf-protection.js';
import { pathTo } from '../http/route-paths.js';
import { answerProblems, readSection, sectionsOf, shownItems, type PartForm } from '../pages/section-form.js';
import { sendPage } from '../pages/send-page.js';
import { ensureDefinitionsKnown, refreshPublishedDefinitions } from '../storage/definition-store.js';
import { staffPaths, type StaffEnv, type StaffRouteDependencies } from '../staff/staff-context.js';
import { accountOf, sendStaffNotice } from '../staff/staff-pages.js';

/** Every page of a definition in the order a respondent meets them: part one's sections, then part two's. */
const pagesOf = (definition: SurveyDefinition) =>
  definition.parts.flatMap((part) => part.sections.map((section, index) => ({ part: part.id, section, index, of: part.sections.length })));

const previewPath = (definition: SurveyDefinition, part: PartId, section: string) =>
  pathTo(staffPaths.definitionPreviewSection, { definition: definitionKey(definition), part, section });

/**
 * `/staff/definitions`: the survey definitions, and a preview of each that pages through it as a respondent
 * would (admins and analysts). A page is checked by the same function as the survey's own (the respondent's
 * section form, server/pages/section-form.ts), so its errors are the ones respondents will meet; what is sent
 * is read, checked and forgotten: the preview stores nothing, writes no log line and needs no wave.
 */
export const previewPages = ({ stores, key }: StaffRouteDependencies) => {
  const definitionOf = async (c: Context<StaffEnv>) => {
    const ref = parseDefinitionRef(c.req.param('definition') ?? '');
    if (!ref) return undefined;
    await ensureDefinitionsKnown(stores.identifiable, [ref]);
    return findDefinition(ref);
  };
  const notFound = (c: Context<StaffEnv>, what: string) =>
    sendStaffNotice(c, 404, {
      title: 'Page not found',
      paragraphs: [what],
      link: { href: staffPaths.definitions, text: 'Go to the survey definitions' },
      account: accountOf(c, key),
    });
  const noSuchDefinition = (c: Context<StaffEnv>) => notFound(c, 'There is no survey definition with that name. Choose one from the list.');

  /** The page of `:part/:section`, with where it sits among all the definition's pages. */
  const pageOf = (c: Context<StaffEnv>, definition: SurveyDefinition) => {
    const pages = pagesOf(definition);
    const at = pages.findIndex((p) => p.part === c.req.param('part') && p.section.id === c.req.param('section'));
    return at === -1 ? undefined : { page: pages[at]!, previous: pages[at - 1], next: pages[at + 1] };
  };

  const render = (
    c: Context<StaffEnv>,
    definition: SurveyDefinition,
    { page, previous }: NonNullable<ReturnType<typeof pageOf>>,
    cells: Readonly<Record<string, string>>,
    problems: ReturnType<typeof answerProblems>,
    status: ContentfulStatusCode,
  ) => {
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
        action: previewPath(definition, page.part, page.section.id),
        csrf: csrfToken(key, c.get('staffToken')),
        back: previous ? previewPath(definition, previous.part, previous.section.id) : undefined,
        preview: {
          text: `Preview of ${definitionKey(definition)} (${definition.title}): answers are checked as in the survey, and nothing you enter is stored.`,
          exit: { href: staffPaths.definitions, text: 'Leave the preview' },
        },
      },
      status,
    );
  };

  return {
    list: async (c: Context<StaffEnv>) => {
      // A version another process published since this one read the store is listed too.
      await refreshPublishedDefinitions(stores.identifiable);
      return sendPage(c, DefinitionsPage, {
        account: accountOf(c, key)!,
        definitions: knownDefinitions().map((d) => {
          const summary = definitionSummary(d);
          return {
            ref: summary.ref,
            title: summary.title,
            items: Object.values(summary.items).reduce((a, b) => a + b, 0),
            waves: summary.waves,
            previewHref: pathTo(staffPaths.definitionPreview, { definition: summary.ref }),
          };
        }),
      });
    },
    start: async (c: Context<StaffEnv>) => {
      const definition = await definitionOf(c);
      if (!definition) return noSuchDefinition(c);
      const first = pagesOf(definition)[0]!;
      return c.redirect(previewPath(definition, first.part, first.section.id), 303);
    },
    section: async (c: Context<StaffEnv>) => {
      const definition = await definitionOf(c);
      if (!definition) return noSuchDefinition(c);
      const at = pageOf(c, definition);
      if (!at) return notFound(c, `${definitionKey(definition)} has no such page. Start its preview again from the list.`);
      return render(c, definition, at, {}, [], 200);
    },
    check: async (c: Context<StaffEnv>) => {
      const definition = await definitionOf(c);
      if (!definition) return noSuchDefinition(c);
      const at = pageOf(c, definition);
      if (!at) return notFound(c, `${definitionKey(definition)} has no such page. Start its preview again from the list.`);
      const form: PartForm = { definition, part: at.page.part, fixed: {} };
      const read = readSection(form, at.page.section, (await c.req.parseBody()) as Record<string, unknown>);
      if (!read.answers) return render(c, definition, at, read.cells, answerProblems(form, read.issues), 400);
      const next = at.next;
      return c.redirect(
        next ? previewPath(definition, next.part, next.section.id) : pathTo(staffPaths.definitionPreviewEnd, { definition: definitionKey(definition) }),
        303,
      );
    },
    end: async (c: Context<StaffEnv>) => {
      const definition = await definitionOf(c);
      if (!definition) return noSuchDefinition(c);
      const sections = definition.parts.map((p) => `${p.title}: ${sectionsOf({ definition, part: p.id, fixed: {} }).length} sections`);
      return sendStaffNotice(c, 200, {
        title: `End of the preview of ${definitionKey(definition)}`,
        paragraphs: [
          `You have paged through every section of ${definition.title} (${sections.join('; ')}). Nothing you entered was stored.`,
          'In the survey, each part ends with a page to check the answers before sending them.',
        ],
        link: { href: staffPaths.definitions, text: 'Go to the survey definitions' },
        account: accountOf(c, key),
      });
    },
  };
};
