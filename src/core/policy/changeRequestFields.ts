// The change record's well-known fields and their titles: the schema accepts them and the checklist
// names them. Apart from the schema so that the checklist does not load zod.
export const CHANGE_REQUEST_FIELDS = {
  description: 'Description of the change',
  category: 'Change category',
  'deployment-plan': 'Deployment plan',
  'rollback-plan': 'Rollback plan',
  'risk-assessment': 'Risk assessment',
  'test-plan': 'Test plan',
  'post-implementation-review': 'Post-implementation review',
  /** An ISO date and time (e.g. 2026-12-03T14:00Z): the change calendar places the change there. */
  'deployment-time': 'Planned deployment time',
} as const;
