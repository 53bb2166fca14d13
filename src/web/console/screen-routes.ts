import type { Hono } from 'hono';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import type { WebEnv } from '../session.ts';

/**
 * The JSON routes of the console's screens, by the path they are mounted at under /app/api/console (behind the
 * session, CSRF and managers-only checks of console-routes.ts). One file per screen, named after it.
 */
export const screenRoutes: Record<string, (core: CoreDeps) => Hono<WebEnv>> = {};
