import { kindOf, type SurveyDefinition } from '../survey-definitions/index.js';
import { layoutSections, layoutTables, otherTablesSection, type ReportLayout, type ReportSection, type TableSpec } from './report/report-layout.js';
import { tableBuilders } from './tables/builder-registry.js';
import { tableKinds, type TableKind } from './table-types.js';

/** What a wave's report shows: every table in order, and the sections that hold them. */
export interface TablePlan {
  readonly tables: readonly TableSpec[];
  readonly sections: readonly ReportSection[];
}

/** A default table named by a question kind, checked: the definitions name table kinds by string. */
export const tableKindOf = (name: string, questionKind: string): TableKind => {
  if ((tableKinds as readonly string[]).includes(name)) return name as TableKind;
  throw new Error(`question kind ${questionKind} names the table kind "${name}" as a default table; the kinds of table are ${tableKinds.join(', ')}`);
};

/** The first of `id`, `id_2`, `id_3`, ... (or with `-`) that is not taken; takes it. */
const unique = (id: string, taken: Set<string>, joiner: '_' | '-'): string => {
  let candidate = id;
  for (let i = 2; taken.has(candidate); i++) candidate = `${id}${joiner}${i}`;
  taken.add(candidate);
  return candidate;
};

/**
 * The tables of a wave: the layout's, then a default table for every question of the wave's
 * definition that the layout neither places nor leaves out, so that a question added to a new version
 * is shown without anyone writing a layout for it. A question gets the tables its kind names
 * (`defaultTables` in survey-definitions/kinds/<kind>/): its first table's id is the item's id (with
 * `_2`, `_3`, ... when a table of the layout already has that id), a further table's the item's id and
 * its kind of table (`wellbeing_mean`); the title is the question as asked. Free text and email addresses
 * get none, and identifying items none: a table of who answered would name them. The default tables sit
 * after the layout's, in one section per definition section, titled as the definition titles it, in
 * definition order.
 */
export const planTables = (layout: ReportLayout, definition: SurveyDefinition): TablePlan => {
  const tables = [...layoutTables(layout)];
  const sections = [...layoutSections(layout)];
  const covered = new Set([...tables.flatMap((t) => t.items), ...layout.notTabulated.map((n) => n.item)]);
  const tableIds = new Set(tables.map((t) => t.id));
  const sectionIds = new Set([...sections.map((s) => s.id), otherTablesSection.id]);
  for (const part of definition.parts) {
    for (const section of part.sections) {
      const ids: string[] = [];
      for (const item of section.items) {
        if (covered.has(item.id) || item.identifying) continue;
        kindOf(item).defaultTables.forEach((named, i) => {
          const name = tableKindOf(named, item.kind);
          const id = unique(i === 0 ? item.id : `${item.id}_${name.replaceAll('-', '_')}`, tableIds, '_');
          const title = i === 0 ? item.label : `${item.label}: ${tableBuilders[name].shows}`;
          tables.push({ id, title, part: part.id, kind: name, items: [item.id] });
          ids.push(id);
        });
      }
      if (ids.length > 0) sections.push({ id: unique(section.id, sectionIds, '-'), title: section.title, tables: ids });
    }
  }
  return { tables, sections };
};
