import { Hono } from 'hono';
import StaffHomePage from '../../web/staff/StaffHomePage.svelte';
import { allStaff, staffAreas } from './staff-access.js';
import { sendPage } from '../pages/send-page.js';
import type { StaffEnv, StaffRouteDependencies } from './staff-context.js';
import { accountOf } from './staff-pages.js';

/** `/staff`: the staff home page, listing what the signed-in role may do. */
export const staffHomeRoutes = ({ key, requireRole }: StaffRouteDependencies) =>
  new Hono<StaffEnv>().get('/', requireRole(...allStaff), (c) => {
    const role = c.get('staff').user.role;
    return sendPage(c, StaffHomePage, {
      account: accountOf(c, key)!,
      areas: staffAreas.filter((a) => a.roles.includes(role)).map(({ title, description, href }) => ({ title, description, href })),
    });
  });
