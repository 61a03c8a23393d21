import { z } from 'zod';
import { idSchema } from './item-base.js';
import { formatPath } from './definition-problem.js';
import { itemSchema, kindOf, type Item } from './kinds/kind-registry.js';

export const partIds = ['identifiable', 'anonymous'] as const;
export type PartId = (typeof partIds)[number];
export const partIdSchema = z.enum(partIds);

export const sectionSchema = z.strictObject({
  id: idSchema,
  title: z.string().min(1),
  description: z.string().min(1).optional(),
  items: z.array(itemSchema).min(1),
});

export const partSchema = z.strictObject({
  id: partIdSchema,
  title: z.string().min(1),
  description: z.string().min(1),
  sections: z.array(sectionSchema).min(1),
});

/**
 * Columns the researchers' data package adds beside the items' own (analysis/codebook/wave-union.ts): the
 * wave of each row, and a number's `<column>_coded`. No item may take their names.
 */
export const packageColumns = { wave: 'wave', codedSuffix: '_coded' } as const;

/** The survey's own pages beside the sections' (`/part-two/check`, `/part-two/resume`): never a section's id. */
export const reservedSectionIds = ['check', 'submit', 'done', 'resume', 'leave'] as const;

type Path = (string | number)[];

interface Placed<T> {
  readonly value: T;
  readonly path: Path;
}

/** Each problem names the second of two equal ids, where the analyst who added it will look. */
const uniqueIssues = (ids: readonly Placed<string>[], what: string, ctx: z.RefinementCtx) => {
  const first = new Map<string, Path>();
  for (const { value, path } of ids) {
    const earlier = first.get(value);
    if (earlier) ctx.addIssue({ code: 'custom', message: `${what} "${value}" appears twice (also at ${formatPath(earlier)})`, path });
    else first.set(value, path);
  }
};

/**
 * The two ends of a rule between answers live in one section, the rule's target before it, so that
 * one page of the form holds both: a follow-up after the question whose option reveals it, a limit
 * after the answer it is limited by. At most one "None of these" per question.
 */
const relationIssues = (items: readonly Placed<Item>[], ctx: z.RefinementCtx) => {
  const before = new Map<string, Item>();
  for (const { value: item, path } of items) {
    const problem = (field: string, message: string) => ctx.addIssue({ code: 'custom', message, path: [...path, field] });
    if (item.when) {
      const parent = before.get(item.when.item);
      if (!parent) problem('when', `the follow-up condition names "${item.when.item}", which is not an earlier question of the same section`);
      else if (!('options' in parent) || !parent.options.some((o) => o.code === item.when!.option)) {
        problem('when', `the follow-up condition names option "${item.when.option}", which "${item.when.item}" does not offer`);
      }
    }
    if ('atMost' in item && item.atMost !== undefined) {
      const limit = before.get(item.atMost);
      if (!limit || limit.kind !== item.kind) problem('atMost', `atMost names "${item.atMost}", which is not an earlier number question of the same section`);
    }
    if ('options' in item && item.options.filter((o) => o.exclusive).length > 1)
      problem('options', 'more than one option is exclusive ("None of these"): at most one may be');
    before.set(item.id, item);
  }
};

export const definitionSchema = z
  .strictObject({
    // An item-like id (cswo_annual) or one with hyphens (cswo-annual): one pattern, so a refusal says one thing.
    id: z.string().regex(/^([a-z][a-z0-9_]*|[a-z0-9][a-z0-9-]*)$/, 'a definition id is lower-case letters and digits, joined by hyphens or underscores'),
    version: z.number().int().positive().describe('The version number: one more than the latest published version of this id.'),
    title: z.string().min(1),
    description: z.string().min(1),
    parts: z.array(partSchema).length(2).describe('The identifiable part (part one) and the anonymous part (part two).'),
  })
  .superRefine((definition, ctx) => {
    const parts = definition.parts.map((part, p) => ({ value: part, path: ['parts', p] }));
    const sections = parts.flatMap(({ value: part, path }) => part.sections.map((section, s) => ({ value: section, path: [...path, 'sections', s] })));
    const items = sections.flatMap(({ value: section, path }) => section.items.map((item, i) => ({ value: item, path: [...path, 'items', i] })));
    const idsOf = <T extends { id: string }>(list: readonly Placed<T>[]) => list.map(({ value, path }) => ({ value: value.id, path: [...path, 'id'] }));
    uniqueIssues(idsOf(parts), 'part', ctx);
    uniqueIssues(idsOf(items), 'item id', ctx);
    uniqueIssues(idsOf(sections), 'section id', ctx);
    // A section's id is the last part of its page's address (`/part-two/workload`), beside the survey's own
    // pages: a section called `check` would be hidden by the check page.
    for (const { value: section, path } of sections)
      if ((reservedSectionIds as readonly string[]).includes(section.id))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'id'],
          message: `section id "${section.id}" is the address of one of the survey's own pages (${reservedSectionIds.join(', ')}): choose another`,
        });
    for (const { value: item, path } of items) {
      for (const list of kindOf(item).codeLists?.(item) ?? []) {
        const codeField = list.field === 'rows' ? 'id' : 'code';
        uniqueIssues(
          list.entries.map((entry, e) => ({ value: entry.code, path: [...path, list.field, e, codeField] })),
          `${list.noun} ${codeField}`,
          ctx,
        );
      }
    }
    for (const { value: item, path } of items)
      if (item.id === packageColumns.wave || item.id.endsWith(packageColumns.codedSuffix))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'id'],
          message: `item id "${item.id}" is taken by the researchers' data package ("${packageColumns.wave}", and "…${packageColumns.codedSuffix}" beside a number): choose another`,
        });
    // CSV columns must be unambiguous: `q.a` of one item must not collide with an item called `q.a`.
    uniqueIssues(
      items.flatMap(({ value: item, path }) =>
        kindOf(item)
          .columns(item)
          .map((column) => ({ value: column, path })),
      ),
      'CSV column',
      ctx,
    );
    for (const { value: section, path } of sections)
      relationIssues(
        section.items.map((item, i) => ({ value: item, path: [...path, 'items', i] })),
        ctx,
      );
    const anonymous = parts.find(({ value }) => value.id === 'anonymous');
    for (const { value: item, path } of items) {
      if (path[1] !== anonymous?.path[1]) continue;
      if (item.identifying || item.required !== 'never') {
        ctx.addIssue({
          code: 'custom',
          message: `"${item.id}" is in the anonymous part, so it must be optional and not identifying: leave out "required" and "identifying"`,
          path,
        });
      }
    }
  });

export type SurveyDefinition = z.infer<typeof definitionSchema>;
export type Part = SurveyDefinition['parts'][number];
export type Section = Part['sections'][number];
export type { Item };
