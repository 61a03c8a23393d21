import type { Component } from 'svelte';
import type { ItemKind } from '../../survey-definitions/index.js';
import EmailQuestion from '../../survey-definitions/kinds/EmailQuestion.svelte';
import MatrixChoiceQuestion from '../../survey-definitions/kinds/MatrixChoiceQuestion.svelte';
import MatrixNumberQuestion from '../../survey-definitions/kinds/MatrixNumberQuestion.svelte';
import MatrixRatingQuestion from '../../survey-definitions/kinds/MatrixRatingQuestion.svelte';
import MultiQuestion from '../../survey-definitions/kinds/MultiQuestion.svelte';
import NumberQuestion from '../../survey-definitions/kinds/NumberQuestion.svelte';
import RatingQuestion from '../../survey-definitions/kinds/RatingQuestion.svelte';
import SingleQuestion from '../../survey-definitions/kinds/SingleQuestion.svelte';
import TextQuestion from '../../survey-definitions/kinds/TextQuestion.svelte';

/** The Svelte component of each question kind, kept beside its kind module in survey-definitions/kinds. */
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
