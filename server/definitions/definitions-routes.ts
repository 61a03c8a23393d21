import { Hono } from 'hono';
import { staffPaths, type StaffRouteDependencies } from '../staff/staff-context.js';
import { mountStaffRoutes } from '../staff/staff-route-table.js';
import { definitionAuditAction } from '../storage/definition-store.js';
import { definitionPages } from './definition-pages.js';
import { definitionsApiRoutes } from './definitions-api-routes.js';
import { previewPages } from './preview-pages.js';

/**
 * Survey definitions: the published versions as JSON for anyone (`/api/definitions`, like the questionnaire
 * itself); for admins and analysts the list and a preview of each version; for admins the upload that checks
 * a new version, keeps it as a draft to read and preview, and publishes it.
 */
export const definitionsRoutes = (deps: StaffRouteDependencies) => {
  const pages = definitionPages(deps);
  const published = previewPages(deps, pages.publishedSource);
  const uploaded = previewPages(deps, pages.draftSource);
  const readers = ['admin', 'analyst'] as const;
  const admin = ['admin'] as const;
  return new Hono().route('/api/definitions', definitionsApiRoutes(deps.stores.identifiable)).route(
    '/',
    mountStaffRoutes(deps, [
      { method: 'GET', path: staffPaths.definitions, roles: readers, handler: pages.list },
      { method: 'GET', path: staffPaths.definitionPublish, roles: admin, handler: pages.uploadForm },
      { method: 'POST', path: staffPaths.definitionPublish, roles: admin, handler: pages.upload },
      { method: 'GET', path: staffPaths.definitionDraft, roles: admin, handler: pages.draft },
      { method: 'POST', path: staffPaths.definitionDraft, roles: admin, audit: [definitionAuditAction], handler: pages.publish },
      { method: 'GET', path: staffPaths.definitionPreview, roles: readers, handler: published.start },
      { method: 'GET', path: staffPaths.definitionPreviewEnd, roles: readers, handler: published.end },
      { method: 'GET', path: staffPaths.definitionPreviewSection, roles: readers, handler: published.section },
      { method: 'POST', path: staffPaths.definitionPreviewSection, roles: readers, handler: published.check },
      // An upload's preview: the admin who uploaded it can send its address to an analyst to read it too.
      { method: 'GET', path: staffPaths.draftPreview, roles: readers, handler: uploaded.start },
      { method: 'GET', path: staffPaths.draftPreviewEnd, roles: readers, handler: uploaded.end },
      { method: 'GET', path: staffPaths.draftPreviewSection, roles: readers, handler: uploaded.section },
      { method: 'POST', path: staffPaths.draftPreviewSection, roles: readers, handler: uploaded.check },
    ]),
  );
};
