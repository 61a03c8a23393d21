/**
 * One problem with a form, as every page tells it (GOV.UK / SG pattern): the error summary lists each
 * message and links to its field (`#field`), and the field shows the same message inline.
 */
export interface FieldProblem {
  /** The id of the field the message belongs to (and links to). */
  readonly field: string;
  readonly message: string;
  /** A survey answer's path (its CSV column, `pressure.children`) when the field id differs from it. */
  readonly path?: string;
}
