import type { Notice } from '../pages/send-page.js';
import { reopenLink } from '../pages/send-page.js';
import { resumePath, type PassCode } from './part-two-credential.js';

/**
 * The page "Leave the survey" lands on: how to come back to each part. From part one's pages it is the
 * same for everyone (the session side knows nothing of part two); from part two's, the browser's own
 * code is shown once more while part two is unsent, since nothing else can give it back.
 */
export const leftTheSurvey = (origin: string, partTwo?: PassCode): Notice => ({
  title: 'You have left the survey',
  paragraphs: [
    'This browser no longer holds your place in the survey. Your answers saved so far are kept.',
    `Part one: ${reopenLink.charAt(0).toLowerCase()}${reopenLink.slice(1)}`,
    partTwo
      ? 'Part two: to come back to it, here or on another device, enter your private part-two code, below, or open your private link. Keep the code: nobody can give it to you again.'
      : `Part two: if you have sent part one, come back to part two with the private part-two code you were shown then, at ${origin}${resumePath}.`,
  ],
  ...(partTwo ? { passCode: partTwo } : {}),
});
