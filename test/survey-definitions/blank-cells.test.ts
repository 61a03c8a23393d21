import { describe, expect, it } from 'vitest';
import { allItems, bundledDefinitions, kindOf } from '../../survey-definitions/index.js';

const items = allItems(bundledDefinitions[1]!);

describe('blank CSV cells', () => {
  it.each(items.map((item) => [item.id, item] as const))('%s: empty or whitespace-only cells are "not answered"', (_id, item) => {
    const kind = kindOf(item);
    const columns = kind.columns(item);
    for (const blank of ['', ' ', '  \t', undefined]) {
      expect(
        kind.fromCells(
          item,
          columns.map(() => blank),
        ),
      ).toBeUndefined();
    }
  });
});
