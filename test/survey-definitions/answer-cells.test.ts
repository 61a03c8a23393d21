import { describe, expect, it } from 'vitest';
import { decodeRecord, itemsOf, layoutOfItems, partOf, readAnswers, type Item } from '../../survey-definitions/index.js';
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
