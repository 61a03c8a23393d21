import { describe, expect, it } from 'vitest';
import { itemKinds, kindOf, type Item } from '../../survey-definitions/index.js';
import { emailItemSchema, emailKind } from '../../survey-definitions/kinds/email/email-kind.js';
import { matrixChoiceItemSchema, matrixChoiceKind } from '../../survey-definitions/kinds/matrix-choice/matrix-choice-kind.js';
import { matrixNumberItemSchema, matrixNumberKind } from '../../survey-definitions/kinds/matrix-number/matrix-number-kind.js';
import { matrixRatingItemSchema, matrixRatingKind } from '../../survey-definitions/kinds/matrix-rating/matrix-rating-kind.js';
import { multiItemSchema, multiKind } from '../../survey-definitions/kinds/multi/multi-kind.js';
import { numberItemSchema, numberKind } from '../../survey-definitions/kinds/number/number-kind.js';
import { ratingItemSchema, ratingKind } from '../../survey-definitions/kinds/rating/rating-kind.js';
import { singleItemSchema, singleKind } from '../../survey-definitions/kinds/single/single-kind.js';
import { textItemSchema, textKind } from '../../survey-definitions/kinds/text/text-kind.js';
import { option, row } from './fixtures.js';

const colour = singleItemSchema.parse({
  id: 'colour',
  kind: 'single',
  label: 'Colour',
  options: [option('red'), option('green'), option('blue')],
});

const fruit = multiItemSchema.parse({
  id: 'fruit',
  kind: 'multi',
  label: 'Fruit',
  options: [option('apple'), option('banana'), option('cherry')],
});

const likely = ratingItemSchema.parse({
  id: 'likely',
  kind: 'rating',
  label: 'Likely',
  scale: { min: 1, max: 5, minLabel: 'Least', maxLabel: 'Most' },
});

const hours = numberItemSchema.parse({ id: 'hours', kind: 'number', label: 'Hours', bounds: { min: 0, max: 60 } });
const groups = numberItemSchema.parse({ id: 'groups', kind: 'number', label: 'Groups', bounds: { min: 0, integer: true } });
const ceiling = numberItemSchema.parse({ id: 'ceiling', kind: 'number', label: 'Ceiling', bounds: { max: 10 } });
const anyNumber = numberItemSchema.parse({ id: 'any_number', kind: 'number', label: 'Any', bounds: {} });

const short = textItemSchema.parse({ id: 'short', kind: 'text', label: 'Short', maxLength: 5 });
const comment = textItemSchema.parse({ id: 'comment', kind: 'text', label: 'Comment' });

const email = emailItemSchema.parse({ id: 'email', kind: 'email', label: 'Email' });

const access = matrixChoiceItemSchema.parse({
  id: 'access',
  kind: 'matrix-choice',
  label: 'Access',
  rows: [row('ceo'), row('leader'), row('chair')],
  columns: [option('yes'), option('no')],
});

const share = matrixNumberItemSchema.parse({
  id: 'share',
  kind: 'matrix-number',
  label: 'Share',
  rows: [row('a'), row('b'), row('c')],
  bounds: { min: 0, max: 100 },
  expectedTotal: 100,
});

const strain = matrixRatingItemSchema.parse({
  id: 'strain',
  kind: 'matrix-rating',
  label: 'Strain',
  rows: [row('a'), row('b'), row('c')],
  scale: { minLabel: 'Least', maxLabel: 'Most' },
});

describe('the kind registry', () => {
  it('registers exactly the nine kinds of the architecture', () => {
    expect([...itemKinds].sort()).toEqual(['email', 'matrix-choice', 'matrix-number', 'matrix-rating', 'multi', 'number', 'rating', 'single', 'text'].sort());
  });

  it('kindOf returns the module of the item kind', () => {
    const items: Item[] = [colour, fruit, likely, hours, comment, email, access, share, strain];
    expect(items.map((i) => kindOf(i).kind)).toEqual(items.map((i) => i.kind));
    expect(kindOf(colour)).toBe(singleKind);
    expect(kindOf(strain)).toBe(matrixRatingKind);
  });

  it('marks only text and email as free text', () => {
    const items: Item[] = [colour, fruit, likely, hours, comment, email, access, share, strain];
    expect(items.filter((i) => kindOf(i).freeText).map((i) => i.kind)).toEqual(['text', 'email']);
  });
});

describe('single choice', () => {
  it('accepts one of the option codes', () => {
    expect(singleKind.check(colour, 'green')).toEqual({ ok: true, value: 'green' });
    expect(singleKind.check(colour, 'red')).toEqual({ ok: true, value: 'red' });
  });

  it.each([['purple'], ['Green'], [' green'], [1], [['green']], [true]])('refuses %j with rule "code"', (value) => {
    expect(singleKind.check(colour, value)).toEqual({
      ok: false,
      issues: [{ path: 'colour', rule: 'code', expected: 'one of red, green, blue', got: value }],
    });
  });

  it('has one CSV column named like the item, read with surrounding spaces trimmed', () => {
    expect(singleKind.columns(colour)).toEqual(['colour']);
    expect(singleKind.fromCells(colour, [' green '])).toEqual({ ok: true, value: 'green' });
    expect(singleKind.fromCells(colour, [''])).toBeUndefined();
    expect(singleKind.fromCells(colour, [undefined])).toBeUndefined();
    expect(singleKind.toCells(colour, 'blue')).toEqual(['blue']);
  });
});

describe('multiple choice', () => {
  it('returns the chosen codes in option order, without repeats', () => {
    expect(multiKind.check(fruit, ['cherry', 'apple'])).toEqual({ ok: true, value: ['apple', 'cherry'] });
    expect(multiKind.check(fruit, ['banana', 'banana'])).toEqual({ ok: true, value: ['banana'] });
  });

  it('accepts an empty list: answered, nothing chosen', () => {
    expect(multiKind.check(fruit, [])).toEqual({ ok: true, value: [] });
  });

  it.each([['apple'], [{ apple: true }], [3]])('refuses %j, which is not a list, with rule "list"', (value) => {
    expect(multiKind.check(fruit, value)).toEqual({
      ok: false,
      issues: [{ path: 'fruit', rule: 'list', expected: 'a list of option codes', got: value }],
    });
  });

  it('names every code that is not an option, not only the first', () => {
    expect(multiKind.check(fruit, ['apple', 'kiwi', 3])).toEqual({
      ok: false,
      issues: [
        { path: 'fruit', rule: 'code', expected: 'codes from apple, banana, cherry', got: 'kiwi' },
        { path: 'fruit', rule: 'code', expected: 'codes from apple, banana, cherry', got: 3 },
      ],
    });
  });

  it('has one column per option, q.code', () => {
    expect(multiKind.columns(fruit)).toEqual(['fruit.apple', 'fruit.banana', 'fruit.cherry']);
  });

  it('reads all-blank cells as not answered', () => {
    expect(multiKind.fromCells(fruit, ['', '', ''])).toBeUndefined();
    expect(multiKind.fromCells(fruit, [undefined, undefined, undefined])).toBeUndefined();
    expect(multiKind.fromCells(fruit, ['', undefined, ''])).toBeUndefined();
  });

  it("reads every cell '0' as answered with nothing chosen", () => {
    expect(multiKind.fromCells(fruit, ['0', '0', '0'])).toEqual({ ok: true, value: [] });
  });

  it("reads blanks beside a '1' as not chosen", () => {
    expect(multiKind.fromCells(fruit, ['', '1', ''])).toEqual({ ok: true, value: ['banana'] });
    expect(multiKind.fromCells(fruit, ['1', undefined, undefined])).toEqual({ ok: true, value: ['apple'] });
    expect(multiKind.fromCells(fruit, [' 1', '0', '1 '])).toEqual({ ok: true, value: ['apple', 'cherry'] });
  });

  it('refuses flag cells other than 0 and 1, naming each column', () => {
    expect(multiKind.fromCells(fruit, ['yes', '0', '2'])).toEqual({
      ok: false,
      issues: [
        { path: 'fruit.apple', rule: 'flag', expected: '1 (chosen) or 0 (not chosen)', got: 'yes' },
        { path: 'fruit.cherry', rule: 'flag', expected: '1 (chosen) or 0 (not chosen)', got: '2' },
      ],
    });
    expect(multiKind.fromCells(fruit, ['1', 'true', ''])).toMatchObject({ ok: false, issues: [{ path: 'fruit.banana', got: 'true' }] });
  });

  it('writes 1 for chosen and 0 for the rest', () => {
    expect(multiKind.toCells(fruit, ['cherry'])).toEqual(['0', '0', '1']);
    expect(multiKind.toCells(fruit, [])).toEqual(['0', '0', '0']);
  });
});

describe('rating', () => {
  it('accepts whole numbers on the scale, numeric strings as numbers', () => {
    expect(ratingKind.check(likely, 1)).toEqual({ ok: true, value: 1 });
    expect(ratingKind.check(likely, 5)).toEqual({ ok: true, value: 5 });
    expect(ratingKind.check(likely, '3')).toEqual({ ok: true, value: 3 });
    expect(ratingKind.check(likely, ' 4 ')).toEqual({ ok: true, value: 4 });
    expect(ratingKind.check(likely, '2.0')).toEqual({ ok: true, value: 2 });
  });

  it.each([
    [0, 'range'],
    [6, 'range'],
    ['6', 'range'],
    [-1, 'range'],
    [2.5, 'integer'],
    ['3.5', 'integer'],
    ['three', 'number'],
    ['', 'number'],
    [true, 'number'],
    [null, 'number'],
    [Number.NaN, 'number'],
    [Number.POSITIVE_INFINITY, 'number'],
    [[3], 'number'],
  ])('refuses %j with rule %s', (value, rule) => {
    expect(ratingKind.check(likely, value)).toEqual({
      ok: false,
      issues: [{ path: 'likely', rule, expected: 'a rating 1-5', got: value }],
    });
  });

  it('uses the scale of the item', () => {
    const tenPoint = ratingItemSchema.parse({
      id: 'ten',
      kind: 'rating',
      label: 'Ten',
      scale: { min: 0, max: 10, minLabel: 'Low', maxLabel: 'High' },
    });
    expect(ratingKind.check(tenPoint, 0)).toEqual({ ok: true, value: 0 });
    expect(ratingKind.check(tenPoint, 10)).toEqual({ ok: true, value: 10 });
    expect(ratingKind.check(tenPoint, 11)).toEqual({
      ok: false,
      issues: [{ path: 'ten', rule: 'range', expected: 'a rating 0-10', got: 11 }],
    });
  });

  it('reads a cell as a number, and leaves text for check to name', () => {
    expect(ratingKind.fromCells(likely, ['3'])).toEqual({ ok: true, value: 3 });
    expect(ratingKind.fromCells(likely, [''])).toBeUndefined();
    expect(ratingKind.fromCells(likely, ['high'])).toEqual({ ok: true, value: 'high' });
    expect(ratingKind.check(likely, 'high')).toMatchObject({ ok: false, issues: [{ rule: 'number', got: 'high' }] });
    expect(ratingKind.toCells(likely, 4)).toEqual(['4']);
  });
});

describe('number', () => {
  it('accepts decimals within the bounds, numeric strings as numbers', () => {
    expect(numberKind.check(hours, 37.5)).toEqual({ ok: true, value: 37.5 });
    expect(numberKind.check(hours, 0)).toEqual({ ok: true, value: 0 });
    expect(numberKind.check(hours, 60)).toEqual({ ok: true, value: 60 });
    expect(numberKind.check(hours, '37.5')).toEqual({ ok: true, value: 37.5 });
    expect(numberKind.check(hours, ' 35 ')).toEqual({ ok: true, value: 35 });
    expect(numberKind.check(hours, '.5')).toEqual({ ok: true, value: 0.5 });
    expect(numberKind.check(hours, '+7')).toEqual({ ok: true, value: 7 });
  });

  it.each([
    [60.01, 'range'],
    [-1, 'range'],
    ['61', 'range'],
    ['1e1', 'number'],
    ['12 hours', 'number'],
    ['0x10', 'number'],
    ['', 'number'],
    [false, 'number'],
    [{}, 'number'],
    [Number.NaN, 'number'],
  ])('refuses %j with rule %s', (value, rule) => {
    expect(numberKind.check(hours, value)).toEqual({
      ok: false,
      issues: [{ path: 'hours', rule, expected: 'a number 0-60', got: value }],
    });
  });

  it('refuses a fraction where the item wants a whole number', () => {
    expect(numberKind.check(groups, 2.5)).toEqual({
      ok: false,
      issues: [{ path: 'groups', rule: 'integer', expected: 'a whole number of at least 0', got: 2.5 }],
    });
    expect(numberKind.check(groups, -1)).toEqual({
      ok: false,
      issues: [{ path: 'groups', rule: 'range', expected: 'a whole number of at least 0', got: -1 }],
    });
    expect(numberKind.check(groups, 12)).toEqual({ ok: true, value: 12 });
  });

  it('describes one-sided and open bounds', () => {
    expect(numberKind.check(ceiling, 11)).toEqual({
      ok: false,
      issues: [{ path: 'ceiling', rule: 'range', expected: 'a number of at most 10', got: 11 }],
    });
    expect(numberKind.check(ceiling, -1000)).toEqual({ ok: true, value: -1000 });
    expect(numberKind.check(anyNumber, 'x')).toEqual({
      ok: false,
      issues: [{ path: 'any_number', rule: 'number', expected: 'a number', got: 'x' }],
    });
  });

  it('reads a cell as a number, blank as not answered', () => {
    expect(numberKind.columns(hours)).toEqual(['hours']);
    expect(numberKind.fromCells(hours, ['12.5'])).toEqual({ ok: true, value: 12.5 });
    expect(numberKind.fromCells(hours, [' 7 '])).toEqual({ ok: true, value: 7 });
    expect(numberKind.fromCells(hours, ['abc'])).toEqual({ ok: true, value: 'abc' });
    expect(numberKind.fromCells(hours, [''])).toBeUndefined();
    expect(numberKind.fromCells(hours, [undefined])).toBeUndefined();
    expect(numberKind.toCells(hours, 37.5)).toEqual(['37.5']);
  });

  it('writes every accepted number as a plain decimal that reads back', () => {
    // String(n) gives exponent notation for these, which the CSV convention ("a decimal number") does not allow.
    expect(numberKind.toCells(hours, 1e-7)).toEqual(['0.0000001']);
    expect(numberKind.toCells(anyNumber, 1e21)).toEqual(['1000000000000000000000']);
    expect(numberKind.toCells(anyNumber, -1.5e22)).toEqual(['-15000000000000000000000']);
    expect(numberKind.toCells(anyNumber, -2.5e-8)).toEqual(['-0.000000025']);
    for (const n of [1e-7, 2.5e-8, 1e21, 1.2345e25, -3e-9, 123.456]) {
      const [cell] = numberKind.toCells(anyNumber, n);
      const read = numberKind.fromCells(anyNumber, [cell]);
      expect(read).toEqual({ ok: true, value: n });
      expect(numberKind.check(anyNumber, (read as { value: unknown }).value)).toEqual({ ok: true, value: n });
    }
  });
});

describe('text', () => {
  it('keeps text exactly as written', () => {
    const written = '  Quotes "like this", commas, a\nnew line and Gàidhlig  ';
    expect(textKind.check(comment, written)).toEqual({ ok: true, value: written });
  });

  it('has a default maximum of 10,000 characters', () => {
    expect(comment.maxLength).toBe(10_000);
    expect(textKind.check(comment, 'x'.repeat(10_000)).ok).toBe(true);
    expect(textKind.check(comment, 'x'.repeat(10_001))).toMatchObject({ ok: false, issues: [{ rule: 'max-length' }] });
  });

  it('counts code points, so five emoji fit in five characters', () => {
    const five = '😀😀😀😀😀';
    expect(five.length).toBe(10); // UTF-16 units
    expect(textKind.check(short, five)).toEqual({ ok: true, value: five });
    expect(textKind.check(short, 'héllo')).toEqual({ ok: true, value: 'héllo' });
  });

  it('refuses text that is too long, saying how long it is', () => {
    expect(textKind.check(short, '😀😀😀😀😀😀')).toEqual({
      ok: false,
      issues: [{ path: 'short', rule: 'max-length', expected: 'text of at most 5 characters', got: '6 characters' }],
    });
    expect(textKind.check(short, 'abcdef')).toMatchObject({ ok: false, issues: [{ got: '6 characters' }] });
  });

  it.each([[42], [['a']], [{ text: 'a' }], [true]])('refuses %j, which is not text, with rule "text"', (value) => {
    expect(textKind.check(comment, value)).toEqual({ ok: false, issues: [{ path: 'comment', rule: 'text', expected: 'text', got: value }] });
  });

  it('reads a cell untouched, blank as not answered', () => {
    expect(textKind.fromCells(comment, ['  spaced  '])).toEqual({ ok: true, value: '  spaced  ' });
    expect(textKind.fromCells(comment, [''])).toBeUndefined();
    expect(textKind.fromCells(comment, [undefined])).toBeUndefined();
    expect(textKind.toCells(comment, 'a, "b"')).toEqual(['a, "b"']);
  });
});

describe('email', () => {
  it('accepts an address and trims surrounding spaces', () => {
    expect(emailKind.check(email, 'cswo@fife.gov.uk')).toEqual({ ok: true, value: 'cswo@fife.gov.uk' });
    expect(emailKind.check(email, '  First.Last@orkney.gov.uk \n')).toEqual({ ok: true, value: 'First.Last@orkney.gov.uk' });
  });

  it('accepts 254 characters and refuses 255', () => {
    const at254 = `${'a'.repeat(243)}@council.uk`;
    expect(at254.length).toBe(254);
    expect(emailKind.check(email, at254).ok).toBe(true);
    expect(emailKind.check(email, `a${at254}`)).toMatchObject({ ok: false, issues: [{ rule: 'email' }] });
  });

  it.each([['not-an-email'], ['name@council'], ['a b@council.gov.uk'], ['a@@council.gov.uk'], ['@council.gov.uk'], [''], [42], [null]])(
    'refuses %j with rule "email"',
    (value) => {
      expect(emailKind.check(email, value)).toEqual({
        ok: false,
        issues: [{ path: 'email', rule: 'email', expected: 'an email address like name@council.gov.uk', got: value }],
      });
    },
  );

  it('reads a cell, blank as not answered', () => {
    expect(emailKind.columns(email)).toEqual(['email']);
    expect(emailKind.fromCells(email, ['a@b.uk'])).toEqual({ ok: true, value: 'a@b.uk' });
    expect(emailKind.fromCells(email, [''])).toBeUndefined();
    expect(emailKind.toCells(email, 'a@b.uk')).toEqual(['a@b.uk']);
  });
});

describe('matrix of choices', () => {
  it('accepts a column code per row, drops blank rows and keeps row order', () => {
    expect(matrixChoiceKind.check(access, { chair: 'no', ceo: 'yes' })).toEqual({ ok: true, value: { ceo: 'yes', chair: 'no' } });
    const checked = matrixChoiceKind.check(access, { chair: 'no', leader: '', ceo: 'yes' });
    expect(checked.ok && Object.keys(checked.value)).toEqual(['ceo', 'chair']);
    expect(matrixChoiceKind.check(access, { ceo: 'yes', leader: null, chair: undefined })).toEqual({ ok: true, value: { ceo: 'yes' } });
  });

  it('refuses a cell that is not a column code, at the row path', () => {
    expect(matrixChoiceKind.check(access, { ceo: 'maybe' })).toEqual({
      ok: false,
      issues: [{ path: 'access.ceo', rule: 'code', expected: 'one of yes, no', got: 'maybe' }],
    });
  });

  it('refuses an unknown row', () => {
    expect(matrixChoiceKind.check(access, { mayor: 'yes' })).toEqual({
      ok: false,
      issues: [{ path: 'access.mayor', rule: 'row', expected: 'a row of ceo, leader, chair', got: 'mayor' }],
    });
  });

  it('reports an unknown row and a bad cell together', () => {
    const checked = matrixChoiceKind.check(access, { mayor: 'yes', leader: 'yes', chair: 'perhaps' });
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.issues.map((i) => [i.path, i.rule])).toEqual([
      ['access.mayor', 'row'],
      ['access.chair', 'code'],
    ]);
  });

  it.each([[['yes', 'no']], ['yes'], [7]])('refuses %j, which is not keyed by row, with rule "matrix"', (value) => {
    expect(matrixChoiceKind.check(access, value)).toEqual({
      ok: false,
      issues: [{ path: 'access', rule: 'matrix', expected: 'an answer for each row, keyed by row id', got: value }],
    });
  });

  it('has one column per row and reads cells trimmed, blank rows left out', () => {
    expect(matrixChoiceKind.columns(access)).toEqual(['access.ceo', 'access.leader', 'access.chair']);
    expect(matrixChoiceKind.fromCells(access, ['yes', '', ' no '])).toEqual({ ok: true, value: { ceo: 'yes', chair: 'no' } });
    expect(matrixChoiceKind.fromCells(access, ['', '', ''])).toBeUndefined();
    expect(matrixChoiceKind.fromCells(access, [undefined, undefined, undefined])).toBeUndefined();
    expect(matrixChoiceKind.toCells(access, { leader: 'no' })).toEqual(['', 'no', '']);
  });
});

describe('matrix of numbers', () => {
  it('turns numeric strings into numbers and does not enforce the expected total', () => {
    expect(matrixNumberKind.check(share, { a: '60', b: 70, c: '' })).toEqual({ ok: true, value: { a: 60, b: 70 } });
  });

  it('checks each row against the bounds', () => {
    expect(matrixNumberKind.check(share, { a: 101, b: 'lots', c: 50 })).toEqual({
      ok: false,
      issues: [
        { path: 'share.a', rule: 'range', expected: 'a number 0-100', got: 101 },
        { path: 'share.b', rule: 'number', expected: 'a number 0-100', got: 'lots' },
      ],
    });
  });

  it('reads cells as numbers and leaves text for check to name', () => {
    const read = matrixNumberKind.fromCells(share, ['12.5', '', 'x']);
    expect(read).toEqual({ ok: true, value: { a: 12.5, c: 'x' } });
    expect(matrixNumberKind.check(share, (read as { value: unknown }).value)).toEqual({
      ok: false,
      issues: [{ path: 'share.c', rule: 'number', expected: 'a number 0-100', got: 'x' }],
    });
    expect(matrixNumberKind.toCells(share, { b: 12.5 })).toEqual(['', '12.5', '']);
  });

  it('reads past the unit the question shows, as people type it (10%), from a form or a CSV cell alike', () => {
    const percent = matrixNumberItemSchema.parse({ ...share, bounds: { min: 0, max: 100, unit: '%' } });
    expect(matrixNumberKind.fromCells(percent, ['10%', ' 20 % ', '5 percent'])).toEqual({ ok: true, value: { a: 10, b: 20, c: '5 percent' } });
    // Only the item's own unit: a share without one takes no percent sign.
    expect(matrixNumberKind.fromCells(share, ['10%', '', ''])).toEqual({ ok: true, value: { a: '10%' } });
    const groups = numberItemSchema.parse({ id: 'groups', kind: 'number', label: 'Groups', bounds: { min: 0, integer: true, unit: 'groups' } });
    expect(numberKind.fromCells(groups, ['5 Groups'])).toEqual({ ok: true, value: 5 });
    expect(numberKind.fromCells(groups, ['5 boards'])).toEqual({ ok: true, value: '5 boards' });
  });
});

describe('matrix of ratings', () => {
  it('accepts a rating per row', () => {
    expect(matrixRatingKind.check(strain, { a: '5', b: 1 })).toEqual({ ok: true, value: { a: 5, b: 1 } });
  });

  it('refuses ratings off the scale, fractions and text, each at its row', () => {
    expect(matrixRatingKind.check(strain, { a: 0, b: 3.5, c: 'high' })).toEqual({
      ok: false,
      issues: [
        { path: 'strain.a', rule: 'range', expected: 'a rating 1-5', got: 0 },
        { path: 'strain.b', rule: 'integer', expected: 'a rating 1-5', got: 3.5 },
        { path: 'strain.c', rule: 'number', expected: 'a rating 1-5', got: 'high' },
      ],
    });
    expect(matrixRatingKind.check(strain, { d: 3 })).toMatchObject({ ok: false, issues: [{ path: 'strain.d', rule: 'row' }] });
  });

  it('reads and writes cells', () => {
    expect(matrixRatingKind.columns(strain)).toEqual(['strain.a', 'strain.b', 'strain.c']);
    expect(matrixRatingKind.fromCells(strain, ['', '4', ''])).toEqual({ ok: true, value: { b: 4 } });
    expect(matrixRatingKind.fromCells(strain, ['', '', ''])).toBeUndefined();
    expect(matrixRatingKind.toCells(strain, { a: 2, c: 5 })).toEqual(['2', '', '5']);
  });
});

describe('CSV round trip: toCells -> fromCells -> check gives the same answer', () => {
  const cases: [string, Item, unknown][] = [
    ['single', colour, 'blue'],
    ['multi, some chosen', fruit, ['apple', 'cherry']],
    ['multi, nothing chosen', fruit, []],
    ['rating', likely, 5],
    ['number, decimal', hours, 37.5],
    ['number, zero', hours, 0],
    ['number, whole', groups, 14],
    ['text with quotes, commas and a new line', comment, 'He said "no",\nthen left 😀'],
    ['email', email, 'cswo@fife.gov.uk'],
    ['matrix-choice', access, { ceo: 'yes', chair: 'no' }],
    ['matrix-number', share, { a: 62.5, b: 0, c: 40 }],
    ['matrix-rating', strain, { a: 1, c: 5 }],
  ];

  it.each(cases)('%s', (_name, item, answer) => {
    const kind = kindOf(item);
    const cells = kind.toCells(item, answer);
    expect(cells).toHaveLength(kind.columns(item).length);
    expect(cells.every((c) => typeof c === 'string')).toBe(true);
    const read = kind.fromCells(item, cells);
    expect(read?.ok).toBe(true);
    expect(kind.check(item, (read as { value: unknown }).value)).toEqual({ ok: true, value: answer });
  });
});

describe('what each kind tells the code that handles items of any kind', () => {
  const items: Item[] = [colour, fruit, likely, hours, comment, email, access, share, strain];

  it('describes one codebook field per CSV column, named as the column', () => {
    for (const item of items)
      expect(
        kindOf(item)
          .codebookFields(item)
          .map((f) => f.name),
      ).toEqual(kindOf(item).columns(item));
    expect(kindOf(strain).codebookFields(strain)[0]).toMatchObject({ type: 'integer', minimum: 1, maximum: 5, ordered: true, disclosure: 'category' });
    expect(kindOf(hours).codebookFields(hours)[0]).toMatchObject({ type: 'number', minimum: 0, maximum: 60, disclosure: 'number' });
    expect(kindOf(email).codebookFields(email)[0]).toMatchObject({ type: 'string', disclosure: 'text' });
  });

  it('gives every column its own form control except the later boxes of a multiple choice', () => {
    expect(items.filter((i) => !kindOf(i).fieldPerColumn).map((i) => i.kind)).toEqual(['multi']);
  });

  it('counts only a text answer as written in words (an email address is not)', () => {
    expect(items.filter((i) => kindOf(i).writtenInWords).map((i) => i.kind)).toEqual(['text']);
  });

  it('means the same across versions only with the same kind and, for ratings, the same scale', () => {
    expect(kindOf(likely).meaning(likely)).toBe('rating from 1 to 5');
    expect(kindOf(strain).meaning(strain)).toBe('matrix-rating from 1 to 5');
    expect(kindOf(colour).meaning(colour)).toBe('single');
  });

  it('counts shares by option or rating point, exclusive except for a multiple choice', () => {
    expect(items.filter((i) => kindOf(i).shareRows).map((i) => [i.kind, kindOf(i).shareRows!(i).exclusive])).toEqual([
      ['single', true],
      ['multi', false],
      ['rating', true],
    ]);
    const rows = kindOf(fruit).shareRows!(fruit).rows;
    expect(rows.filter((r) => r.chosen(['apple', 'cherry'])).map((r) => r.id)).toEqual(['apple', 'cherry']);
    expect(kindOf(likely).shareRows!(likely).rows.map((r) => r.label)).toEqual(['1 (least)', '2', '3', '4', '5 (most)']);
  });

  it('reads and writes number variables in place, removing a grid left with no row', () => {
    expect(items.filter((i) => kindOf(i).numberVariables).map((i) => i.kind)).toEqual(['number', 'matrix-number']);
    const [a, b] = kindOf(share).numberVariables!(share);
    const answers: Record<string, unknown> = { share: { a: 62.5, b: 10 } };
    expect(a!.read(answers)).toBe(62.5);
    a!.write(answers, 50);
    b!.write(answers, undefined);
    expect(answers).toEqual({ share: { a: 50 } });
    a!.write(answers, undefined);
    expect(answers).toEqual({});
  });
});
