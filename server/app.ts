import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { definitionsRoutes } from './routes/definitions-routes.js';
import type { Stores } from './storage/open-stores.js';

export interface AppDependencies {
  readonly stores: Stores;
  /** Where unexpected errors are reported; never the response. */
  readonly logError?: (message: string) => void;
}

export const createApp = ({ logError = (m) => console.error(m) }: AppDependencies) => {
  const app = new Hono();
  app.route('/api/definitions', definitionsRoutes);
  app.notFound((c) => c.json({ error: `no such page: ${c.req.method} ${c.req.path}` }, 404));
  // The only place errors become responses: a user sees a short message, never a stack trace.
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: error.message || 'request refused' }, error.status);
    // Method and path only: a request body may hold survey answers, which must not reach a log.
    logError(`unexpected error on ${c.req.method} ${c.req.path}: ${error.name}`);
    return c.json({ error: 'something went wrong on our side; nothing you sent was stored' }, 500);
  });
  return app;
};
