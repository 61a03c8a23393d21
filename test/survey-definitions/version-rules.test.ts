import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readDefinitionText } from '../../survey-definitions/definition-text.js';
import { crossVersionProblems } from '../../survey-definitions/version-rules.js';
import { defineSurvey, findDefinition, type SurveyDefinition } from '../../survey-definitions/index.js';
import { cswoAnnualV3 } from '../support/definitions.js';

const v1 = findDefinition({ id: 'cswo-annual', version: 1 })!;
const v2 = findDefinition({ id: 'cswo-annual', version: 2 })!;
// The ready-made next version (survey-definitions/examples), as an analyst would publish it.
const v3 = cswoAnnualV3;
const publishedDefinitions = [v1, v2, v3];

type Editable = { id: string; version: number; parts: { sections: { items: Record<string, any>[] }[] }[] };

/** The versions a changed copy of cswo-annual@2 is checked against (@3 added an option the copy lacks). */
const earlier = [v1, v2];

/** cswo-annual@2 as next year's version 4, changed by `edit` (a copy: the published versions are frozen). */
const nextVersion = (edit: (draft: Editable) => void = () => {}): SurveyDefinition => {
  const draft = structuredClone(v2) as unknown as Editable;
  draft.version = 4;
  edit(draft);
  return defineSurvey(draft);
};

const item = (draft: Editable, id: string): Record<string, any> => {
  const found = draft.parts.flatMap((p) => p.sections.flatMap((s) => s.items)).find((i) => i.id === id);
  if (!found) throw new Error(`cswo-annual@2 has no item ${id}`);
  return found;
};

describe('crossVersionProblems on the published versions', () => {
  it('passes @1 -> @2 -> @3 (the example)', () => {
    expect(crossVersionProblems(v2, [v1])).toEqual([]);
    expect(crossVersionProblems(v3, [v1, v2])).toEqual([]);
    expect(crossVersionProblems(defineSurvey({ ...structuredClone(v3), version: 4, parts: structuredClone(v3.parts) }), publishedDefinitions)).toEqual([]);
  });

  it('holds a copy of @2 to what @3 added: its "None of these" options may not go again', () => {
    expect(crossVersionProblems(nextVersion(), publishedDefinitions).map((p) => p.message)).toEqual([
      expect.stringMatching(/^option none \(“None of these”\) of pq_awards, in cswo-annual@3, is missing/),
      expect.stringMatching(/^option none \(“None of these”\) of resources, in cswo-annual@3, is missing/),
    ]);
  });

  it('passes an unchanged copy, and one that adds a question, an option and a row', () => {
    expect(crossVersionProblems(nextVersion(), earlier)).toEqual([]);
    const grown = nextVersion((d) => {
      item(d, 'salary_band').options.push({ code: 'gt150k', label: '£150,000 or more' });
      item(d, 'pressure').rows.push({ id: 'housing', label: 'Housing' });
      d.parts[1]!.sections[0]!.items.push({ id: 'groups_new', kind: 'number', label: 'New groups', bounds: { min: 0, integer: true } });
    });
    expect(crossVersionProblems(grown, earlier)).toEqual([]);
  });

  it('allows dropping a question entirely, and rewording a question', () => {
    const dropped = nextVersion((d) => {
      const section = d.parts[1]!.sections[4]!;
      section.items = [{ id: 'covid_later', kind: 'text', label: 'Anything about COVID-19 now?' }];
      item(d, 'salary_band').label = 'What is your salary band this year?';
    });
    expect(crossVersionProblems(dropped, earlier)).toEqual([]);
  });

  it('ignores the versions of other definitions and the later versions', () => {
    const other = defineSurvey({ ...structuredClone(v2), id: 'other-survey', parts: structuredClone(v2.parts) });
    const changed = nextVersion((d) => (item(d, 'pressure').scale.max = 10));
    expect(crossVersionProblems(changed, [other])).toEqual([]);
    expect(crossVersionProblems(changed, [other, v2])).toHaveLength(1);
    expect(crossVersionProblems(v1, [v2, v3])).toEqual([]);
  });
});

describe('crossVersionProblems: an id keeps its meaning', () => {
  it('refuses an item id reused with another kind, naming the earlier version', () => {
    const changed = nextVersion((d) => {
      const pressure = item(d, 'pressure');
      pressure.kind = 'matrix-number';
      delete pressure.scale;
      pressure.bounds = { min: 0, max: 100 };
    });
    expect(crossVersionProblems(changed, earlier)).toEqual([
      {
        path: 'parts[1].sections[1].items[0].kind',
        message:
          'item pressure was a matrix-rating from 1 to 5 in cswo-annual@2 and is now a matrix-number; an id keeps its meaning across versions: give the new question a new id',
      },
    ]);
  });

  it('names the latest earlier version that had the item', () => {
    const changed = nextVersion((d) => {
      const comments = item(d, 'covid_reflections');
      comments.kind = 'single';
      delete comments.multiline;
      delete comments.maxLength;
      comments.options = [
        { code: 'yes', label: 'Yes' },
        { code: 'no', label: 'No' },
      ];
    });
    expect(crossVersionProblems(changed, [v1, v2])[0]!.message).toMatch(/^item covid_reflections was a text in cswo-annual@2 and is now a single;/);
  });

  it('refuses an id dropped and brought back with another kind', () => {
    const back = nextVersion((d) => {
      const comments = item(d, 'covid_reflections');
      comments.kind = 'email';
      delete comments.multiline;
      delete comments.maxLength;
    });
    // cswo-annual@1 lacks covid_reflections; @2 had it as text.
    expect(crossVersionProblems(back, [v1, v2])).toHaveLength(1);
    expect(crossVersionProblems(back, [v1])).toEqual([]);
  });

  it('refuses a rating whose scale changed (a 3 of five is not a 3 of ten), and a matrix of ratings', () => {
    const rescaled = nextVersion((d) => {
      item(d, 'peer_support_likelihood').scale.max = 10;
      item(d, 'pressure').scale.min = 0;
    });
    expect(crossVersionProblems(rescaled, earlier)).toEqual([
      {
        path: 'parts[1].sections[1].items[0]',
        message:
          'item pressure was a matrix-rating from 1 to 5 in cswo-annual@2 and is now a matrix-rating from 0 to 5; an id keeps its meaning across versions: give the new question a new id',
      },
      {
        path: 'parts[1].sections[5].items[1]',
        message:
          'item peer_support_likelihood was a rating from 1 to 5 in cswo-annual@2 and is now a rating from 1 to 10; an id keeps its meaning across versions: give the new question a new id',
      },
    ]);
  });

  it('allows relabelling the ends of a rating scale (control: only min and max carry the meaning)', () => {
    const relabelled = nextVersion((d) => (item(d, 'peer_support_likelihood').scale.maxLabel = 'Certainly'));
    expect(crossVersionProblems(relabelled, earlier)).toEqual([]);
  });
});

describe('crossVersionProblems: a code keeps its meaning', () => {
  it('refuses a removed option of a single choice, naming it and the version', () => {
    const fewer = nextVersion((d) => item(d, 'salary_band').options.splice(1, 1));
    expect(crossVersionProblems(fewer, earlier)).toEqual([
      {
        path: 'parts[0].sections[4].items[3].options',
        message:
          'option 70_79k (“£70,000 to £79,999”) of salary_band, in cswo-annual@2, is missing: a question keeps its options across versions, ' +
          'so that its answers mean the same in every wave; keep it, or give the changed question a new id',
      },
    ]);
  });

  it('refuses an option given another label, with the path of the label', () => {
    const relabelled = nextVersion((d) => (item(d, 'salary_band').options[1].label = '£70,000 to £84,999'));
    expect(crossVersionProblems(relabelled, earlier)).toEqual([
      {
        path: 'parts[0].sections[4].items[3].options[1].label',
        message:
          'option 70_79k of salary_band was “£70,000 to £79,999” in cswo-annual@2 and is now “£70,000 to £84,999”: a code keeps its meaning across versions; give the new answer a new code',
      },
    ]);
  });

  it('takes a change of case, spacing or quotation marks as a correction, not a new meaning', () => {
    const corrected = nextVersion((d) => {
      item(d, 'supplement').options[2].label = 'There was a supplement,  but it has been Removed ';
      item(d, 'portfolio').rows[0].label = 'Children’s social work';
    });
    expect(crossVersionProblems(corrected, earlier)).toEqual([]);
  });

  it('refuses a removed option of a multiple choice', () => {
    const fewer = nextVersion((d) => item(d, 'resources').options.shift());
    expect(crossVersionProblems(fewer, earlier)).toEqual([
      {
        path: 'parts[1].sections[6].items[2].options',
        message: expect.stringMatching(/^option service_users \(“Engaging with people who use services”\) of resources, in cswo-annual@2, is missing/),
      },
    ]);
  });

  it('refuses a removed or relabelled row of each grid kind, and a removed or relabelled column of a choice grid', () => {
    const changed = nextVersion((d) => {
      item(d, 'portfolio').rows.shift();
      item(d, 'direct_access').columns[0].label = 'Always';
      item(d, 'time_share').rows[1].label = 'Adults';
      item(d, 'pressure').rows.pop();
    });
    const problems = crossVersionProblems(changed, earlier);
    expect(problems.map((p) => p.path)).toEqual([
      'parts[0].sections[3].items[0].rows',
      'parts[1].sections[0].items[2].rows[1].label',
      'parts[1].sections[1].items[0].rows',
      'parts[1].sections[3].items[3].columns[0].label',
    ]);
    expect(problems.map((p) => p.message.slice(0, 40))).toEqual([
      "row children_sw (“Children's social work",
      'row adults of time_share was “Adult soci',
      expect.stringMatching(/^row \w+ \(“/),
      expect.stringMatching(/^column \w+ of direct_access was “/),
    ]);
  });
});

describe('readDefinitionText with the other versions', () => {
  it('reports the rules across versions with the line of the file', () => {
    const draft = structuredClone(v2) as unknown as Editable;
    draft.version = 4;
    item(draft, 'salary_band').options[1].label = '£70,000 to £84,999';
    const text = stringify(draft);
    const result = readDefinitionText(text, 'cswo-annual-4.yaml', { others: earlier });
    expect(result.ok).toBe(false);
    const line = text.split('\n').findIndex((l) => l.includes('£70,000 to £84,999')) + 1;
    expect(!result.ok && result.problems).toEqual([
      { path: 'parts[0].sections[4].items[3].options[1].label', line, message: expect.stringMatching(/^option 70_79k/) },
    ]);
    // Without the other versions, the same text is a valid definition.
    expect(readDefinitionText(text, 'cswo-annual-4.yaml').ok).toBe(true);
  });
});
