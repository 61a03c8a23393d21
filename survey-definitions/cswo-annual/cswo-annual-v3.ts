import type { z } from 'zod';
import { defineSurvey } from '../define-survey.js';
import type { partSchema } from '../definition-schema.js';
import { partOne } from './part-one.js';
import { partTwoV2 } from './part-two.js';

type PartInput = z.input<typeof partSchema>;
type ItemInput = PartInput['sections'][number]['items'][number];

/**
 * What version 3 changes in an item of version 2: the questions and their codes stay, so every item
 * keeps its meaning across waves; what is new is how the form helps and what it refuses.
 */
const revisions: Readonly<Record<string, Partial<ItemInput> & { readonly addOptions?: readonly { code: string; label: string; exclusive?: true }[] }>> = {
  name: { errors: { required: 'Enter your name', invalid: 'Your name must be 200 characters or fewer' } },
  email: { errors: { required: 'Enter your work email address', invalid: 'Enter an email address in the correct format, like name@council.gov.uk' } },
  local_authority: { errors: { required: 'Select the council you are the Chief Social Work Officer for' } },
  pq_awards: {
    help: 'Select all that apply, or “None of these”.',
    addOptions: [{ code: 'none', label: 'None of these', exclusive: true }],
    errors: { conflict: 'Select “None of these” on its own, or the awards and degrees you hold' },
  },
  pq_awards_other: {
    when: { item: 'pq_awards', option: 'other' },
    errors: {
      invalid: 'Your other awards or degrees must be 1,000 characters or fewer',
      conflict: 'Select “Another award or degree” if you want to tell us which other awards or degrees you hold',
    },
  },
  oversight_roles: { errors: { invalid: 'The colleagues or roles must be 2,000 characters or fewer' } },
  contracted_hours: { errors: { invalid: 'Contracted hours must be a number between 0 and 60, like 37 or 17.5' } },
  support: { help: 'Choose “No answer” for a kind of support you have neither used nor intend to use.' },
  time_share: { errors: { invalid: 'Each share of your time must be a number between 0 and 100, like 10 or 12.5' } },
  pressures_comment: { errors: { invalid: 'Your comments on pressures must be 10,000 characters or fewer' } },
  groups_involved: { errors: { invalid: 'The number of groups, boards and committees you attend must be a whole number, like 12' } },
  groups_chaired: {
    atMost: 'groups_involved',
    errors: {
      invalid: 'The number of groups you chair must be a whole number, like 3',
      conflict: 'The number of groups you chair must be no more than the number you attend',
    },
  },
  covid_reflections: { errors: { invalid: 'Your reflections on COVID-19 must be 10,000 characters or fewer' } },
  resources: {
    help: 'Select all that apply, or “None of these”.',
    addOptions: [{ code: 'none', label: 'None of these', exclusive: true }],
    errors: { conflict: 'Select “None of these” on its own, or the supports and resources you have used or intend to use' },
  },
  sds_challenges: { errors: { invalid: 'Your answer on self-directed support must be 10,000 characters or fewer' } },
  promotion_challenges: { errors: { invalid: 'Your answer on promoting social work must be 10,000 characters or fewer' } },
  final_reflections: { errors: { invalid: 'Your final reflections must be 10,000 characters or fewer' } },
};

const revise = (part: PartInput): PartInput => ({
  ...part,
  sections: part.sections.map((section) => ({
    ...section,
    items: section.items.map((item) => {
      const revision = revisions[item.id];
      if (!revision) return item;
      const { addOptions, ...changes } = revision;
      const options = addOptions && 'options' in item ? { options: [...item.options, ...addOptions] } : {};
      return { ...item, ...changes, ...options } as ItemInput;
    }),
  })),
});

/**
 * Survey 3, for waves from 2021: the questions of version 2 (COVID-19 reflections included), with "None
 * of these" where a list can apply to nobody, the "other awards" box revealed by its option and refused
 * without it, chaired groups no more than attended ones, and error messages written for each question.
 * Published: never edit; publish a new version instead.
 */
export const cswoAnnualV3 = defineSurvey({
  id: 'cswo-annual',
  version: 3,
  title: 'Chief Social Work Officer Annual Survey',
  description:
    'Social Work Scotland asks every Chief Social Work Officer about the context of the role, its pressures and how it is supported, to represent and support CSWOs across Scotland.',
  parts: [revise(partOne), revise(partTwoV2)],
});
