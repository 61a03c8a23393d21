import { Hono } from 'hono';
import { invitationRoutes } from './invitation-routes.js';
import { partTwoRoutes } from './part-two-routes.js';
import type { RespondentDependencies } from './respondent-context.js';
import { surveyRoutes } from './survey-routes.js';

/**
 * The survey as a CSWO answers it: the invitation link (`/i`), part one behind the session the link starts
 * (`/survey`) and part two behind its pass (`/part-two`). Each route declares what opens it where it is
 * mounted (server/http/route-declarations.ts).
 */
export const respondentRoutes = (deps: RespondentDependencies) =>
  new Hono().route('/i', invitationRoutes(deps)).route('/survey', surveyRoutes(deps)).route('/part-two', partTwoRoutes(deps));
