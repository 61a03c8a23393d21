import { z } from 'zod';
import { idSchema } from './item-base.js';
import { itemSchema, kindOf, type Item } from './kinds/kind-registry.js';

export const partIds = ['identifiable', 'anonymous'] as const;
export type PartId = (typeof partIds)[number];
export const partIdSchema = z.enum(partIds);

export const sectionSchema = z.object({
  id: idSchema,
  title: z.string().min(1),
  description: z.string().min(1).optional(),
  items: z.array(itemSchema).min(1),
});

export const partSchema = z.object({
  id: partIdSchema,
  title: z.string().min(1),
  description: z.string().min(1),
  sections: z.array(sectionSchema).min(1),
});

const uniqueIssues = (ids: readonly string[], what: string, ctx: z.RefinementCtx, path: (string | number)[]) => {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `${what} "${id}" appears twice`, path });
    seen.add(id);
  }
};

const itemCodes = (item: Item): { codes: string[]; what: string }[] => {
  const lists: { codes: string[]; what: string }[] = [];
  if ('options' in item) lists.push({ codes: item.options.map((o) => o.code), what: 'option code' });
  if ('rows' in item) lists.push({ codes: item.rows.map((r) => r.id), what: 'row id' });
  if ('columns' in item) lists.push({ codes: item.columns.map((c) => c.code), what: 'column code' });
  return lists;
};

/**
 * The two ends of a rule between answers live in one section, the rule's target before it, so that
 * one page of the form holds both: a follow-up after the question whose option reveals it, a limit
 * after the answer it is limited by. At most one "None of these" per question.
 */
const relationIssues = (items: readonly Item[], ctx: z.RefinementCtx) => {
  const before = new Map<string, Item>();
  for (const item of items) {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message: `${item.id}: ${message}`, path: ['parts'] });
    if (item.when) {
      const parent = before.get(item.when.item);
      if (!parent) problem(`its follow-up condition names "${item.when.item}", which is not an earlier item of its section`);
      else if (!('options' in parent) || !parent.options.some((o) => o.code === item.when!.option)) {
        problem(`its follow-up condition names option "${item.when.option}", which "${item.when.item}" does not offer`);
      }
    }
    if ('atMost' in item && item.atMost !== undefined) {
      const limit = before.get(item.atMost);
      if (!limit || limit.kind !== item.kind) problem(`atMost names "${item.atMost}", which is not an earlier number item of its section`);
    }
    if ('options' in item && item.options.filter((o) => o.exclusive).length > 1) problem('more than one option is exclusive');
    before.set(item.id, item);
  }
};

export const definitionSchema = z
  .object({
    id: idSchema.or(z.string().regex(/^[a-z0-9][a-z0-9-]*$/)),
    version: z.number().int().positive(),
    title: z.string().min(1),
    description: z.string().min(1),
    parts: z.array(partSchema).length(2),
  })
  .superRefine((definition, ctx) => {
    uniqueIssues(
      definition.parts.map((p) => p.id),
      'part',
      ctx,
      ['parts'],
    );
    const items = definition.parts.flatMap((p) => p.sections.flatMap((s) => s.items));
    uniqueIssues(
      items.map((i) => i.id),
      'item id',
      ctx,
      ['parts'],
    );
    uniqueIssues(
      definition.parts.flatMap((p) => p.sections.map((s) => s.id)),
      'section id',
      ctx,
      ['parts'],
    );
    for (const item of items) {
      for (const { codes, what } of itemCodes(item)) uniqueIssues(codes, `${item.id}: ${what}`, ctx, ['parts']);
    }
    // CSV columns must be unambiguous: `q.a` of one item must not collide with an item called `q.a`.
    uniqueIssues(
      items.flatMap((i) => kindOf(i).columns(i)),
      'CSV column',
      ctx,
      ['parts'],
    );
    for (const section of definition.parts.flatMap((p) => p.sections)) relationIssues(section.items, ctx);
    for (const part of definition.parts) {
      if (part.id !== 'anonymous') continue;
      for (const item of part.sections.flatMap((s) => s.items)) {
        if (item.identifying || item.required !== 'never') {
          ctx.addIssue({
            code: 'custom',
            message: `anonymous item "${item.id}" must be optional and not identifying`,
            path: ['parts'],
          });
        }
      }
    }
  });

export type SurveyDefinition = z.infer<typeof definitionSchema>;
export type Part = SurveyDefinition['parts'][number];
export type Section = Part['sections'][number];
export type { Item };
