import type { Component } from 'svelte';
import EmailQuestion from './email/EmailQuestion.svelte';
import type { ItemKind } from './kind-registry.js';
import MatrixChoiceQuestion from './matrix-choice/MatrixChoiceQuestion.svelte';
import MatrixNumberQuestion from './matrix-number/MatrixNumberQuestion.svelte';
import MatrixRatingQuestion from './matrix-rating/MatrixRatingQuestion.svelte';
import MultiQuestion from './multi/MultiQuestion.svelte';
import NumberQuestion from './number/NumberQuestion.svelte';
import RatingQuestion from './rating/RatingQuestion.svelte';
import SingleQuestion from './single/SingleQuestion.svelte';
import TextQuestion from './text/TextQuestion.svelte';

/**
 * The form component of each question kind, from the kind's folder, keyed by the registry's kinds so a
 * kind without a component does not compile. Apart from kind-registry.ts so that code which only checks,
 * reads or writes answers (the CSV import, analysis, the command line) never loads Svelte.
 */
export const questionComponents: { readonly [K in ItemKind]: Component<any> } = {
  single: SingleQuestion,
  multi: MultiQuestion,
  rating: RatingQuestion,
  number: NumberQuestion,
  text: TextQuestion,
  email: EmailQuestion,
  'matrix-choice': MatrixChoiceQuestion,
  'matrix-number': MatrixNumberQuestion,
  'matrix-rating': MatrixRatingQuestion,
};
