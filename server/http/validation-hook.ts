import type { Context } from 'hono';
import type { core } from 'zod';

/**
 * The `hook` of every zValidator: a request that fails its schema gets a 400 naming each field
 * and what was expected, never zod's raw output.
 */
export const validationHook = (result: { success: true } | { success: false; error: core.$ZodError }, c: Context) => {
  if (!result.success) {
    const problems = result.error.issues.map((i) => ({ field: i.path.join('.') || '(request)', message: i.message }));
    return c.json({ error: 'invalid request', problems }, 400);
  }
  return undefined;
};
