import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { findDefinition, knownDefinitions } from '../../survey-definitions/index.js';
import { definitionSummary } from '../../survey-definitions/definition-summary.js';
import { publicRoute } from '../http/route-declarations.js';
import { validationHook } from '../http/validation-hook.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import { refreshPublishedDefinitions } from '../storage/definition-store.js';

const definitionParams = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a definition id such as cswo-annual'),
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, 'expected a version number such as 2')
    .transform(Number),
});

/**
 * Published survey definitions, read-only: they are public, like the questionnaire itself. A version another
 * process published since this one read the store is found too (a count, or a look-up on a miss).
 */
export const definitionsApiRoutes = (db: Kysely<IdentifiableDatabase>) =>
  new Hono()
    // The definitions are public and hold no secret, so they are compressed with no more care (the pages'
    // compression takes care of their secrets: server/pages/page-compression.ts).
    .use('*', publicRoute(compress()))
    .get(
      '/',
      publicRoute(async (c: Context) => {
        await refreshPublishedDefinitions(db);
        // Only the bundled 2020 waves are named: which waves the store holds is for staff to see (the staff
        // pages check the role before they look a wave up), not for anyone who asks.
        return c.json({ definitions: knownDefinitions().map((d) => definitionSummary(d)) });
      }),
    )
    // Declared on its validator, which keeps the handler's typed parameters.
    .get('/:id/:version', publicRoute(zValidator('param', definitionParams, validationHook)), async (c) => {
      const ref = c.req.valid('param');
      // A count, not a reload: anyone may ask for a version that does not exist, as often as they like.
      if (!findDefinition(ref)) await refreshPublishedDefinitions(db);
      const definition = findDefinition(ref);
      if (!definition) return c.json({ error: `no published definition ${ref.id}@${ref.version}` }, 404);
      return c.json({ hash: definitionSummary(definition).hash, definition });
    });
