import { Hono } from 'hono';
import { staffPaths, type StaffRouteDependencies } from '../staff/staff-context.js';
import { mountStaffRoutes } from '../staff/staff-route-table.js';
import { definitionsApiRoutes } from './definitions-api-routes.js';
import { previewPages } from './preview-pages.js';

/**
 * Survey definitions: the published versions as JSON for anyone (`/api/definitions`, like the questionnaire
 * itself), and for admins and analysts the list and a preview of each (`/staff/definitions`).
 */
export const definitionsRoutes = (deps: StaffRouteDependencies) => {
  const preview = previewPages(deps);
  const readers = ['admin', 'analyst'] as const;
  return new Hono().route('/api/definitions', definitionsApiRoutes).route(
    '/',
    mountStaffRoutes(deps, [
      { method: 'GET', path: staffPaths.definitions, roles: readers, handler: preview.list },
      { method: 'GET', path: staffPaths.definitionPreview, roles: readers, handler: preview.start },
      { method: 'GET', path: staffPaths.definitionPreviewEnd, roles: readers, handler: preview.end },
      { method: 'GET', path: staffPaths.definitionPreviewSection, roles: readers, handler: preview.section },
      { method: 'POST', path: staffPaths.definitionPreviewSection, roles: readers, handler: preview.check },
    ]),
  );
};
