import { z } from 'zod';
import { partIds, type PartId } from '../../survey-definitions/index.js';
import { tableKinds, type ReportSection, type TableKind } from '../table-types.js';
import cswo2020 from './cswo-2020-layout.json' with { type: 'json' };

/** One table of a report: its id (a public contract once published), title, part, kind and the items it is built from. */
export interface TableSpec {
  readonly id: string;
  readonly title: string;
  readonly part: PartId;
  readonly kind: TableKind;
  readonly items: readonly string[];
}

export type { ReportSection } from '../table-types.js';

// Table ids are CSV values and dashboard anchors, written like item ids (item-base.ts).
const tableIdSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a table id is lower-case letters, digits and underscores, starting with a letter');
const sectionIdSchema = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a section id is lower-case letters, digits, hyphens and underscores, starting with a letter');

const layoutTableSchema = z
  .object({
    id: tableIdSchema,
    title: z.string().min(1),
    part: z.enum(partIds),
    kind: z.enum(tableKinds),
    items: z.array(tableIdSchema).min(1),
    /** Why the report has this table, for whoever edits the layout; never shown. */
    why: z.string().min(1).optional(),
  })
  .strict();

export const otherTablesSection = { id: 'other', title: 'Other tables' } as const;

/**
 * A report's layout as data: its sections in order, each with its tables (which kind of table of which
 * items, and the title), and the items it deliberately leaves untabulated. A question of a wave's
 * definition that the layout neither places nor leaves out still gets its kind's default table
 * (default-tables.ts), so a layout written for one year never hides a question added the next.
 */
export const reportLayoutSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    sections: z
      .array(
        z
          .object({
            id: sectionIdSchema.refine((id) => id !== otherTablesSection.id, `"${otherTablesSection.id}" is the section of tables no layout places`),
            title: z.string().min(1),
            tables: z.array(layoutTableSchema).min(1),
          })
          .strict(),
      )
      .min(1),
    /** Items that get no table although their kind has one, each with the reason. */
    notTabulated: z.array(z.object({ item: tableIdSchema, reason: z.string().min(1) }).strict()).default([]),
  })
  .strict()
  .superRefine((layout, ctx) => {
    const once = (ids: readonly string[], what: string, path: (i: number) => (string | number)[]) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: path(i), message: `${what} "${id}" appears more than once` });
        seen.add(id);
      });
    };
    once(
      layout.sections.map((s) => s.id),
      'section id',
      (i) => ['sections', i, 'id'],
    );
    const tables = layout.sections.flatMap((s, si) => s.tables.map((t, ti) => ({ id: t.id, path: ['sections', si, 'tables', ti, 'id'] })));
    once(
      tables.map((t) => t.id),
      'table id',
      (i) => tables[i]!.path,
    );
  });

export type ReportLayout = z.infer<typeof reportLayoutSchema>;

/** A layout that does not parse: the message names the file and every place that is wrong, and what was expected. */
export class InvalidReportLayout extends Error {
  constructor(source: string, issues: readonly string[]) {
    super(`report layout ${source} is not valid:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'InvalidReportLayout';
  }
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

/** Parses and freezes a layout; `source` names it in errors (a file name). */
export const parseReportLayout = (data: unknown, source: string): ReportLayout => {
  const parsed = reportLayoutSchema.safeParse(data);
  if (!parsed.success) {
    throw new InvalidReportLayout(
      source,
      parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(the layout)'}: ${issue.message}`),
    );
  }
  return deepFreeze(parsed.data);
};

/** The layout of the published 2020 report, the default of every wave's tables. */
export const cswo2020Layout: ReportLayout = parseReportLayout(cswo2020, 'analysis/report/cswo-2020-layout.json');

/** A layout's tables in report order, section by section. */
export const layoutTables = (layout: ReportLayout): readonly TableSpec[] =>
  layout.sections.flatMap((s) => s.tables.map(({ id, title, part, kind, items }) => ({ id, title, part, kind, items })));

/** A layout's sections as the outline places tables: ids only. */
export const layoutSections = (layout: ReportLayout): readonly ReportSection[] =>
  layout.sections.map((s) => ({ id: s.id, title: s.title, tables: s.tables.map((t) => t.id) }));
