import { describe, expect, it } from 'vitest';
import { definitionOfWave, findBundledWave, itemsOf, knownDefinitions, partIds, partOf, storedAnswers, type Answers } from '../../survey-definitions/index.js';
import { syntheticAnswers } from '../bench/synthetic-answers.js';

/**
 * Issue 16 (bytes stored): a response is kept by position, its item and row ids left to the definition
 * (survey-definitions/stored-answers.ts), and reads back exactly as it was given.
 */
const june = definitionOfWave(findBundledWave('2020-06')!);
const partTwo = storedAnswers(june, 'anonymous');

describe('stored answers: a response kept by position', () => {
  it.each(knownDefinitions().flatMap((definition) => partIds.map((part) => [`${definition.id}@${definition.version}`, part, definition] as const)))(
    '%s %s: 300 random responses read back exactly as given, through the whole row and item by item',
    (_name, part, definition) => {
      const codec = storedAnswers(definition, part);
      expect(codec.itemIds).toEqual(itemsOf(partOf(definition, part)).map((item) => item.id));
      for (const answers of syntheticAnswers(definition, part, 300, 11)) {
        const text = codec.encode(answers);
        expect(codec.decode(text)).toEqual(answers);
        const stored = JSON.parse(text) as unknown[];
        // No ids kept, and nothing after the last answer.
        for (const id of Object.keys(answers)) expect(text).not.toContain(`"${id}"`);
        if (stored.length > 0) expect(stored.at(-1)).not.toBeNull();
        stored.forEach((value, i) => {
          if (value !== null) expect(codec.decodeItem(i, value)).toEqual(answers[codec.itemIds[i]!]);
        });
      }
    },
  );

  it('keeps a grid by its rows and a list as it is; an unanswered row or item is a gap, an answered grid with no rows stays one', () => {
    const answers = { time_share: { adults: 3, children: 40 }, resources: ['solace'], final_reflections: '"quoted", → text' };
    const text = partTwo.encode(answers);
    const at = (id: string) => partTwo.itemIds.indexOf(id);
    const stored = JSON.parse(text) as unknown[];
    expect(stored[at('time_share')]).toEqual([40, 3]);
    expect(stored[at('resources')]).toEqual(['solace']);
    expect(stored).toHaveLength(at('final_reflections') + 1);
    expect(partTwo.decode(text)).toEqual(answers);
    // The rows come back in the grid's order.
    expect(Object.keys(partTwo.decode(text).time_share as object)).toEqual(['children', 'adults']);
    expect(partTwo.decode(partTwo.encode({ time_share: {} }))).toEqual({ time_share: {} });
    // null and undefined are no answer (isUnanswered): not kept.
    expect(partTwo.decode(partTwo.encode({ groups_involved: 3, induction: null, ld_function: undefined, time_share: { sds: null } }))).toEqual({
      groups_involved: 3,
      time_share: {},
    });
    expect(partTwo.encode({})).toBe('[]');
    expect(partTwo.decode('[]')).toEqual({});
  });

  it('reads a response kept as an object, as every response was stored before, as it is', () => {
    const old: Answers = { groups_involved: 3, time_share: { children: 40 }, anything: 'kept' };
    expect(partTwo.decode(JSON.stringify(old))).toEqual(old);
    expect(partTwo.decodeItem(at('time_share'), { children: 40 })).toEqual({ children: 40 });
  });

  it('refuses what the definition does not have, naming it, rather than losing it', () => {
    expect(() => partTwo.encode({ groups_involved: 3, seq: 1 })).toThrow('cswo-annual@2 anonymous has no item "seq"');
    expect(() => partTwo.encode({ time_share: { children: 40, cats: 2 } })).toThrow('time_share has no row "cats"');
    expect(() => partTwo.encode({ time_share: [40] })).toThrow('the answer to time_share must be an object keyed by row');
    expect(() => partTwo.decode(JSON.stringify(Array.from({ length: partTwo.itemIds.length + 1 }, () => 1)))).toThrow(/has 26 answers, the part 25 items/);
    const at = partTwo.itemIds.indexOf('time_share');
    expect(partTwo.decodeItem(at, [])).toEqual({});
    const over: unknown[] = [];
    over[at] = Array.from({ length: 18 }, () => 1);
    expect(() => partTwo.decode(JSON.stringify(over))).toThrow('cswo-annual@2 anonymous: a stored answer to time_share has 18 rows, the item 17');
  });

  it('keeps a response of the 2020-06 wave in well under a third of the bytes of the object', () => {
    const rows = syntheticAnswers(june, 'anonymous', 1000, 5);
    const bytes = (texts: string[]) => texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    const byPosition = bytes(rows.map(partTwo.encode));
    const asObjects = bytes(rows.map((r) => JSON.stringify(r)));
    expect(byPosition / asObjects).toBeLessThan(0.33);
  });
});

const at = (id: string) => partTwo.itemIds.indexOf(id);
