/**
 * The specification of the bundled SYNTHETIC data: for each wave and part, how many respondents gave each
 * answer to each item and how many left it blank (single choice: counts per option; matrix: counts per row;
 * time_share: n and mean per area; pressure: counts of ratings 1-5 per area; numbers: the list of values; free
 * text: the answers). Each line cites the report figure it reproduces (`published-figures.ts` lists those
 * figures); items the report does not publish get plausible values with realistic blanks.
 *
 * `data-builder.ts` deals these answers out to rows; `figure-check.ts` recounts them; `generate.ts` runs both.
 */
import type { Part, Wave } from './published-figures.js';
import type { Row } from './reproduction-doc.js';

/** A specification that cannot be built, or built rows that do not meet it (or the report). */
export class SpecError extends Error {
  override name = 'SpecError';
}

export const fail = (where: string, what: string): never => {
  throw new SpecError(`${where}: ${what}`);
};

// =========================================================================================== spec types

/** Counts per option code; the key `blank` is how many left the item (or matrix row) unanswered. */
export type Counts = Readonly<Record<string, number>>;

export type ItemSpec =
  /**
   * Single choice or rating: how many chose each code, and `blank`. `prefer`: rows matching the test get that
   * code first, as far as its count goes (to keep related answers coherent).
   */
  | { kind: 'single'; item: string; counts: Counts; prefer?: Readonly<Record<string, (r: Row) => boolean>> }
  /** Multiple choice: `answered` respondents, of whom `noneChosen` ticked nothing; times each option was ticked. */
  | { kind: 'multi'; item: string; answered: number; noneChosen: number; counts: Counts }
  /** Matrix of choices: counts per row (with `blank`). */
  | { kind: 'matrix'; item: string; rows: Readonly<Record<string, Counts>> }
  /** Matrix of ratings 1-5: per row the number rating 1, 2, 3, 4, 5; the rest of the wave left the row blank. */
  | { kind: 'ratings'; item: string; rows: Readonly<Record<string, readonly [number, number, number, number, number]>> }
  /** time_share: per area the n and the mean (whole percent) that the answered values must round to. */
  | { kind: 'shares'; item: string; rows: Readonly<Record<string, { n: number; mean: number }>> }
  /** A number item: the answered values (the rest blank); `notAbove`: each value at most the row's value of that item. */
  | { kind: 'numbers'; item: string; values: readonly number[]; notAbove?: string }
  /** Two single-choice items specified together: [code of first, code of second, how many]; '' is blank. */
  | { kind: 'joint'; items: readonly [string, string]; combos: readonly (readonly [string, string, number])[] }
  /** Free text: each answer goes to one respondent (the most engaged one matching `where`). */
  | { kind: 'text'; item: string; answers: readonly { text: string; where?: (r: Row) => boolean }[] };

export interface Person {
  readonly name: string;
}

export interface PartSpec {
  readonly wave: Wave;
  readonly part: Part;
  readonly size: number;
  /** Part one only: which council each row is, and who answered. */
  readonly people?: readonly (readonly [council: string, person: Person])[];
  /** Part one only: Table 1 counts the councils must give (checked, not assigned: the councils decide). */
  readonly urbanRural?: Counts;
  readonly items: readonly ItemSpec[];
}

export const rep = (value: number, times: number): number[] => Array.from({ length: times }, () => value);

// =========================================================================================== councils and people

/**
 * An illustrative urban-rural category for each council, by where most of its population lives. Chosen for
 * plausibility so that Table 1 holds; it is NOT an official assignment of the Scottish Government classification.
 */
export const councilCategory: Readonly<Record<string, string>> = {
  glasgow_city: 'large_urban',
  city_of_edinburgh: 'large_urban',
  aberdeen_city: 'large_urban',
  dundee_city: 'large_urban',
  north_lanarkshire: 'other_urban',
  south_lanarkshire: 'other_urban',
  renfrewshire: 'other_urban',
  falkirk: 'other_urban',
  west_dunbartonshire: 'other_urban',
  inverclyde: 'other_urban',
  east_renfrewshire: 'other_urban',
  east_dunbartonshire: 'other_urban',
  north_ayrshire: 'other_urban',
  east_ayrshire: 'other_urban',
  south_ayrshire: 'other_urban',
  west_lothian: 'other_urban',
  fife: 'other_urban',
  stirling: 'other_urban',
  clackmannanshire: 'accessible_small_towns',
  midlothian: 'accessible_small_towns',
  aberdeenshire: 'accessible_rural',
  angus: 'accessible_rural',
  east_lothian: 'accessible_rural',
  moray: 'accessible_rural',
  perth_and_kinross: 'accessible_rural',
  scottish_borders: 'accessible_rural',
  dumfries_and_galloway: 'accessible_rural',
  argyll_and_bute: 'remote_rural',
  highland: 'remote_rural',
  na_h_eileanan_siar: 'remote_rural',
  orkney_islands: 'remote_rural',
  shetland_islands: 'remote_rural',
};

/** Fictional people. Any resemblance to a real CSWO is coincidental. */
const p = (name: string): Person => ({ name });
export const people = {
  kinnear: p('Morag Kinnear'),
  rennie: p('Callum Rennie'),
  lauder: p('Fiona Lauder'),
  murchison: p('Kirsty Murchison'),
  buchanan: p('Iain Buchanan'),
  petrie: p('Lorna Petrie'),
  maclaren: p('Stuart Maclaren'),
  gilchrist: p('Shona Gilchrist'),
  cowie: p('Euan Cowie'),
  balfour: p('Heather Balfour'),
  ferrier: p('Niall Ferrier'),
  lindsay: p('Catriona Lindsay'),
  imrie: p('Douglas Imrie'),
  dalgleish: p('Graeme Dalgleish'),
  gunn: p('Mhairi Gunn'),
  kirkwood: p('Ross Kirkwood'),
  strachan: p('Gillian Strachan'),
  paterson: p('Neil Paterson'),
  morrison: p('Seonaid Morrison'),
  niven: p('Fraser Niven'),
  tulloch: p('Joanne Tulloch'),
  baird: p('Ewan Baird'),
  mackay: p('Rhona Mackay'),
  crichton: p('Alison Crichton'),
  wishart: p('Gordon Wishart'),
  boyd: p('Pamela Boyd'),
  muir: p('Derek Muir'),
  drummond: p('Susan Drummond'),
  lamont: p('Kenneth Lamont'),
  cairns: p('Lesley Cairns'),
  urquhart: p('Martin Urquhart'),
  findlay: p('Claire Findlay'),
  rutherford: p('Andrew Rutherford'),
};

/** firstname.lastname at a reserved example domain (RFC 2606), never a real council's. */
export const emailOf = (person: Person): string =>
  `${person.name
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .replace(/ +/g, '.')}@example.org`;

// People who are new in June 2020 (new CSWOs at two councils) answer time_in_post "lt1".
const newInJune = new Set([people.tulloch.name, people.boyd.name]);

// =========================================================================================== free text

// The quoted passages marked [Survey 2 respondent, 2020] in the report are used verbatim (without the
// quotation marks) as June 2020 answers; everything else is written for this data set. No answer names a
// council or a person; a few contain commas, double quotes and line breaks to exercise the CSV rules.

const pqOtherJune = [
  'Postgraduate Certificate in Social Services Leadership',
  'SVQ 5 Management',
  'Certificate in Social Management',
  'Diploma in Social Work Management',
  'Postgraduate Diploma in Social Work Management',
  'Registered nurse (Adult Nursing)',
  'Diploma in Health and Social Welfare; Diploma in Child Psychology',
];

const pqOtherJanuary = [
  'Postgraduate Certificate in Social Services Leadership',
  'Diploma in Social Work Management',
  'SVQ 5 Management',
  'MBA',
  'Certificate in Community Care Practice',
  'Postgraduate Diploma in Social Work Management',
  'Diploma in Health and Social Welfare',
  'Certificate in Management Studies',
];

const oversightJune = [
  'Heads of Service for children and families and for adult services',
  'Chief Officer of the HSCP; Head of Service, Justice',
  'Deputy CSWO and the Lead Social Worker in the partnership',
  'General Managers for each locality, and the Chief Operating Officer',
  'Head of Children’s Services, Head of Adult Services, Service Manager (Justice)',
  'Director of Education and Children’s Services; Chief Officer, HSCP',
  'Two Heads of Service, one in the council, one in the HSCP',
  'Lead Social Worker (adults), Head of Service (children, families and justice)',
];

const oversightJanuary = [
  'Heads of Service for children’s services and for adult social care',
  'Chief Officer of the HSCP and the Head of Justice Services',
  'Deputy CSWO',
  'General Managers, Heads of Service',
  'Lead Social Worker, HSCP',
  'Director of Communities; Head of Adult Services; Head of Children’s Services',
  'Head of Service (children and justice), Chief Operating Officer (adults)',
];

const band = (code: string) => (r: Row) => r.extra_hours_band === code;
const is = (item: string, code: string) => (r: Row) => r[item] === code;
const ratedAtMost = (item: string, max: number) => (r: Row) => r[item] !== undefined && r[item] !== '' && Number(r[item]) <= max;

const pressuresCommentJune: { text: string; where?: (r: Row) => boolean }[] = [
  // Section 2 ¶5 (pressures): 6 of the 16 comments (38%) say criminal justice works well despite the national debate.
  {
    text: 'The national debate about the future of criminal justice social work is unsettling for staff, but locally it is an area that is working effectively.',
    where: ratedAtMost('pressure.community_justice', 3),
  },
  {
    text: 'Criminal justice is working well here despite the uncertainty the national discussion about its future has created.',
    where: ratedAtMost('pressure.community_justice', 3),
  },
  {
    text: 'Unsettling national debate about criminal justice social work, but the service itself is stable and working effectively.',
    where: ratedAtMost('pressure.community_justice', 3),
  },
  {
    text: 'Whatever the outcome of the national review, our criminal justice team is working effectively and adapted quickly to supervising people remotely.',
    where: ratedAtMost('pressure.community_justice', 3),
  },
  {
    text: 'The national conversation about criminal justice social workers is a distraction, but the service works effectively and is not where my pressure lies.',
    where: ratedAtMost('pressure.community_justice', 3),
  },
  {
    text: 'Criminal justice: the national debate is unsettling, yet it is one of the areas working most effectively at the moment.',
    where: ratedAtMost('pressure.community_justice', 3),
  },
  // Section 2 ¶1: "One CSWO respondent noted that, during COVID-19, an additional 40 hours per week was needed."
  { text: 'During COVID-19 an additional 40 hours per week was needed, on top of my contracted hours.', where: band('gt20') },
  // Quoted in Section 2 ¶4 (pressures).
  { text: 'Taking on the role of CSWO, ironically, meant there was no longer time to complete the CSWO Advanced Award.' },
  // Quoted in Section 2, corporate leaders ¶3.
  { text: 'Fully involved in discussion and negotiations. Does not mean I get what I think is necessary.', where: is('budget_involvement', 'fully') },
  // Quoted in Section 2, corporate leaders ¶5.
  {
    text: 'Children, Families and Justice [social work] Services struggle to get equitable access to the support available.',
    where: is('strategy_support_adequate', 'no'),
  },
  {
    text: 'Redesigning adult and children’s services to save money, with the same expectations of service delivery and the balance of care, is the biggest pressure.',
  },
  { text: 'Staff shortages and staff welfare: high caseloads, vacancies we cannot fill, experienced staff carrying extra responsibilities.' },
  { text: 'Constant scrutiny of potential overspends and the search for savings, a pressure shared with colleagues in the IJB and the NHS.' },
  { text: 'I am expected to attend, and be visible at, a huge number of partnership meetings. It is time consuming and can feel isolating.' },
  {
    text: 'Clinical and care governance is more frustrating than stressful: arrangements are too health focused, still need embedding, and I have had no time to develop a direct scrutiny role.',
  },
  { text: 'Public protection demands have grown steadily; the pressure is constant rather than peaking.' },
];

const covidJune: { text: string; where?: (r: Row) => boolean }[] = [
  { text: 'Managing and supporting staff through COVID-19 has broadened and deepened the responsibilities of the CSWO.' },
  { text: 'I now have professional oversight of care homes, added to the role almost overnight.' },
  { text: 'The amount of decisions and briefings required across the range of social work services has been immense.' },
  {
    text: 'Less access to colleagues because everyone’s capacity is stretched, and more demands to mobilise services for individuals, their carers and families.',
  },
  { text: 'Swift responses to new national legislation and guidance, often with very little notice.' },
  { text: 'COVID-19 investment is welcome, but the financial challenge of delivering services in future is a significant concern.' },
  { text: 'The pandemic has brought the role into sharper focus. Senior leaders now see what social work does, particularly in public protection.' },
  {
    text: 'Three things have changed:\n1. care home oversight, on top of everything else;\n2. daily "huddles" with health colleagues, seven days a week;\n3. far less time with front-line staff.',
  },
  { text: 'Managing risk at every level, from individual care homes to the whole partnership, every day.' },
];

const sdsJune = [
  'Implementation is under way in adult services. The next step is an SDS approach in other areas, such as support for learning where children find school attendance difficult.',
  'Block contracts limit real choice and control.',
  'The impact of eligibility criteria, and limited shared understanding across agencies, particularly in some areas of health and nursing.',
  'Developing self-directed support within children and families services.',
  'Limited staffing and resources for the good conversations SDS depends on.',
  'The profile and understanding of SDS locally needs further promotion, and a more consistent understanding across agencies.',
];

const promotionJune = [
  'Some parts of the service are integrated and others remain separate, so there is no single structure for social work.',
  'Promoting the ethics and values of social work at the corporate centre, where it is seen as just another council service.',
  'Making sure social work has a voice within health and older people dominated agendas; COVID-19 has brought this into sharp relief.',
  'Attention to social work only increases at times of challenge, concern or scrutiny, and then the focus is on social work rather than shared responsibility.',
  'Social work does not report to a social work committee. It feeds into "children and families", "education" and "communities", which makes it hard to keep its professional identity.',
  'Social work is still the poor relation to health and education.',
];

const finalJune: { text: string; where?: (r: Row) => boolean }[] = [
  // Quoted in Section 3, support networks ¶2.
  {
    text: 'Peer support is critical for me. The CSWO role is unique and can feel isolated as very few appreciate the pressures and extent of the responsibilities. I do not like to complain about the pressure and the time I give to the role, my role is to lead and inspire not to offload to others. I can do this with peers.',
    where: is('peer_support_likelihood', '5'),
  },
  // Quoted in Section 3, learning ¶5.
  {
    text: 'The Advanced Award (CSWO qualification) is a useful and necessary professional resource and recognition for the role, however the attrition rate for the course may indicate the conflict between studying as a CSWO and being a CSWO. Otherwise, some less formal support, learning and development at national level would be particularly helpful, albeit each role is unique to the local area and profile.',
  },
  // Quoted in Final reflections ¶1.
  {
    text: "In all honesty, I think it's become almost an impossible role to do thoroughly and effectively - unless you have considerable levels of support. I have a great team, I have excellent working relationships across the partnerships, I have dedicated, quality PA support. And still, this role is a constant challenge to get work done on time, meet deadlines, satisfy Members and colleagues and the public. I manage to do this job but I struggle to reach the important parts around connecting to the workforce, spending time with service users and contributing to the wider SWS agenda.",
    where: is('admin_support', 'dedicated'),
  },
  // Quoted in Section 2, corporate leaders ¶6.
  {
    text: 'There is insufficient resource for council as a whole so focus is on statutory and mandatory training with little scope for other forms of professional development.',
    where: is('ld_adequate', 'no'),
  },
  // Section 3, learning ¶1: "a bag of papers to read through".
  { text: 'My induction was a bag of papers to read through.', where: is('induction', 'no') },
  { text: 'The CSWO role cannot be an "add-on" to existing responsibilities.\nIt needs status, and time, to be done properly.' },
  { text: 'Senior leaders’ understanding of the role has improved recently, particularly in terms of public protection.' },
  { text: 'Understanding of social work and of the CSWO role is more fragile at lower tiers of management.' },
];

const pressuresCommentJanuary = [
  'Budget pressures dominate: we are asked to redesign services to save money with no change in expectations.',
  'Vacancies in children’s teams and high caseloads are the main source of stress.',
  'The number of partnership meetings I am expected to attend is not sustainable.',
  'Self-directed support takes a lot of my time, but it is not what keeps me awake at night.',
  'Preparing for inspection has dominated the last six months.',
  'Clinical and care governance arrangements are still being developed and are very health focused.',
  'Criminal justice is stable, but the national debate about its future is unsettling for staff.',
  'Workforce development matters, but there is no dedicated budget, time or capacity for it, so it is "less pressured" only because it does not get done.',
];

const sdsJanuary = [
  'Block contracts and eligibility criteria work against the principles of SDS.',
  'Shared understanding across agencies is limited, especially in health.',
  'SDS for children and families is at an early stage.',
  'Staffing and resources to support the conversations SDS needs.',
];

const promotionJanuary = [
  'Social work is seen as one council service among many at the corporate centre.',
  'Some services are integrated and some are not, which confuses the picture of who social work is.',
  'Social work only gets attention when something goes wrong.',
  'Keeping a professional identity when social work reports into "communities", "education" and "health and social care".',
];

const finalJanuary = [
  'The role is described locally as "the conscience of the organisation", which is flattering,\nbut it comes without the time or the support to do it properly.',
  'Peer support from other CSWOs is what keeps me going.',
  'The role is not always well understood locally or nationally, particularly by colleagues in health and education.',
  'New CSWOs need a proper induction and a mentor.',
];

const texts = (item: string, answers: readonly (string | { text: string; where?: (r: Row) => boolean })[]): ItemSpec => ({
  kind: 'text',
  item,
  answers: answers.map((a) => (typeof a === 'string' ? { text: a } : a)),
});

// =========================================================================================== the spec

export const answerSpec: readonly PartSpec[] = [
  // ----------------------------------------------------------------------------------------- 2020-06 part one
  {
    wave: '2020-06',
    part: 'identifiable',
    size: 21, // Outline ¶3: "Responses ... were received from 21 CSWO for both parts"
    people: [
      ['glasgow_city', people.gunn],
      ['city_of_edinburgh', people.buchanan],
      ['aberdeen_city', people.kinnear],
      ['dundee_city', people.gilchrist],
      ['north_lanarkshire', people.baird],
      ['renfrewshire', people.boyd], // new CSWO since January
      ['falkirk', people.imrie],
      ['west_dunbartonshire', people.findlay],
      ['inverclyde', people.dalgleish], // moved from Fife since January
      ['east_renfrewshire', people.lindsay],
      ['north_ayrshire', people.tulloch], // new CSWO since January
      ['west_lothian', people.rutherford],
      ['clackmannanshire', people.petrie],
      ['aberdeenshire', people.rennie],
      ['angus', people.lauder],
      ['east_lothian', people.ferrier],
      ['moray', people.paterson],
      ['perth_and_kinross', people.crichton],
      ['na_h_eileanan_siar', people.morrison],
      ['orkney_islands', people.mackay],
      ['shetland_islands', people.drummond],
    ],
    // Table 1 (n=21): 4 large urban, 8 other urban, 1 accessible small towns, 0 "rural small towns", 5 accessible rural, 3 remote rural
    urbanRural: { large_urban: 4, other_urban: 8, accessible_small_towns: 1, remote_small_towns: 0, accessible_rural: 5, remote_rural: 3, blank: 0 },
    items: [
      { kind: 'single', item: 'role', counts: { cswo: 21, deputy: 0, blank: 0 } }, // §1 ¶2: no designated deputy responded
      { kind: 'single', item: 'registered_sw', counts: { yes: 21, no: 0, blank: 0 } }, // §1 ¶2: all registered social workers
      // §1 ¶2: "From 20 replies, three ... more than five years, six between 3-5 years, nine for only 1-2 years and two ... less than a year"
      { kind: 'single', item: 'time_in_post', counts: { gt5: 3, '3_5': 6, '1_2': 9, lt1: 2, blank: 1 }, prefer: { lt1: (r) => newInJune.has(r.name!) } },
      {
        kind: 'multi',
        item: 'pq_awards',
        answered: 20, // not printed; "Almost all held at least one" (§1 ¶2): 19 of 20 hold one, 1 answered and holds none, 1 blank
        noneChosen: 1,
        counts: {
          pq1: 3, // Table 2: PQ1 3
          pq2: 3, // Table 2: PQ2 3
          practice_teaching: 9, // Table 2: Practice Teaching Award 9
          mho: 2, // Table 2: Mental Health Officer Award 2
          child_protection: 10, // Table 2: Certificate in Child Protection 10
          criminal_justice: 1, // Table 2: Certificate in Criminal Justice 1
          advanced_award: 4, // Table 2: Advanced Award 4
          cswo_pgdip: 3, // Table 2: CSWO Postgraduate Diploma 3
          masters: 8, // Table 2: Masters level qualification 8
          phd: 0, // Table 2: PhD (blank)
          other: 7, // §1 ¶3: seven other awards listed
        },
      },
      texts(
        'pq_awards_other',
        pqOtherJune.map((text) => ({ text, where: is('pq_awards.other', '1') })),
      ), // §1 ¶3, the awards listed
      {
        kind: 'matrix',
        item: 'portfolio',
        rows: {
          children_sw: { all: 17, part: 1, none: 3, blank: 0 }, // Table 3 (n=21): 81 / 5 / 14 %; §1 ¶4 all or part 86 %
          children_health: { all: 4, part: 4, none: 10, blank: 3 }, // Table 3 (n=18): 22 / 22 / 56 %
          education_early_years: { all: 0, part: 1, none: 13, blank: 7 }, // Table 3 (n=14): 0 / 7 / 93 %
          education_asn: { all: 0, part: 4, none: 11, blank: 6 }, // Table 3 (n=15): 0 / 27 / 73 %
          adult_sw: { all: 6, part: 3, none: 6, blank: 6 }, // Table 3 (n=15): 40 / 20 / 40 %; §1 ¶4 adult care 60 %
          adult_health: { all: 3, part: 4, none: 7, blank: 7 }, // Table 3 (n=14): 21 / 29 / 50 %; §1 ¶4 adult health 50 %
          criminal_justice_sw: { all: 15, part: 3, none: 1, blank: 2 }, // Table 3 (n=19): 79 / 16 / 5 %; §1 ¶4 95 %
          quality_assurance: { all: 8, part: 11, none: 1, blank: 1 }, // Table 3 (n=20): 40 / 55 / 5 % (§1 ¶4's 90 % contradicts it)
          public_protection: { all: 13, part: 6, none: 1, blank: 1 }, // Table 3 (n=20): 65 / 30 / 5 %; §1 ¶4 95 %
          sw_learning_development: { all: 13, part: 6, none: 2, blank: 0 }, // Table 3 (n=21): 62 / 29 / 9 % (9.5 adjusted); §1 ¶4 91 %
          homelessness: { all: 1, part: 3, none: 10, blank: 7 }, // Table 3 (n=14): 7 / 21 / 72 % (71.4 adjusted)
          welfare_rights: { all: 3, part: 4, none: 7, blank: 7 }, // Table 3 (n=14): 21 / 29 / 50 %
        },
      },
      texts('oversight_roles', oversightJune), // §1 ¶5 (no figure)
      { kind: 'single', item: 'location', counts: { hscp: 7, council: 14, blank: 0 } }, // §1 ¶6 (n=21): 33 % HSCP, "66 %" council (66.7)
      { kind: 'single', item: 'contract', counts: { permanent: 18, acting: 2, temporary: 1, blank: 0 } }, // §1 ¶7 (n=21): 86 / "9" (9.5) / 5 %
      { kind: 'single', item: 'hours_basis', counts: { full_time: 21, part_time: 0, blank: 0 } }, // §1 ¶7: all full-time
      { kind: 'numbers', item: 'contracted_hours', values: [...rep(35, 10), ...rep(36, 4), ...rep(37, 7)] }, // §1 ¶7: between 35-37 hours
      // §1 ¶7: 24 / 33 / 38 %, and only one over £100,000 (n=21)
      { kind: 'single', item: 'salary_band', counts: { lt70k: 0, '70_79k': 5, '80_89k': 7, '90_99k': 8, '100k_plus': 1, blank: 0 } },
      { kind: 'single', item: 'supplement', counts: { yes: 5, no: 6, removed: 2, blank: 8 } }, // §1 ¶7: of 13, five had a supplement; others none or removed
      // §1 ¶8: 62 / 29 / "9" (9.5) %
      { kind: 'single', item: 'reports_to', counts: { chief_officer: 13, executive_director: 6, deputy_ce_or_hos: 2, other: 0, blank: 0 } },
    ],
  },

  // ----------------------------------------------------------------------------------------- 2020-06 part two
  {
    wave: '2020-06',
    part: 'anonymous',
    size: 21, // Outline ¶3: 21 CSWO for both parts
    items: [
      {
        kind: 'joint',
        items: ['extra_hours_frequency', 'extra_hours_band'],
        // §2 ¶1: frequency n=20: 19 always, 1 sometimes (100 % work additional hours);
        // band n=18: 14 (78 %) 10-20 hours, 2 (11 %) more than 20, 2 under 10.
        combos: [
          ['always', 'gt20', 2],
          ['always', '10_20', 14],
          ['always', 'lt10', 1],
          ['sometimes', 'lt10', 1],
          ['always', '', 2],
          ['', '', 1],
        ],
      },
      {
        kind: 'shares',
        item: 'time_share',
        rows: {
          children: { n: 14, mean: 26 }, // Table 4, survey 2: 26% (n=14)
          adults: { n: 12, mean: 11 }, // Table 4: 11% (n=12)
          mental_health_awi: { n: 12, mean: 4 }, // Table 4: 4% (n=12)
          community_justice: { n: 14, mean: 7 }, // Table 4: 7% (n=14)
          sds: { n: 11, mean: 2 }, // Table 4: 2% (n=11)
          ijb: { n: 14, mean: 6 }, // Table 4: 6% (n=14)
          health: { n: 11, mean: 7 }, // Table 4: 7% (n=11)
          workforce_planning: { n: 14, mean: 4 }, // Table 4: 4% (n=14)
          workforce_ld: { n: 14, mean: 4 }, // Table 4: 4% (n=14)
          own_ld: { n: 14, mean: 2 }, // Table 4: 2% (n=14)
          governance: { n: 14, mean: 8 }, // Table 4: 8% (n=14)
          strategic_development: { n: 14, mean: 8 }, // Table 4: 8% (n=14)
          corporate_groups: { n: 14, mean: 10 }, // Table 4: 10% (n=14)
          partnership_groups: { n: 14, mean: 8 }, // Table 4: 8% (n=14)
          budgets: { n: 14, mean: 6 }, // Table 4: 6% (n=14)
          corporate_functions: { n: 14, mean: 5 }, // Table 4: 5% (n=14)
          inspection_audit: { n: 14, mean: 4 }, // Table 4: 4% (n=14)
        },
      },
      {
        kind: 'ratings',
        item: 'pressure',
        // Ratings 1..5 per area. Published: only the four "high" (4-5) shares of §2 ¶5 (pressures); the
        // highest pressures are children, adults, budgets and partnership groups (§2 ¶2 (pressures)).
        rows: {
          children: [0, 1, 2, 6, 9],
          adults: [0, 1, 3, 6, 6],
          mental_health_awi: [1, 3, 6, 3, 2],
          community_justice: [3, 5, 5, 1, 1], // §2 ¶5: criminal justice high pressure 13 % (2/15)
          sds: [3, 5, 4, 0, 0], // §2 ¶5: self-directed support high pressure 0 % (0/12)
          ijb: [1, 2, 6, 4, 3],
          health: [1, 3, 5, 3, 2],
          workforce_planning: [1, 2, 6, 4, 3],
          workforce_ld: [2, 4, 6, 2, 1],
          own_ld: [3, 4, 5, 2, 1],
          governance: [2, 4, 8, 3, 2], // §2 ¶5: clinical governance high pressure 26 % (5/19)
          strategic_development: [1, 3, 6, 4, 2],
          corporate_groups: [1, 3, 6, 4, 2],
          partnership_groups: [0, 2, 4, 6, 5],
          budgets: [0, 1, 3, 5, 9],
          corporate_functions: [2, 3, 6, 2, 1],
          inspection_audit: [2, 3, 5, 3, 2], // §2 ¶5: inspection and audit high pressure 33 % (5/15)
        },
      },
      // Links ¶2: about a dozen (median 12), range 8-24, one CSWO with 50; n=15 (not printed)
      { kind: 'numbers', item: 'groups_involved', values: [8, 9, 10, 10, 11, 12, 12, 12, 12, 14, 15, 16, 20, 24, 50] },
      // Links ¶3: "most chaired about 6-8 groups (n=14)": median 7, 9 of 14 in 6-8
      { kind: 'numbers', item: 'groups_chaired', values: [2, 4, 5, 6, 6, 7, 7, 7, 7, 8, 8, 8, 10, 12], notAbove: 'groups_involved' },
      // Corporate leaders ¶8 (n=17): 53 / 41 / 6 % (Links ¶5's 21 % none, 36 % did not say cannot also hold)
      { kind: 'single', item: 'admin_support', counts: { dedicated: 9, shared: 7, none: 1, blank: 4 } },
      { kind: 'single', item: 'senior_team_member', counts: { yes: 11, no: 6, blank: 4 } }, // Corporate leaders ¶1 (n=17): 65 / 35 %
      { kind: 'single', item: 'portfolio_changed', counts: { yes: 8, no: 9, blank: 4 } }, // Corporate leaders ¶2: same 53 %, changed 47 % (n=17 chosen)
      { kind: 'single', item: 'budget_involvement', counts: { fully: 8, some: 7, little: 1, blank: 5 } }, // ¶3 (n=16): 50 %, just under half, one (6 %)
      {
        kind: 'matrix',
        item: 'direct_access',
        rows: {
          chief_executive: { yes: 16, no: 1, blank: 4 }, // Table 5 (n=17): 94 / 6 %
          council_leader: { yes: 11, no: 5, blank: 5 }, // Table 5 (n=16): 69 / 31 %
          ijb_chair: { yes: 12, no: 5, blank: 4 }, // Table 5 (n=17): 71 / 29 %
          ijb_chief_officer: { yes: 16, no: 1, blank: 4 }, // Table 5 (n=17): 94 / 6 %
        },
      },
      { kind: 'single', item: 'strategy_support', counts: { dedicated: 4, generic: 3, none: 10, blank: 4 } }, // ¶5 (n=17): 24 % dedicated, 18 % generic
      // ¶5: 81 % (n=16) not adequate; the few who find it adequate are those with a dedicated team
      { kind: 'single', item: 'strategy_support_adequate', counts: { yes: 3, no: 13, blank: 5 }, prefer: { yes: is('strategy_support', 'dedicated') } },
      { kind: 'single', item: 'ld_function', counts: { yes: 7, no: 10, blank: 4 } }, // ¶6: "42%; n=17" (7/17 = 41.2: no count fits 42)
      // ¶7: 71 % (n=17) not adequate; those who find it adequate have a dedicated L&D function
      { kind: 'single', item: 'ld_adequate', counts: { yes: 5, no: 12, blank: 4 }, prefer: { yes: is('ld_function', 'yes') } },
      {
        kind: 'matrix',
        item: 'support',
        rows: {
          line_manager_supervision: { used: 11, intend: 1, blank: 9 }, // Table 6 (n=12): 92 / 8 %
          peer_support: { used: 12, intend: 2, blank: 7 }, // Table 6 (n=14): 86 / 14 %
          mentoring: { used: 2, intend: 4, blank: 15 }, // Table 6 (n=6): 33 / 67 %
          job_shadowing: { used: 0, intend: 3, blank: 18 }, // Table 6 (n=3): blank / 100 %
          professional_membership: { used: 11, intend: 1, blank: 9 }, // Table 6 (n=12): 92 / 8 %
        },
      },
      // Support networks ¶2: "From 14 responses, 79% rated ... either 4 or 5" (11/14)
      { kind: 'single', item: 'peer_support_likelihood', counts: { 1: 0, 2: 1, 3: 2, 4: 4, 5: 7, blank: 7 } },
      { kind: 'single', item: 'induction', counts: { yes: 3, no: 10, blank: 8 } }, // Learning ¶1: just under a quarter (n=13) = 3/13
      { kind: 'single', item: 'learning_needs', counts: { supervision_appraisal: 7, ad_hoc: 5, not_addressed: 2, blank: 7 } }, // ¶3: 50 % (n=14)
      {
        kind: 'multi',
        item: 'resources',
        answered: 19, // Learning ¶3: CSWOs (n=19)
        noneChosen: 0,
        counts: {
          service_users: 15, // "77%" fits no count of 19; 15/19 = 78.9 %
          conferences: 14, // 74 %
          solace: 7, // 37 %
          resilience: 5, // 26 %
          sssk: 4, // 21 %
          reading: 12, // 63 %
          research: 10, // 53 %
        },
      },
      // Free text last, so that quoted comments can go to respondents whose answers agree with them.
      texts('pressures_comment', pressuresCommentJune), // §2 ¶5 (pressures): 16 comments, 6 (38 %) on criminal justice
      texts('covid_reflections', covidJune),
      texts('sds_challenges', sdsJune),
      texts('promotion_challenges', promotionJune),
      texts('final_reflections', finalJune),
    ],
  },

  // ----------------------------------------------------------------------------------------- 2020-01 part one
  {
    wave: '2020-01',
    part: 'identifiable',
    size: 27, // Outline ¶2: Survey 1, to which 27 CSWO responded
    people: [
      ['glasgow_city', people.gunn],
      ['city_of_edinburgh', people.buchanan],
      ['aberdeen_city', people.kinnear],
      ['north_lanarkshire', people.baird],
      ['south_lanarkshire', people.cairns],
      ['renfrewshire', people.wishart],
      ['falkirk', people.imrie],
      ['west_dunbartonshire', people.findlay],
      ['east_renfrewshire', people.lindsay],
      ['east_dunbartonshire', people.balfour],
      ['north_ayrshire', people.niven],
      ['east_ayrshire', people.cowie],
      ['south_ayrshire', people.lamont],
      ['west_lothian', people.rutherford],
      ['fife', people.dalgleish],
      ['stirling', people.urquhart],
      ['clackmannanshire', people.petrie],
      ['midlothian', people.strachan],
      ['aberdeenshire', people.rennie],
      ['angus', people.lauder],
      ['perth_and_kinross', people.crichton],
      ['scottish_borders', people.muir],
      ['dumfries_and_galloway', people.maclaren],
      ['argyll_and_bute', people.murchison],
      ['highland', people.kirkwood],
      ['na_h_eileanan_siar', people.morrison],
      ['shetland_islands', people.drummond],
    ],
    // Not published for Survey 1; follows from the illustrative council categories.
    urbanRural: { large_urban: 3, other_urban: 13, accessible_small_towns: 2, remote_small_towns: 0, accessible_rural: 5, remote_rural: 4, blank: 0 },
    items: [
      // Nothing of part one is published for Survey 1 ("similar to the picture reported from the first CSWO survey", §1 ¶4):
      // plausible values close to Survey 2's.
      { kind: 'single', item: 'role', counts: { cswo: 27, deputy: 0, blank: 0 } },
      { kind: 'single', item: 'registered_sw', counts: { yes: 27, no: 0, blank: 0 } },
      { kind: 'single', item: 'time_in_post', counts: { gt5: 5, '3_5': 7, '1_2': 10, lt1: 4, blank: 1 } },
      {
        kind: 'multi',
        item: 'pq_awards',
        answered: 26,
        noneChosen: 1,
        counts: {
          pq1: 4,
          pq2: 4,
          practice_teaching: 11,
          mho: 3,
          child_protection: 12,
          criminal_justice: 2,
          advanced_award: 4,
          cswo_pgdip: 4,
          masters: 10,
          phd: 1,
          other: 8,
        },
      },
      texts(
        'pq_awards_other',
        pqOtherJanuary.map((text) => ({ text, where: is('pq_awards.other', '1') })),
      ),
      {
        kind: 'matrix',
        item: 'portfolio',
        rows: {
          children_sw: { all: 20, part: 2, none: 4, blank: 1 },
          children_health: { all: 5, part: 5, none: 12, blank: 5 },
          education_early_years: { all: 1, part: 2, none: 15, blank: 9 },
          education_asn: { all: 1, part: 4, none: 13, blank: 9 },
          adult_sw: { all: 8, part: 4, none: 8, blank: 7 },
          adult_health: { all: 4, part: 5, none: 9, blank: 9 },
          criminal_justice_sw: { all: 19, part: 4, none: 1, blank: 3 },
          quality_assurance: { all: 10, part: 13, none: 2, blank: 2 },
          public_protection: { all: 16, part: 8, none: 1, blank: 2 },
          sw_learning_development: { all: 16, part: 8, none: 2, blank: 1 },
          homelessness: { all: 2, part: 4, none: 12, blank: 9 },
          welfare_rights: { all: 4, part: 5, none: 9, blank: 9 },
        },
      },
      texts('oversight_roles', oversightJanuary),
      { kind: 'single', item: 'location', counts: { hscp: 9, council: 17, blank: 1 } },
      { kind: 'single', item: 'contract', counts: { permanent: 23, acting: 3, temporary: 1, blank: 0 } },
      { kind: 'single', item: 'hours_basis', counts: { full_time: 27, part_time: 0, blank: 0 } },
      { kind: 'numbers', item: 'contracted_hours', values: [...rep(35, 12), ...rep(36, 4), ...rep(37, 10)] },
      { kind: 'single', item: 'salary_band', counts: { lt70k: 0, '70_79k': 6, '80_89k': 9, '90_99k': 9, '100k_plus': 2, blank: 1 } },
      { kind: 'single', item: 'supplement', counts: { yes: 6, no: 8, removed: 2, blank: 11 } },
      { kind: 'single', item: 'reports_to', counts: { chief_officer: 16, executive_director: 8, deputy_ce_or_hos: 2, other: 1, blank: 0 } },
    ],
  },

  // ----------------------------------------------------------------------------------------- 2020-01 part two
  {
    wave: '2020-01',
    part: 'anonymous',
    size: 27, // Outline ¶2: 27 CSWO responded to Survey 1
    items: [
      {
        kind: 'joint',
        items: ['extra_hours_frequency', 'extra_hours_band'],
        // §2 ¶2: Survey 1 had 76 % working additional hours (n not printed: 19/25 always or sometimes) and
        // 67 % working 10-20 additional hours (n not printed: 16/24).
        combos: [
          ['always', '10_20', 13],
          ['always', 'gt20', 1],
          ['always', '', 1],
          ['sometimes', '10_20', 3],
          ['sometimes', 'lt10', 1],
          ['rarely', 'lt10', 4],
          ['rarely', 'none', 1],
          ['never', 'none', 1],
          ['', '', 2],
        ],
      },
      {
        kind: 'shares',
        item: 'time_share',
        rows: {
          children: { n: 15, mean: 26 }, // Table 4, survey 1: 26% (n=15)
          adults: { n: 17, mean: 11 }, // Table 4: 11% (n=17)
          mental_health_awi: { n: 17, mean: 5 }, // Table 4: 5% (n=17)
          community_justice: { n: 19, mean: 10 }, // Table 4: 10% (n=19)
          sds: { n: 15, mean: 2 }, // Table 4: 2% (n=15)
          ijb: { n: 17, mean: 6 }, // Table 4: 6% (n=17)
          health: { n: 15, mean: 4 }, // Table 4: 4% (n=15)
          workforce_planning: { n: 16, mean: 4 }, // Table 4: 4% (n=16)
          workforce_ld: { n: 16, mean: 2 }, // Table 4: 2% (n=16)
          own_ld: { n: 14, mean: 1 }, // Table 4: 1% (n=14)
          governance: { n: 17, mean: 11 }, // Table 4: 11% (n=17)
          strategic_development: { n: 19, mean: 8 }, // Table 4: 8% (n=19)
          corporate_groups: { n: 18, mean: 9 }, // Table 4: 9% (n=18)
          partnership_groups: { n: 15, mean: 8 }, // Table 4: 8% (n=15)
          budgets: { n: 17, mean: 5 }, // Table 4: 5% (n=17)
          corporate_functions: { n: 13, mean: 6 }, // Table 4: 6% (n=13)
          inspection_audit: { n: 18, mean: 7 }, // Table 4: 7% (n=18)
        },
      },
      {
        kind: 'ratings',
        item: 'pressure',
        rows: {
          children: [0, 1, 3, 7, 9],
          adults: [0, 1, 4, 7, 7],
          mental_health_awi: [1, 4, 7, 4, 2],
          community_justice: [2, 4, 5, 4, 2], // §2 ¶5 (pressures): criminal justice high pressure 35 % (6/17)
          sds: [2, 4, 5, 3, 2], // §2 ¶5: self-directed support high pressure 31 % (5/16)
          ijb: [1, 3, 6, 5, 4],
          health: [2, 5, 5, 3, 1],
          workforce_planning: [1, 3, 6, 5, 3],
          workforce_ld: [2, 4, 6, 4, 2],
          own_ld: [3, 4, 5, 3, 2],
          governance: [0, 3, 6, 5, 4], // §2 ¶5: clinical governance high pressure 50 % (9/18)
          strategic_development: [1, 3, 7, 5, 3],
          corporate_groups: [1, 4, 6, 4, 3],
          partnership_groups: [0, 2, 4, 7, 6],
          budgets: [0, 1, 3, 6, 10],
          corporate_functions: [2, 4, 5, 3, 1],
          inspection_audit: [1, 3, 5, 5, 3], // §2 ¶5: inspection and audit high pressure 47 % (8/17)
        },
      },
      { kind: 'numbers', item: 'groups_involved', values: [6, 8, 9, 10, 10, 11, 12, 12, 12, 13, 14, 14, 15, 16, 18, 20, 22, 25, 28, 30] },
      { kind: 'numbers', item: 'groups_chaired', values: [1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 10, 11, 12], notAbove: 'groups_involved' },
      { kind: 'single', item: 'admin_support', counts: { dedicated: 11, shared: 9, none: 2, blank: 5 } },
      { kind: 'single', item: 'senior_team_member', counts: { yes: 14, no: 8, blank: 5 } },
      { kind: 'single', item: 'portfolio_changed', counts: { yes: 9, no: 13, blank: 5 } },
      { kind: 'single', item: 'budget_involvement', counts: { fully: 11, some: 9, little: 2, blank: 5 } },
      {
        kind: 'matrix',
        item: 'direct_access',
        rows: {
          chief_executive: { yes: 20, no: 2, blank: 5 },
          council_leader: { yes: 15, no: 6, blank: 6 },
          ijb_chair: { yes: 15, no: 6, blank: 6 },
          ijb_chief_officer: { yes: 21, no: 1, blank: 5 },
        },
      },
      { kind: 'single', item: 'strategy_support', counts: { dedicated: 5, generic: 5, none: 12, blank: 5 } },
      { kind: 'single', item: 'strategy_support_adequate', counts: { yes: 4, no: 17, blank: 6 }, prefer: { yes: is('strategy_support', 'dedicated') } },
      { kind: 'single', item: 'ld_function', counts: { yes: 10, no: 12, blank: 5 } },
      { kind: 'single', item: 'ld_adequate', counts: { yes: 6, no: 15, blank: 6 }, prefer: { yes: is('ld_function', 'yes') } },
      {
        kind: 'matrix',
        item: 'support',
        // Section 3 ¶1: "This was similar to the picture reported at Survey 1."
        rows: {
          line_manager_supervision: { used: 14, intend: 2, blank: 11 },
          peer_support: { used: 17, intend: 2, blank: 8 },
          mentoring: { used: 3, intend: 5, blank: 19 },
          job_shadowing: { used: 0, intend: 4, blank: 23 },
          professional_membership: { used: 15, intend: 1, blank: 11 },
        },
      },
      { kind: 'single', item: 'peer_support_likelihood', counts: { 1: 0, 2: 1, 3: 3, 4: 6, 5: 8, blank: 9 } },
      { kind: 'single', item: 'induction', counts: { yes: 5, no: 13, blank: 9 } },
      { kind: 'single', item: 'learning_needs', counts: { supervision_appraisal: 9, ad_hoc: 7, not_addressed: 3, blank: 8 } },
      {
        kind: 'multi',
        item: 'resources',
        answered: 22,
        noneChosen: 0,
        counts: { service_users: 15, conferences: 18, solace: 6, resilience: 4, sssk: 5, reading: 13, research: 11 },
      },
      texts('pressures_comment', pressuresCommentJanuary),
      texts('sds_challenges', sdsJanuary),
      texts('promotion_challenges', promotionJanuary),
      texts('final_reflections', finalJanuary),
    ],
  },
];
