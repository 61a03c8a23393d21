import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { WaveResponses } from '../../analysis/index.js';
import { seededRandom } from '../../analysis/statistics/seeded-random.js';
import {
  itemsOf,
  kindOf,
  partIds,
  partOf,
  validateAnswers,
  type Answers,
  type Item,
  type PartId,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import { councils } from '../../survey-definitions/cswo-annual/councils.js';
import { v1, v2, WAVE_1, WAVE_2 } from './fixtures.js';

/** Data for the disclosure tests: random waves answering every item, and the bundled 2020 files. */

type Random = () => number;

/** A skewed choice: weights cubed, so some options are rare and small cells are common. */
const skewedPicker = (random: Random, size: number) => {
  const weights = Array.from({ length: size }, () => random() ** 3 + 0.002);
  const total = weights.reduce((a, b) => a + b, 0);
  return () => {
    let r = random() * total;
    for (let i = 0; i < size - 1; i++) {
      if (r < weights[i]!) return i;
      r -= weights[i]!;
    }
    return size - 1;
  };
};

/** For one item, a generator of answers (undefined: left blank), with its own skew. */
const answerer = (item: Item, random: Random): (() => unknown) => {
  const blank = random() * 0.25;
  const maybe = (make: () => unknown) => () => (random() < blank ? undefined : make());
  switch (item.kind) {
    case 'single': {
      const pick = skewedPicker(random, item.options.length);
      return maybe(() => item.options[pick()]!.code);
    }
    case 'multi': {
      const chance = item.options.map(() => random() ** 2);
      return maybe(() => item.options.filter((_, i) => random() < chance[i]!).map((o) => o.code));
    }
    case 'rating': {
      const pick = skewedPicker(random, item.scale.max - item.scale.min + 1);
      return maybe(() => item.scale.min + pick());
    }
    case 'number': {
      const top = item.bounds.max ?? 40;
      return maybe(() => Math.floor(random() ** 2 * top));
    }
    case 'text':
      return maybe(() => `some words ${Math.floor(random() * 1000)}`);
    case 'email':
      return () => undefined;
    case 'matrix-choice': {
      const rows = item.rows.map(() => ({ pick: skewedPicker(random, item.columns.length), blank: random() * 0.4 }));
      return maybe(() => Object.fromEntries(item.rows.flatMap((r, i) => (random() < rows[i]!.blank ? [] : [[r.id, item.columns[rows[i]!.pick()]!.code]]))));
    }
    case 'matrix-number':
      return maybe(() => Object.fromEntries(item.rows.flatMap((r) => (random() < 0.3 ? [] : [[r.id, Math.floor(random() ** 2 * 60)]]))));
    case 'matrix-rating': {
      const rows = item.rows.map(() => skewedPicker(random, item.scale.max - item.scale.min + 1));
      return maybe(() => Object.fromEntries(item.rows.flatMap((r, i) => (random() < 0.2 ? [] : [[r.id, item.scale.min + rows[i]!()]]))));
    }
  }
};

const randomPart = (definition: SurveyDefinition, part: PartId, count: number, random: Random): Answers[] => {
  const items = itemsOf(partOf(definition, part)).filter((i) => i.id !== 'local_authority');
  const makers = items.map((item) => [item.id, answerer(item, random)] as const);
  return Array.from({ length: count }, (_, i) => {
    const raw: Record<string, unknown> = part === 'identifiable' ? { local_authority: councils[i]!.code } : {};
    for (const [id, make] of makers) {
      const value = make();
      if (value !== undefined) raw[id] = value;
    }
    const checked = validateAnswers(definition, part, raw, 'import');
    if (!checked.ok) throw new Error(`random answers are invalid: ${JSON.stringify(checked.issues)}`);
    return checked.value;
  });
};

/** A random wave of 11-27 respondents per part, every item answered with its own skew. */
export const randomWave = (seed: number, wave: string = WAVE_2): WaveResponses => {
  const random = seededRandom(seed);
  const definition = wave === WAVE_1 ? v1 : v2;
  const size = () => 11 + Math.floor(random() * 17);
  return {
    wave,
    definition,
    responses: { identifiable: randomPart(definition, 'identifiable', size(), random), anonymous: randomPart(definition, 'anonymous', size(), random) },
  };
};

/** The bundled 2020 CSV files decoded with the kinds' own CSV rules and validated like an import. */
export const bundledWave = (wave: typeof WAVE_1 | typeof WAVE_2): WaveResponses => {
  const definition = wave === WAVE_1 ? v1 : v2;
  const responses = Object.fromEntries(
    partIds.map((part) => {
      const text = readFileSync(fileURLToPath(new URL(`../../bundled-data/${wave}/${part}.csv`, import.meta.url)), 'utf8');
      const records = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
      const items = itemsOf(partOf(definition, part));
      return [
        part,
        records.map((record) => {
          const raw: Record<string, unknown> = {};
          for (const item of items) {
            const read = kindOf(item).fromCells(
              item,
              kindOf(item)
                .columns(item)
                .map((c) => record[c]),
            );
            if (read?.ok) raw[item.id] = read.value;
          }
          const checked = validateAnswers(definition, part, raw, 'import');
          if (!checked.ok) throw new Error(`bundled ${wave} ${part} row is invalid: ${JSON.stringify(checked.issues)}`);
          return checked.value;
        }),
      ];
    }),
  ) as Record<PartId, Answers[]>;
  return { wave, definition, responses };
};
