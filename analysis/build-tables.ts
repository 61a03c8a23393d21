import { definitionKey, partIds, type PartId } from '../survey-definitions/index.js';
import { compareTables } from './compare-waves.js';
import { tableCatalogue, type TableSpec } from './table-catalogue.js';
import { tableBuilders } from './tables/builder-registry.js';
import type { AnalysisTable, WaveTables } from './table-types.js';
import type { WaveResponses } from './wave-responses.js';

const respondents = (wave: WaveResponses) => Object.fromEntries(partIds.map((p) => [p, wave.responses[p].length])) as Record<PartId, number>;

/**
 * Every table of the catalogue for one wave, optionally compared with another. Pure: plain answers in,
 * plain tables out. A table whose items a wave's definition lacks is listed under `omitted` with the
 * reason, never shown as zeros.
 */
export const buildTables = (wave: WaveResponses, compareWith?: WaveResponses, catalogue: readonly TableSpec[] = tableCatalogue): WaveTables => {
  const tables: AnalysisTable[] = [];
  const omitted: { id: string; reason: string }[] = [];
  for (const spec of catalogue) {
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
      tables.push(built.table);
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
    omitted,
  };
};
