import { describe, expect, it } from 'vitest';
import {
  csvLayout,
  decodeRecord,
  definitionOfWave,
  encodeRecord,
  findBundledWave,
  itemsOf,
  knownDefinitions,
  layoutOfItems,
  partIds,
  partOf,
  readAnswers,
  storedAnswers,
  storedRecordEncoder,
  type Answers,
  type Item,
} from '../../survey-definitions/index.js';
import { syntheticAnswers } from '../bench/synthetic-answers.js';
import { cswoAnnualV3 } from '../support/definitions.js';

const partOne = itemsOf(partOf(cswoAnnualV3, 'identifiable'));
const itemOf = (id: string): Item => partOne.find((i) => i.id === id)!;
const cellsOf = (cells: Record<string, string>) => (column: string) => cells[column];

describe('decodeRecord: answers from cells (a CSV row or a posted form)', () => {
  const layout = layoutOfItems([itemOf('name'), itemOf('local_authority'), itemOf('pq_awards')]);

  it('reads each kind from its columns, leaving out what was not answered', () => {
    expect(decodeRecord(layout, cellsOf({ name: 'Fiona', local_authority: ' fife ', 'pq_awards.pq1': '1', 'pq_awards.pq2': '0' }))).toEqual({
      answers: { name: 'Fiona', local_authority: 'fife', pq_awards: ['pq1'] },
      issues: [],
    });
    expect(decodeRecord(layout, cellsOf({ local_authority: '' })).answers).toEqual({});
  });

  it('undoes the formula guard only in free-text cells, and only when asked (a form takes text as typed)', () => {
    const guarded = cellsOf({ name: "'=Fiona", local_authority: "'=fife" });
    const unguard = (cell: string) => cell.replace(/^'/, '');
    expect(decodeRecord(layout, guarded, { unguard }).answers).toEqual({ name: '=Fiona', local_authority: "'=fife" });
    expect(decodeRecord(layout, guarded).answers).toEqual({ name: "'=Fiona", local_authority: "'=fife" });
  });

  it('reports a cell it cannot read by its column', () => {
    expect(decodeRecord(layout, cellsOf({ 'pq_awards.pq1': 'yes' })).issues).toMatchObject([{ path: 'pq_awards.pq1', rule: 'flag', got: 'yes' }]);
  });
});

describe("readAnswers: a few questions of a part, each checked by its kind's rules (a roster's name and email)", () => {
  const items = [itemOf('name'), itemOf('email')];

  it('checks each answer given, with no required rule for a blank', () => {
    expect(readAnswers(items, cellsOf({ name: 'Fiona', email: ' fiona@fife.gov.uk ' }))).toEqual({
      answers: { name: 'Fiona', email: 'fiona@fife.gov.uk' },
      issues: [],
    });
    expect(readAnswers(items, cellsOf({ name: 'Fiona', email: ' ' }))).toEqual({ answers: { name: 'Fiona' }, issues: [] });
    expect(readAnswers(items, cellsOf({ name: 'x'.repeat(201), email: 'nope' })).issues).toMatchObject([
      { path: 'name', rule: 'max-length' },
      { path: 'email', rule: 'email', got: 'nope' },
    ]);
  });
});

describe('storedRecordEncoder: a stored response written as cells without being decoded (the export)', () => {
  it.each(knownDefinitions().flatMap((definition) => partIds.map((part) => [`${definition.id}@${definition.version}`, part, definition] as const)))(
    '%s %s: each of 300 random responses, kept by position or as an object, gives the cells encodeRecord gives its answers',
    (_name, part, definition) => {
      const layout = csvLayout(definition, part);
      const codec = storedAnswers(definition, part);
      const encode = storedRecordEncoder(layout, codec);
      for (const answers of syntheticAnswers(definition, part, 300, 5)) {
        const cells = encodeRecord(layout, answers);
        expect(cells).toHaveLength(layout.header.length);
        expect(encode(codec.encode(answers))).toEqual(cells);
        expect(encode(JSON.stringify(answers))).toEqual(cells);
      }
    },
  );

  const june = definitionOfWave(findBundledWave('2020-06')!);
  const layout = csvLayout(june, 'anonymous');
  const codec = storedAnswers(june, 'anonymous');
  const encode = storedRecordEncoder(layout, codec);
  const column = (cells: readonly string[], name: string) => cells[layout.header.indexOf(name)];

  it('writes the edges as encodeRecord does: a grid with gaps or no rows, a number needing no exponent, quoted text, an empty list', () => {
    const edges: Answers[] = [
      {},
      { time_share: {} },
      { time_share: { adults: 0.0000001, budgets: 1e21 }, groups_involved: 0, resources: [], final_reflections: 'a "quoted", text\n=1+2' },
      { pressure: { sds: 5 }, direct_access: { ijb_chair: 'no' }, support: {} },
    ];
    for (const answers of edges) {
      expect(encode(codec.encode(answers))).toEqual(encodeRecord(layout, answers));
      expect(encode(JSON.stringify(answers))).toEqual(encodeRecord(layout, answers));
    }
    const cells = encode(codec.encode(edges[2]!));
    expect(column(cells, 'time_share.adults')).toBe('0.0000001');
    expect(column(cells, 'time_share.budgets')).toBe('1000000000000000000000');
    expect(column(cells, 'time_share.children')).toBe('');
  });

  it('refuses a stored response its part cannot hold, and a layout of another part', () => {
    const at = codec.itemIds.indexOf('time_share');
    const rows = layout.items[at]!.columns.length;
    const overGrid: unknown[] = [];
    overGrid[at] = Array.from({ length: rows + 1 }, () => 1);
    expect(() => encode(JSON.stringify(overGrid))).toThrow(`a stored answer to time_share has ${rows + 1} rows, the item ${rows}`);
    expect(() => encode(JSON.stringify(Array.from({ length: codec.itemIds.length + 1 }, () => null)))).toThrow(
      `a stored response has ${codec.itemIds.length + 1} answers, the part ${codec.itemIds.length} items`,
    );
    expect(() => storedRecordEncoder(csvLayout(june, 'identifiable'), codec)).toThrow('the layout and the stored form are of different parts');
  });
});
