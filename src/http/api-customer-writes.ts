import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { reachCustomer } from '../core/kernel/permissions/reach.ts';
import { createCustomer } from '../core/records/customers/create.ts';
import { editCustomer } from '../core/records/customers/edit.ts';
import { changeOwner, changeStage, ownerCheck } from '../core/records/customers/ownership-stage.ts';
import { checkPhone } from '../core/records/customers/values.ts';
import type { ApiDeps } from './api.ts';
import { customerSummary, queueItems, writeKey } from './api-requests.ts';
import {
  apiRouter,
  CustomerIdParams,
  CustomerSummary,
  errorAnswer,
  IdempotencyHeaders,
  jsonAnswer,
  jsonBody,
  TagName,
} from './api-schemas.ts';
import { requestActor, requestViewer, viewerIn } from './api-viewer.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const phone = z
  .string()
  .trim()
  .max(40)
  .superRefine((s, ctx) => {
    const checked = checkPhone(s);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason });
  })
  .openapi({ example: '+86 138 1234 5678' });
const staffId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The fields both writes take; `stage` is one of the organisation's stage keys. */
function customerFields(stageKeys: [string, ...string[]]) {
  return {
    company: text(200).nullable().optional(),
    phone: phone.nullable().optional(),
    email: z.email().max(200).nullable().optional(),
    stage: z.enum(stageKeys).optional(),
    owner: staffId
      .optional()
      .openapi({ description: 'A staff id the token manages (a rep token: its own).' }),
  };
}

const conflict = errorAnswer(
  'Another customer has this phone number (`id` names it when the token may see it)',
);

/** Creating and editing customers. */
export function customerWriteRoutes(deps: ApiDeps) {
  const app = apiRouter();
  const stageKeys = deps.core.org.stages.map((s) => s.key) as [string, ...string[]];
  const NewCustomer = z
    .strictObject({
      name: text(100),
      ...customerFields(stageKeys),
      tags: z.array(TagName).max(20).optional(),
    })
    .openapi('NewCustomer');
  const CustomerPatch = z
    .strictObject({ name: text(100).optional(), ...customerFields(stageKeys) })
    .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change')
    .openapi('CustomerPatch');

  const newCustomerRoute = createRoute({
    method: 'post',
    path: '/customers',
    tags: ['customers'],
    summary: 'Create a customer (refused when another customer has the same phone number)',
    request: { headers: IdempotencyHeaders, body: jsonBody(NewCustomer) },
    responses: {
      201: jsonAnswer(
        'The customer (the same one again for a retry with the same Idempotency-Key)',
        CustomerSummary,
      ),
      400: errorAnswer('A bad body, naming the field'),
      403: errorAnswer('The token may not give the customer this owner'),
      404: errorAnswer('The customer vanished right after it was written'),
      409: conflict,
    },
  });

  const patchRoute = createRoute({
    method: 'patch',
    path: '/customers/{id}',
    tags: ['customers'],
    summary: 'Change a customer’s name, company, phone, email (null clears), stage or owner',
    request: { params: CustomerIdParams, body: jsonBody(CustomerPatch) },
    responses: {
      200: jsonAnswer('The customer as it is now', CustomerSummary),
      400: errorAnswer('A bad body, naming the field'),
      403: errorAnswer('The token may not give the customer this owner'),
      404: errorAnswer('No such customer within the token’s scope'),
      409: conflict,
    },
  });

  app.openapi(newCustomerRoute, async (c) => {
    const body = c.req.valid('json');
    const outcome = await createCustomer(
      deps.core,
      {
        name: body.name,
        ...(body.company !== undefined ? { company: body.company } : {}),
        ...(body.phone !== undefined ? { phone: body.phone } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.stage ? { stage: body.stage } : {}),
        ownerStaffId: body.owner ?? null,
        ...(body.tags ? { tags: [...new Set(body.tags)] } : {}),
        source: 'api',
        actor: requestActor(c),
      },
      writeKey('customer', c.req.valid('header')['Idempotency-Key']),
    );
    if (outcome.kind === 'duplicate') return c.json(await duplicate(c, outcome.customerId), 409);
    if (outcome.kind !== 'created') return ownerRefused(c, outcome.kind);
    await queueItems(deps, outcome.actions);
    const created = await customerSummary(deps, c, outcome.customerId, 'POST /api/customers');
    if (!created) return c.json({ error: 'no such customer' }, 404);
    return c.json(created, 201);
  });

  app.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const actor = requestActor(c);
    const customer = await reachCustomer(deps.db, actor, id);
    if (!customer) return c.json({ error: 'no such customer' }, 404);
    const { stage, owner, ...fields } = c.req.valid('json');
    // Checked before the first step, so a refused owner leaves the other fields unwritten too.
    const check = owner === undefined ? 'ok' : await ownerCheck(deps.core, actor, owner);
    if (check !== 'ok') return ownerRefused(c, check);
    const edited = await editCustomer(deps.core, { customer, fields });
    if (edited.kind === 'unknown') return c.json({ error: 'no such customer' }, 404);
    if (edited.kind === 'duplicate') return c.json(await duplicate(c, edited.customerId), 409);
    const key = writeKey('patch', undefined);
    if (stage) await changeStage(deps.core, { customer, stage }, key);
    if (owner) await changeOwner(deps.core, { customer, ownerStaffId: owner }, key);
    const now = await customerSummary(deps, c, id, 'PATCH /api/customers/:id');
    if (!now) return c.json({ error: 'no such customer' }, 404);
    return c.json(now, 200);
  });

  /** The existing customer's id only when the token may see it: otherwise its existence is all that is said. */
  async function duplicate(c: Context, customerId: number) {
    const shown = (await reachCustomer(deps.db, requestActor(c), customerId)) !== null;
    return {
      error: 'a customer with this phone number exists',
      field: 'phone',
      ...(shown ? { id: customerId } : {}),
    };
  }

  return app;
}

/** The answer to a refused owner, as the chat's `/assign` words it. */
function ownerRefused(c: Context, why: 'owner_out_of_reach' | 'owner_inactive') {
  if (why === 'owner_inactive')
    return c.json({ error: 'owner is not an active staff member', field: 'owner' }, 400);
  const rep = viewerIn(requestViewer(c))?.role === 'rep';
  const error = rep
    ? 'a rep may only assign customers to themselves'
    : 'the owner must be staff the token’s staff member manages';
  return c.json({ error, field: 'owner' }, 403);
}
