import { describe, expect, it } from 'vitest';
import { defineSurvey } from '../../survey-definitions/index.js';
import { canonicalJson, contentHash } from '../../survey-definitions/content-hash.js';
import { definitionInput, singleItem, textItem } from './fixtures.js';
import { cswoAnnualV1, cswoAnnualV2 } from '../support/definitions.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('does not depend on the order keys were typed in', () => {
    const one = { id: 'q', kind: 'single', options: [{ code: 'a', label: 'A' }] };
    const two = { options: [{ label: 'A', code: 'a' }], kind: 'single', id: 'q' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(contentHash(one)).toBe(contentHash(two));
  });

  it('leaves out undefined fields, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(JSON.stringify({ a: 1 }));
  });

  it('writes strings and numbers as JSON does', () => {
    expect(canonicalJson({ s: 'quote " and \n and é', n: 1.5, t: true, z: null })).toBe('{"n":1.5,"s":"quote \\" and \\n and é","t":true,"z":null}');
  });

  it('distinguishes array order', () => {
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
  });
});

describe('contentHash', () => {
  it('is the SHA-256 of the canonical JSON, prefixed', () => {
    expect(contentHash({})).toBe('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(contentHash({ b: undefined })).toBe(contentHash({}));
  });

  it('changes when a label changes, and only then', () => {
    const base = defineSurvey(definitionInput([singleItem('colour', ['red', 'blue'])]));
    const same = defineSurvey(definitionInput([singleItem('colour', ['red', 'blue'])]));
    const relabelled = defineSurvey(definitionInput([singleItem('colour', ['red', 'blue'], { label: 'Favourite colour' })]));
    const optionRelabelled = defineSurvey(
      definitionInput([
        {
          ...singleItem('colour', ['red']),
          options: [
            { code: 'red', label: 'Red' },
            { code: 'blue', label: 'Option blue' },
          ],
        },
      ]),
    );
    expect(contentHash(same)).toBe(contentHash(base));
    expect(contentHash(relabelled)).not.toBe(contentHash(base));
    expect(contentHash(optionRelabelled)).not.toBe(contentHash(base));
  });

  it('counts defaults: spelling out a default gives the same definition and hash', () => {
    const implicit = defineSurvey(definitionInput([textItem('a')]));
    const explicit = defineSurvey(definitionInput([textItem('a', { required: 'never', identifying: false, multiline: false, maxLength: 10_000 })]));
    expect(contentHash(explicit)).toBe(contentHash(implicit));
  });

  it('differs between the two published versions', () => {
    expect(contentHash(cswoAnnualV1)).not.toBe(contentHash(cswoAnnualV2));
    expect(contentHash(cswoAnnualV1)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
