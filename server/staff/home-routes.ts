import StaffHomePage from '../../web/staff/StaffHomePage.svelte';
import { sendPage } from '../pages/send-page.js';
import { allStaff, staffAreas } from './staff-access.js';
import { staffPaths, type StaffRouteDependencies } from './staff-context.js';
import { accountOf } from './staff-pages.js';
import { mountStaffRoutes } from './staff-route-table.js';

/** `/staff`: the staff home page, listing what the signed-in role may do. */
export const staffHomeRoutes = (deps: StaffRouteDependencies) =>
  mountStaffRoutes(deps, [
    {
      method: 'GET',
      path: staffPaths.home,
      roles: allStaff,
      handler: (c) => {
        const role = c.get('staff').user.role;
        return sendPage(c, StaffHomePage, {
          account: accountOf(c, deps.key)!,
          areas: staffAreas.filter((a) => a.roles.includes(role)).map(({ title, description, href }) => ({ title, description, href })),
        });
      },
    },
  ]);
