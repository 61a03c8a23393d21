import type { z } from 'zod';
import type { partSchema } from '../definition-schema.js';
import { councils } from './councils.js';
import { yesNo } from './options.js';

/** Part one, "About your job": identifiable, so Social Work Scotland can follow up and see coverage. */
export const partOne = {
  id: 'identifiable',
  title: 'Part one: About your job',
  description:
    'About you, your council and your role. This part is identifiable: Social Work Scotland sees who answered, so that it can follow up and describe which kinds of council took part. Nothing in part two is linked to these answers.',
  sections: [
    {
      id: 'about_you',
      title: 'About you',
      items: [
        { id: 'name', kind: 'text', label: 'Your name', required: 'on-form', identifying: true, maxLength: 200 },
        { id: 'email', kind: 'email', label: 'Your work email address', required: 'on-form', identifying: true },
        {
          id: 'local_authority',
          kind: 'single',
          label: 'Which council are you the Chief Social Work Officer for?',
          required: 'always',
          identifying: true,
          options: [...councils],
        },
        {
          id: 'role',
          kind: 'single',
          label: 'Are you answering as the Chief Social Work Officer or as a designated deputy?',
          options: [
            { code: 'cswo', label: 'Chief Social Work Officer' },
            { code: 'deputy', label: 'Designated deputy' },
          ],
        },
        { id: 'registered_sw', kind: 'single', label: 'Are you a registered social worker?', options: [...yesNo] },
      ],
    },
    {
      id: 'your_council',
      title: 'Your council area',
      items: [
        {
          id: 'urban_rural',
          kind: 'single',
          label: 'Which category of the Scottish Government 6-fold Urban Rural Classification describes where most of your council’s population lives?',
          help: 'Choose the category where the greatest proportion of the population lives, even if some people live in other kinds of community.',
          options: [
            { code: 'large_urban', label: 'Large urban areas' },
            { code: 'other_urban', label: 'Other urban areas' },
            { code: 'accessible_small_towns', label: 'Accessible small towns' },
            { code: 'remote_small_towns', label: 'Remote small towns', help: 'Printed as "Rural small towns" in the 2020 report.' },
            { code: 'accessible_rural', label: 'Accessible rural areas' },
            { code: 'remote_rural', label: 'Remote rural areas' },
          ],
        },
        {
          id: 'time_in_post',
          kind: 'single',
          label: 'How long have you been in post as Chief Social Work Officer?',
          options: [
            { code: 'lt1', label: 'Less than 1 year' },
            { code: '1_2', label: '1 to 2 years' },
            { code: '3_5', label: '3 to 5 years' },
            { code: 'gt5', label: 'More than 5 years' },
          ],
        },
      ],
    },
    {
      id: 'qualifications',
      title: 'Your qualifications',
      items: [
        {
          id: 'pq_awards',
          kind: 'multi',
          label: 'Which post-qualifying awards or degrees do you hold?',
          help: 'Select all that apply.',
          options: [
            { code: 'pq1', label: 'PQ1' },
            { code: 'pq2', label: 'PQ2' },
            { code: 'practice_teaching', label: 'Practice Teaching Award' },
            { code: 'mho', label: 'Mental Health Officer Award' },
            { code: 'child_protection', label: 'Certificate in Child Protection' },
            { code: 'criminal_justice', label: 'Certificate in Criminal Justice' },
            { code: 'advanced_award', label: 'Advanced Award' },
            { code: 'cswo_pgdip', label: 'CSWO Postgraduate Diploma' },
            { code: 'masters', label: 'Masters level qualification' },
            { code: 'phd', label: 'PhD' },
            { code: 'other', label: 'Another award or degree' },
          ],
        },
        {
          id: 'pq_awards_other',
          kind: 'text',
          label: 'Which other awards or degrees do you hold?',
          help: 'For example a Postgraduate Certificate in Social Services Leadership or a Diploma in Social Work Management.',
          maxLength: 1000,
        },
      ],
    },
    {
      id: 'portfolio_section',
      title: 'Your role and operational portfolio',
      items: [
        {
          id: 'portfolio',
          kind: 'matrix-choice',
          label: 'For each service area, how much of it is within your operational portfolio?',
          help: 'Besides the statutory CSWO role, most CSWOs also manage services. Tell us whether you hold all, part or none of each area.',
          rows: [
            { id: 'children_sw', label: "Children's social work" },
            { id: 'children_health', label: "Children's health" },
            { id: 'education_early_years', label: 'Education: early years' },
            { id: 'education_asn', label: 'Education: additional support needs (ASN)' },
            { id: 'adult_sw', label: 'Adult social work' },
            { id: 'adult_health', label: 'Adult health' },
            { id: 'criminal_justice_sw', label: 'Criminal justice social work' },
            { id: 'quality_assurance', label: 'Quality assurance' },
            { id: 'public_protection', label: 'Public protection' },
            { id: 'sw_learning_development', label: 'Social work learning and development' },
            { id: 'homelessness', label: 'Homelessness' },
            { id: 'welfare_rights', label: 'Welfare rights and anti-poverty' },
          ],
          columns: [
            { code: 'all', label: 'All of the service area' },
            { code: 'part', label: 'Part of the service area' },
            { code: 'none', label: 'None of the service area' },
          ],
        },
        {
          id: 'oversight_roles',
          kind: 'text',
          multiline: true,
          label: 'Which colleagues or roles locally hold responsibility for the oversight of statutory social work functions?',
          help: 'For example Heads of Service, General Managers, a Chief Operating Officer, a Deputy CSWO or a Lead Social Worker.',
          maxLength: 2000,
        },
        {
          id: 'location',
          kind: 'single',
          label: 'Where is your post formally located?',
          options: [
            { code: 'hscp', label: 'Within the Health and Social Care Partnership (HSCP)' },
            { code: 'council', label: 'Within a council directorate' },
          ],
        },
      ],
    },
    {
      id: 'contract_section',
      title: 'Your contract and reporting line',
      items: [
        {
          id: 'contract',
          kind: 'single',
          label: 'Is your position as CSWO permanent, acting or temporary?',
          options: [
            { code: 'permanent', label: 'Permanent' },
            { code: 'acting', label: 'Acting' },
            { code: 'temporary', label: 'Temporary' },
          ],
        },
        {
          id: 'hours_basis',
          kind: 'single',
          label: 'Are you employed full time or part time?',
          options: [
            { code: 'full_time', label: 'Full time' },
            { code: 'part_time', label: 'Part time' },
          ],
        },
        {
          id: 'contracted_hours',
          kind: 'number',
          label: 'How many hours a week are you contracted to work?',
          bounds: { min: 0, max: 60, unit: 'hours a week' },
        },
        {
          id: 'salary_band',
          kind: 'single',
          label: 'What is your annual salary?',
          options: [
            { code: 'lt70k', label: 'Less than £70,000' },
            { code: '70_79k', label: '£70,000 to £79,999' },
            { code: '80_89k', label: '£80,000 to £89,999' },
            { code: '90_99k', label: '£90,000 to £99,999' },
            { code: '100k_plus', label: '£100,000 or more' },
          ],
        },
        {
          id: 'supplement',
          kind: 'single',
          label: 'Does the CSWO role carry a supplementary payment in recognition of its additional responsibilities?',
          options: [
            { code: 'yes', label: 'Yes' },
            { code: 'no', label: 'No' },
            { code: 'removed', label: 'There was a supplement, but it has been removed' },
          ],
        },
        {
          id: 'reports_to',
          kind: 'single',
          label: 'Who do you report to directly?',
          options: [
            { code: 'chief_officer', label: 'A Chief Officer, Chief Executive or Chief Operating Officer' },
            { code: 'executive_director', label: 'An Executive Director' },
            { code: 'deputy_ce_or_hos', label: 'A Deputy Chief Executive or Head of Service' },
            { code: 'other', label: 'Someone else' },
          ],
        },
      ],
    },
  ],
} satisfies z.input<typeof partSchema>;
