import { allItems, definitionKey, partIds, type PartId, type SurveyDefinition } from '../../../survey-definitions/index.js';
import { compareTables, notAsked } from './compare-waves.js';
import { planTables, type TablePlan } from '../../../analysis/default-tables.js';
import { cswo2020Layout, type ReportLayout, type TableSpec } from '../../../analysis/report/report-layout.js';
import { reportOutline } from '../../../analysis/report/report-outline.js';
import { tableBuilders } from './builder-registry.js';
import type { AnalysisTable, WaveTables } from '../../../analysis/table-types.js';
import type { WaveResponses } from '../../../analysis/wave-responses.js';

const respondents = (wave: WaveResponses) => Object.fromEntries(partIds.map((p) => [p, wave.responses[p].length])) as Record<PartId, number>;

const lacks = (definition: SurveyDefinition, items: readonly string[]) => {
  const ids = new Set(allItems(definition).map((i) => i.id));
  return items.some((id) => !ids.has(id));
};

/**
 * THE REFERENCE, not the product: the tables as they were built before issue 16, answer object by answer
 * object (analysis/ at e7cca6b, this folder copied unchanged but for imports and this name), kept so a
 * test can build every table both ways and require them equal (columnar-tables.test.ts).
 *
 * Every table of a wave, optionally compared with another. Pure: plain answers in, plain tables out.
 * `layout` is the report's layout (default the 2020 report's): its tables, then a default table for
 * every question of the wave's definition it does not place (default-tables.ts). A bare list of table
 * specs is taken as the whole list instead, with no default tables, placed by the 2020 sections.
 * A table whose items a wave's definition lacks is listed under `omitted` with the reason, never shown
 * as zeros; one the compared wave did not ask is shown uncompared and says so (`notCompared`).
 */
export const buildTablesFromObjects = (
  wave: WaveResponses,
  compareWith?: WaveResponses,
  layout: ReportLayout | readonly TableSpec[] = cswo2020Layout,
): WaveTables => {
  const plan: TablePlan = Array.isArray(layout)
    ? { tables: layout as readonly TableSpec[], sections: reportOutline }
    : planTables(layout as ReportLayout, wave.definition);
  const tables: AnalysisTable[] = [];
  const omitted: { id: string; reason: string }[] = [];
  for (const spec of plan.tables) {
    const builder = tableBuilders[spec.kind];
    const built = builder.build(spec, wave.definition, wave.responses[spec.part]);
    if ('omitted' in built) {
      omitted.push({ id: spec.id, reason: `not in wave ${wave.wave}: ${built.omitted}` });
      continue;
    }
    if (!compareWith) {
      tables.push(built.table);
      continue;
    }
    const before = builder.build(spec, compareWith.definition, compareWith.responses[spec.part]);
    if ('omitted' in before) {
      omitted.push({ id: spec.id, reason: `not compared with wave ${compareWith.wave}: ${before.omitted}` });
      const why = lacks(compareWith.definition, spec.items) ? notAsked(compareWith.wave) : `not comparable with ${compareWith.wave}: ${before.omitted}`;
      tables.push({ ...built.table, notCompared: why });
      continue;
    }
    tables.push(
      compareTables(spec, builder, built.table, before.table, {
        wave: wave.wave,
        compareWave: compareWith.wave,
        responses: wave.responses[spec.part],
        compareResponses: compareWith.responses[spec.part],
      }),
    );
  }
  return {
    wave: wave.wave,
    definition: definitionKey(wave.definition),
    respondents: respondents(wave),
    ...(compareWith ? { compare: { wave: compareWith.wave, definition: definitionKey(compareWith.definition), respondents: respondents(compareWith) } } : {}),
    tables,
    sections: plan.sections,
    omitted,
  };
};
