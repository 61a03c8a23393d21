/** The respondent's private part-two code as the pages show it: the code, where to type it, and the private link. */
export interface PassCode {
  readonly code: string;
  readonly resumeAddress: string;
  readonly privateLink: string;
}
