import type { Hono } from 'hono';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import type { WebEnv } from '../session.ts';
import { auditScreenRoutes } from './audit-routes.ts';
import { campaignRoutes } from './campaign-routes.ts';
import { channelRoutes } from './channel-routes.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { importRoutes } from './import-routes.ts';
import { quickReplyRoutes } from './quick-reply-routes.ts';
import { segmentScreenRoutes } from './segment-routes.ts';
import { sopRoutes } from './sop-routes.ts';
import { staffScreenRoutes } from './staff-routes.ts';

/**
 * The JSON routes of the console's screens, by the path they are mounted at under /app/api/console (behind the
 * session, CSRF and managers-only checks of console-routes.ts). One file per screen, named after it.
 */
export const screenRoutes: Record<string, (core: CoreDeps) => Hono<WebEnv>> = {
  '/campaigns': campaignRoutes,
  '/sops': sopRoutes,
  '/staff': staffScreenRoutes,
  '/segments': segmentScreenRoutes,
  '/audit': auditScreenRoutes,
  '/channels': channelRoutes,
  '/quick-replies': quickReplyRoutes,
  '/dashboard': dashboardRoutes,
  '/import': importRoutes,
};
