/** The 17 areas of work shared by `time_share` and `pressure` (report Table 4). */
export const areas = [
  {
    id: 'children',
    label:
      "Children's social work and social care, child protection, fostering and adoption, statutory responsibilities for looked after children and young people, secure accommodation authorisation",
  },
  { id: 'adults', label: 'Adult social work and social care, adult protection' },
  { id: 'mental_health_awi', label: 'Statutory mental health and Adults with Incapacity' },
  {
    id: 'community_justice',
    label: 'Community justice, offender management, MAPPA, management of Drug Treatment and Testing Orders, management of Supervised Release Orders',
  },
  { id: 'sds', label: 'Self-directed support implementation' },
  { id: 'ijb', label: 'Integration Joint Board (IJB) related' },
  { id: 'health', label: 'Health services related' },
  { id: 'workforce_planning', label: 'Workforce planning and delivery (making sure the right workforce is in place and registered)' },
  { id: 'workforce_ld', label: 'Workforce learning and development (making sure the workforce is skilled and trained)' },
  { id: 'own_ld', label: 'Your own learning and development' },
  { id: 'governance', label: 'Clinical and social work or care governance' },
  { id: 'strategic_development', label: 'Strategic development' },
  { id: 'corporate_groups', label: 'Involvement in corporate groups' },
  { id: 'partnership_groups', label: 'Involvement in partnership groups' },
  { id: 'budgets', label: 'Budgets' },
  { id: 'corporate_functions', label: 'Organisational corporate functions' },
  { id: 'inspection_audit', label: 'Inspection and audit requirements' },
] as const;
