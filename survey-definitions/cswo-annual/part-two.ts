import type { z } from 'zod';
import type { partSchema, sectionSchema } from '../definition-schema.js';
import { areas } from './areas.js';
import { yesNo } from './options.js';

type SectionInput = z.input<typeof sectionSchema>;

const pressureScale = { min: 1, max: 5, minLabel: 'Least pressured', maxLabel: 'Most pressured' };

const workload: SectionInput = {
  id: 'workload',
  title: 'Your working time',
  items: [
    {
      id: 'extra_hours_frequency',
      kind: 'single',
      label: 'How often do you work hours in addition to your contracted weekly hours?',
      options: [
        { code: 'always', label: 'Always' },
        { code: 'sometimes', label: 'Sometimes' },
        { code: 'rarely', label: 'Rarely' },
        { code: 'never', label: 'Never' },
      ],
    },
    {
      id: 'extra_hours_band',
      kind: 'single',
      label: 'In a typical week, how many additional hours do you work?',
      options: [
        { code: 'none', label: 'None' },
        { code: 'lt10', label: 'Less than 10 hours' },
        { code: '10_20', label: '10 to 20 hours' },
        { code: 'gt20', label: 'More than 20 hours' },
      ],
    },
    {
      id: 'time_share',
      kind: 'matrix-number',
      label: 'Roughly what percentage of your working time do you spend on each area?',
      help: 'An approximate percentage for each area you work in. The total is shown as you go; it need not be exactly 100.',
      rows: [...areas],
      bounds: { min: 0, max: 100, unit: '%' },
      expectedTotal: 100,
    },
  ],
};

const pressures: SectionInput = {
  id: 'pressures',
  title: 'Pressure in your areas of work',
  items: [
    {
      id: 'pressure',
      kind: 'matrix-rating',
      label: 'How much organisational pressure or stress do you feel in each area?',
      help: 'Rate each area from 1 (least pressured) to 5 (most pressured). Leave out areas you do not work in.',
      rows: [...areas],
      scale: pressureScale,
    },
    {
      id: 'pressures_comment',
      kind: 'text',
      multiline: true,
      label: 'Tell us about the pressures behind your ratings',
      help: 'Do not name yourself, colleagues or your council.',
    },
  ],
};

const links: SectionInput = {
  id: 'links',
  title: 'Links and connections across partnerships',
  items: [
    {
      id: 'groups_involved',
      kind: 'number',
      label: 'How many groups, boards and committees do you attend regularly?',
      bounds: { min: 0, integer: true, unit: 'groups' },
    },
    {
      id: 'groups_chaired',
      kind: 'number',
      label: 'How many of those do you chair?',
      bounds: { min: 0, integer: true, unit: 'groups' },
    },
    {
      id: 'admin_support',
      kind: 'single',
      label: 'What administrative support do you have?',
      options: [
        { code: 'dedicated', label: 'Dedicated administrative support' },
        { code: 'shared', label: 'Shared administrative support' },
        { code: 'none', label: 'No administrative support' },
      ],
    },
  ],
};

const leaders: SectionInput = {
  id: 'leaders',
  title: 'Involvement with and access to corporate leaders',
  items: [
    {
      id: 'senior_team_member',
      kind: 'single',
      label: "Are you a member of your authority's most senior corporate management team?",
      options: [...yesNo],
    },
    {
      id: 'portfolio_changed',
      kind: 'single',
      label: 'Has your operational portfolio changed since you came into post?',
      options: [...yesNo],
    },
    {
      id: 'budget_involvement',
      kind: 'single',
      label: 'How involved are you in budget setting?',
      options: [
        { code: 'fully', label: 'Fully involved' },
        { code: 'some', label: 'Involved to some degree' },
        { code: 'little', label: 'Little involvement' },
      ],
    },
    {
      id: 'direct_access',
      kind: 'matrix-choice',
      label: 'Do you have direct access to each of these leaders?',
      help: 'Statutory guidance (Scottish Government, 2016) says the CSWO should have direct access to the Chief Executive and elected members.',
      rows: [
        { id: 'chief_executive', label: 'The Chief Executive of the Council' },
        { id: 'council_leader', label: 'The Leader of the Council and elected members' },
        { id: 'ijb_chair', label: 'The Chair of the Integration Joint Board' },
        { id: 'ijb_chief_officer', label: 'The Integration Chief Officer' },
      ],
      columns: [...yesNo],
    },
    {
      id: 'strategy_support',
      kind: 'single',
      label: 'What strategy and performance support does social work have in your area?',
      options: [
        { code: 'dedicated', label: 'A dedicated strategy and performance team' },
        { code: 'generic', label: 'Planning and performance support from generic corporate teams' },
        { code: 'none', label: 'None' },
      ],
    },
    {
      id: 'strategy_support_adequate',
      kind: 'single',
      label: 'Is the strategy and performance support available to social work adequate?',
      options: [...yesNo],
    },
    {
      id: 'ld_function',
      kind: 'single',
      label: 'Is there a dedicated learning and development function for social work?',
      options: [...yesNo],
    },
    {
      id: 'ld_adequate',
      kind: 'single',
      label: 'Is the current learning and development provision adequate?',
      options: [...yesNo],
    },
  ],
};

export const covid: SectionInput = {
  id: 'covid',
  title: 'Reflections on COVID-19',
  items: [
    {
      id: 'covid_reflections',
      kind: 'text',
      multiline: true,
      label: 'How has responding to COVID-19 affected your role as CSWO?',
      help: 'Do not name yourself, colleagues or your council.',
    },
  ],
};

const supportNetworks: SectionInput = {
  id: 'support_networks',
  title: 'Your own support networks',
  items: [
    {
      id: 'support',
      kind: 'matrix-choice',
      label: 'Which of these kinds of support have you used during the past year, or intend to use?',
      help: 'Leave a row blank if you neither used it nor intend to.',
      rows: [
        { id: 'line_manager_supervision', label: 'Formal one-to-one supervision with your line manager' },
        { id: 'peer_support', label: 'Peer support' },
        { id: 'mentoring', label: 'Mentoring' },
        { id: 'job_shadowing', label: 'Job shadowing' },
        { id: 'professional_membership', label: 'Membership of professional organisations' },
      ],
      columns: [
        { code: 'used', label: 'Used' },
        { code: 'intend', label: 'Intend to use' },
      ],
    },
    {
      id: 'peer_support_likelihood',
      kind: 'rating',
      label: 'How likely are you to use peer support networks?',
      scale: { min: 1, max: 5, minLabel: 'Least likely', maxLabel: 'Most likely' },
    },
  ],
};

const learning: SectionInput = {
  id: 'learning',
  title: 'Learning and professional development',
  items: [
    { id: 'induction', kind: 'single', label: 'Did you receive a formal induction into your current role?', options: [...yesNo] },
    {
      id: 'learning_needs',
      kind: 'single',
      label: 'Since you came into post, how have your learning needs been identified?',
      options: [
        { code: 'supervision_appraisal', label: 'Through regular supervision or annual appraisal' },
        { code: 'ad_hoc', label: 'On an ad hoc basis' },
        { code: 'not_addressed', label: 'They have not been discussed or addressed' },
      ],
    },
    {
      id: 'resources',
      kind: 'multi',
      label: 'In the last year, which supports and resources have you used or intend to use?',
      help: 'Select all that apply.',
      options: [
        { code: 'service_users', label: 'Engaging with people who use services' },
        { code: 'conferences', label: 'Conferences and seminars' },
        { code: 'solace', label: 'SOLACE' },
        { code: 'resilience', label: 'Resilience resources for social work and social care' },
        { code: 'sssk', label: 'Social Services Knowledge Scotland' },
        { code: 'reading', label: 'Professional articles, books and blogs' },
        { code: 'research', label: 'Your own independent research' },
      ],
    },
  ],
};

const reflections: SectionInput = {
  id: 'reflections',
  title: 'Self-directed support, promoting social work, and final reflections',
  items: [
    {
      id: 'sds_challenges',
      kind: 'text',
      multiline: true,
      label: 'What are the challenges and next steps in implementing self-directed support locally?',
    },
    {
      id: 'promotion_challenges',
      kind: 'text',
      multiline: true,
      label: 'What challenges do you face in promoting the role of social work locally?',
    },
    {
      id: 'final_reflections',
      kind: 'text',
      multiline: true,
      label: 'Is there anything else you would like to tell us about the CSWO role?',
      help: 'Do not name yourself, colleagues or your council.',
    },
  ],
};

const partTwoBase = {
  id: 'anonymous',
  title: 'Part two: About your experiences and professional development',
  description:
    'Your workload, pressures, access to leaders, support and development. This part is anonymous: it asks nothing that identifies you, and it is stored apart from part one with nothing that links the two.',
} as const;

/** Part two as fielded in January 2020 (Survey 1). */
export const partTwoV1 = {
  ...partTwoBase,
  sections: [workload, pressures, links, leaders, supportNetworks, learning, reflections],
} satisfies z.input<typeof partSchema>;

/** Part two as re-issued in June 2020 (Survey 2), with reflections on COVID-19. */
export const partTwoV2 = {
  ...partTwoBase,
  sections: [workload, pressures, links, leaders, covid, supportNetworks, learning, reflections],
} satisfies z.input<typeof partSchema>;
