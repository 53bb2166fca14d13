import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, Platform } from '../../db/schema.ts';
import { getCustomerDetail } from '../core/customers/detail.ts';
import { searchCustomers } from '../core/customers/search.ts';
import { handOverCustomers } from '../core/handover/transfer.ts';
import type { OutboxItem } from '../core/outbound.ts';
import { canSeeCustomer } from '../core/permissions/scope.ts';
import { managedStaffIds } from '../core/permissions/staff-scope.ts';
import type { CoreDeps } from '../core/runtime.ts';
import { setTagByHand } from '../core/tags/manual.ts';
import { secretMatcher } from '../lib/safe-equal.ts';
import { listDeliveries } from '../queue/inbox.ts';
import { enqueue } from '../queue/outbox.ts';
import { digestRoutes } from './api-digests.ts';
import { reportRoutes } from './api-reports.ts';
import { apiViewer, contactsFor, requestViewer, viewerIn } from './api-viewer.ts';

export interface ApiDeps {
  db: Kysely<Database>;
  /** The core, for the writes the API offers (tags, handover). */
  core: CoreDeps;
  /** Called after sends or platform actions were queued, to wake the outbox. */
  onQueued: () => void;
  /** No token configured: the API does not exist (404), rather than being open. */
  apiToken: string | null;
  /** The staff member whose role and scope the token has; null: the token acts as an admin. */
  apiTokenStaff: { platform: Platform; userId: string } | null;
}

const customerQuery = z.object({
  q: z.string().trim().max(200).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  stage: z.string().trim().min(1).max(50).optional(),
  owner: z.union([z.literal('none'), z.coerce.number().int().positive()]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const inboxQuery = z.object({
  status: z.enum(['pending', 'done', 'failed']).default('failed'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const tagBody = z.object({ name: z.string().trim().min(1).max(50) });

const handoverBody = z.object({
  from: idParam,
  to: idParam,
  /** The handing-over staff member has left the company (离职继承). */
  resigned: z.boolean().default(false),
});

/** The integration API, behind `Authorization: Bearer $API_TOKEN`. Times are ISO 8601 strings. */
export function apiRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const tokenMatches = deps.apiToken ? secretMatcher(deps.apiToken) : null;
  app.use('*', async (c, next) => {
    if (!tokenMatches) return c.json({ error: 'not found' }, 404);
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
    if (!tokenMatches(token)) {
      return c.json({ error: 'unauthorized' }, 401, { 'www-authenticate': 'Bearer' });
    }
    const viewer = await apiViewer(deps.core, deps.apiTokenStaff);
    if (!viewer) return c.json({ error: 'the staff member API_TOKEN_STAFF names is not active staff' }, 403);
    c.set('apiViewer' as never, viewer as never);
    await next();
  });

  app.get('/customers', async (c) => {
    const parsed = customerQuery.safeParse(c.req.query());
    if (!parsed.success)
      return c.json({ error: 'invalid query', details: z.flattenError(parsed.error).fieldErrors }, 400);
    const v = requestViewer(c);
    const viewer = viewerIn(v);
    const found = await searchCustomers(deps.db, { ...parsed.data, ...(viewer ? { viewer } : {}) });
    const items = await contactsFor(deps.core, v, found, 'GET /api/customers');
    return c.json({
      items: items.map((i) => ({
        ...i,
        firstContactAt: iso(i.firstContactAt),
        lastContactAt: iso(i.lastContactAt),
      })),
    });
  });

  app.get('/customers/:id', async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: 'customer id must be a positive integer' }, 400);
    if (!(await visible(c, id.data))) return c.json({ error: 'no such customer' }, 404);
    const found = await getCustomerDetail(deps.db, id.data);
    if (!found) return c.json({ error: 'no such customer' }, 404);
    const [detail] = await contactsFor(deps.core, requestViewer(c), [found], 'GET /api/customers/:id');
    if (!detail) return c.json({ error: 'no such customer' }, 404);
    return c.json({
      ...detail,
      firstContactAt: iso(detail.firstContactAt),
      lastContactAt: iso(detail.lastContactAt),
      tags: detail.tags.map((t) => ({ ...t, at: iso(t.at) })),
      relations: detail.relations.map((r) => ({ ...r, lostAt: iso(r.lostAt) })),
      timeline: detail.timeline.map((t) =>
        t.type === 'message'
          ? { ...t, at: iso(t.at), editedAt: iso(t.editedAt), deletedAt: iso(t.deletedAt) }
          : { ...t, at: iso(t.at) },
      ),
    });
  });

  app.post('/customers/:id/tags', async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    const body = tagBody.safeParse(await c.req.json().catch(() => null));
    if (!id.success || !body.success)
      return c.json({ error: 'expected a customer id and {"name": "<tag>"}' }, 400);
    return setTag(c, id.data, body.data.name, true);
  });

  app.delete('/customers/:id/tags/:name', async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    const name = tagBody.shape.name.safeParse(c.req.param('name'));
    if (!id.success || !name.success) return c.json({ error: 'expected a customer id and a tag name' }, 400);
    return setTag(c, id.data, name.data, false);
  });

  /** A customer outside the token's scope does not exist, as far as the API says. */
  async function visible(c: Context, customerId: number): Promise<boolean> {
    const viewer = viewerIn(requestViewer(c));
    if (viewer) return canSeeCustomer(deps.db, viewer, customerId);
    return (
      (await deps.db.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst()) !==
      undefined
    );
  }

  /** The staff the token may act on (null: all). */
  const managed = (c: Context) => {
    const viewer = viewerIn(requestViewer(c));
    return viewer ? managedStaffIds(deps.db, viewer) : Promise.resolve(null);
  };

  async function setTag(c: Context, customerId: number, name: string, on: boolean) {
    if (!(await visible(c, customerId))) return c.json({ error: 'no such customer' }, 404);
    const actorStaffId = viewerIn(requestViewer(c))?.staffId;
    const key = `api:${crypto.randomUUID()}`;
    const { changed, actions } = await setTagByHand(
      deps.core,
      { customerId, name, on, actor: { kind: 'api', ...(actorStaffId ? { staffId: actorStaffId } : {}) } },
      key,
    );
    await queue(actions);
    return c.json({ changed, mirrored: actions.length });
  }

  app.post('/handover', async (c) => {
    const body = handoverBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success)
      return c.json({ error: 'expected {"from": <staff id>, "to": <staff id>, "resigned"?: boolean}' }, 400);
    const { from, to, resigned } = body.data;
    if (from === to) return c.json({ error: 'from and to are the same staff member' }, 400);
    const known = await deps.db.selectFrom('staff').select('id').where('id', 'in', [from, to]).execute();
    const allowed = await managed(c);
    if (known.length !== 2 || (allowed && !(allowed.includes(from) && allowed.includes(to))))
      return c.json({ error: 'no such staff member' }, 404);
    const outcome = await handOverCustomers(
      deps.core,
      { fromStaffId: from, toStaffId: to, resigned, actor: { kind: 'api' } },
      `api:${crypto.randomUUID()}`,
    );
    await queue(outcome.actions);
    return c.json({ reassigned: outcome.reassigned, platformTransfers: outcome.platformTransfers });
  });

  app.get('/staff', async (c) => {
    const allowed = await managed(c);
    let q = deps.db.selectFrom('staff').selectAll().orderBy('id');
    if (allowed) q = q.where('id', 'in', allowed);
    const staff = await q.execute();
    const identities = await deps.db
      .selectFrom('staff_identities')
      .select(['staff_id', 'platform', 'external_id'])
      .execute();
    return c.json({
      items: staff.map((s) => ({
        id: s.id,
        name: s.display_name,
        role: s.role,
        teamId: s.team_id,
        active: s.active === 1,
        identities: identities
          .filter((i) => i.staff_id === s.id)
          .map((i) => ({ platform: i.platform, externalId: i.external_id })),
      })),
    });
  });

  async function queue(items: OutboxItem[]) {
    if (items.length === 0) return;
    await enqueue(deps.db, items, deps.core.clock.now());
    deps.onQueued();
  }

  app.get('/inbox', async (c) => {
    const v = requestViewer(c);
    if (v.kind === 'staff' && v.viewer.role !== 'admin')
      return c.json({ error: 'deliveries are for admin tokens' }, 403);
    const parsed = inboxQuery.safeParse(c.req.query());
    if (!parsed.success)
      return c.json({ error: 'invalid query', details: z.flattenError(parsed.error).fieldErrors }, 400);
    const items = await listDeliveries(deps.db, parsed.data.status, parsed.data.limit);
    return c.json({ items: items.map((i) => ({ ...i, receivedAt: iso(i.receivedAt) })) });
  });

  app.route('/digests', digestRoutes(deps));
  app.route('/reports', reportRoutes(deps));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
