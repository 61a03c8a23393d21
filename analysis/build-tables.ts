import { allItems, definitionKey, partIds, type PartId, type SurveyDefinition } from '../survey-definitions/index.js';
import { compareTables, notAsked } from './compare-waves.js';
import { planTables, type TablePlan } from './default-tables.js';
import { cswo2020Layout, type ReportLayout, type TableSpec } from './report/report-layout.js';
import { reportOutline } from './report/report-outline.js';
import { tableBuilders } from './tables/builder-registry.js';
import type { AnalysisTable, WaveTables } from './table-types.js';
import type { WaveResponses } from './wave-responses.js';
import { waveColumnsOf, type WaveColumns } from './wave-columns.js';

const respondents = (wave: WaveColumns) => Object.fromEntries(partIds.map((p) => [p, wave.parts[p].size])) as Record<PartId, number>;

const columnar = (wave: WaveResponses | WaveColumns): WaveColumns => ('parts' in wave ? wave : waveColumnsOf(wave));

const lacks = (definition: SurveyDefinition, items: readonly string[]) => {
  const ids = new Set(allItems(definition).map((i) => i.id));
  return items.some((id) => !ids.has(id));
};

/**
 * Every table of a wave, optionally compared with another. Pure: answers in, plain tables out. Each
 * table reads the answers as columns (wave-columns.ts), a typed array per variable; plain answers are
 * laid out as columns first, which the loader does instead as the rows stream in.
 * `layout` is the report's layout (default the 2020 report's): its tables, then a default table for
 * every question of the wave's definition it does not place (default-tables.ts). A bare list of table
 * specs is taken as the whole list instead, with no default tables, placed by the 2020 sections.
 * A table whose items a wave's definition lacks is listed under `omitted` with the reason, never shown
 * as zeros; one the compared wave did not ask is shown uncompared and says so (`notCompared`).
 */
export const buildTables = (
  waveAnswers: WaveResponses | WaveColumns,
  compareAnswers?: WaveResponses | WaveColumns,
  layout: ReportLayout | readonly TableSpec[] = cswo2020Layout,
): WaveTables => {
  const wave = columnar(waveAnswers);
  const compareWith = compareAnswers && columnar(compareAnswers);
  const plan: TablePlan = Array.isArray(layout)
    ? { tables: layout as readonly TableSpec[], sections: reportOutline }
    : planTables(layout as ReportLayout, wave.definition);
  const tables: AnalysisTable[] = [];
  const omitted: { id: string; reason: string }[] = [];
  for (const spec of plan.tables) {
    const builder = tableBuilders[spec.kind];
    const built = builder.build(spec, wave.definition, wave.parts[spec.part]);
    if ('omitted' in built) {
      omitted.push({ id: spec.id, reason: `not in wave ${wave.wave}: ${built.omitted}` });
      continue;
    }
    if (!compareWith) {
      tables.push(built.table);
      continue;
    }
    const before = builder.build(spec, compareWith.definition, compareWith.parts[spec.part]);
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
        columns: wave.parts[spec.part],
        compareColumns: compareWith.parts[spec.part],
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
