import { itemsOf, partOf, type Answers, type Item, type PartId, type SurveyDefinition } from '../../survey-definitions/index.js';
import { seededRandom } from '../../analysis/statistics/seeded-random.js';

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const answerFor = (item: Item, random: Random): unknown => {
  switch (item.kind) {
    case 'single':
      return pick(random, item.options).code;
    case 'multi':
      return item.options.filter(() => random() < 0.4).map((o) => o.code);
    case 'rating':
      return int(random, item.scale.min, item.scale.max);
    case 'number':
      return int(random, item.bounds.min ?? 0, item.bounds.max ?? 40);
    case 'text':
      return `comment ${int(random, 1, 1000)}`;
    case 'email':
      return `person${int(random, 1, 1000)}@example.gov.uk`;
    case 'matrix-choice':
      return Object.fromEntries(item.rows.filter(() => random() < 0.9).map((r) => [r.id, pick(random, item.columns).code]));
    case 'matrix-number':
      return Object.fromEntries(item.rows.filter(() => random() < 0.9).map((r) => [r.id, int(random, 0, 30)]));
    case 'matrix-rating':
      return Object.fromEntries(item.rows.filter(() => random() < 0.9).map((r) => [r.id, int(random, item.scale.min, item.scale.max)]));
  }
};

/** Random but valid answers for load and benchmark runs: each item answered 85 % of the time. */
export const syntheticAnswers = (definition: SurveyDefinition, part: PartId, count: number, seed = 1): Answers[] => {
  const random = seededRandom(seed);
  const items = itemsOf(partOf(definition, part));
  return Array.from({ length: count }, () => Object.fromEntries(items.filter(() => random() < 0.85).map((item) => [item.id, answerFor(item, random)])));
};
