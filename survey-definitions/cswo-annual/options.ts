/** Answer lists used by more than one item. */
export const yesNo = [
  { code: 'yes', label: 'Yes' },
  { code: 'no', label: 'No' },
] as const;
