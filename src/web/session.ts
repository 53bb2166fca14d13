import type { Context } from 'hono';
import { type Actor, staffActor } from '../core/kernel/permissions/actor.ts';
import { viewerOf } from '../core/kernel/permissions/scope.ts';
import type { WebSession } from '../core/records/staff/web-sessions.ts';

/** What the web app's routes keep on a request: the session, once the session middleware found one. */
export type WebEnv = { Variables: { webSession: WebSession; webToken: string } };

/**
 * The signed-in staff member as core functions take them: their role and data scope as stored now (a role change
 * applies at the next request), audited as coming through `web`. Pages call the same core functions as chat commands.
 */
export const webActor = (session: WebSession): Actor => staffActor(viewerOf(session.staff), 'web');

/** The session of a request that passed `requireSession`. */
export const requestSession = (c: Context<WebEnv>): WebSession => c.get('webSession');
