import { csvLayout } from '../../survey-definitions/answer-cells.js';
import type { PartId } from '../../survey-definitions/index.js';
import { councilCodes, definitionOfWave2, randomCells, sectionsOf, seededRandom } from '../server/respondent-helpers.js';

/** A valid file of `rows` responses to this part of wave 2020-06, from a seed. */
export const validRecords = (part: PartId, rows: number, seed: number): string[][] => {
  const header = [...csvLayout(definitionOfWave2, part).header];
  const random = seededRandom(seed);
  const councils = random.shuffle(councilCodes);
  const items = sectionsOf(part).flatMap((s) => s.items);
  return [
    header,
    ...Array.from({ length: rows }, (_, r) => {
      const cells = randomCells(items, random);
      if (part === 'identifiable') Object.assign(cells, { local_authority: councils[r]!, name: `Officer ${r}`, email: `officer${r}@example.gov.uk` });
      return header.map((column) => cells[column] ?? '');
    }),
  ];
};
