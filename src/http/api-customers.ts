import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { languageOfHeader } from '../core/kernel/i18n/index.ts';
import { actorMayUnmask } from '../core/kernel/permissions/contacts-shown.ts';
import { reachCustomer } from '../core/kernel/permissions/reach.ts';
import { readableMessage } from '../core/kernel/readable-message.ts';
import { getCustomerDetail } from '../core/records/customers/detail.ts';
import { searchCustomers } from '../core/records/customers/search.ts';
import type { ApiDeps } from './api.ts';
import {
  apiRouter,
  CustomerIdParams,
  CustomerSummary,
  errorAnswer,
  isoOrNull,
  isoTime,
  jsonAnswer,
  PlatformSchema,
} from './api-schemas.ts';
import { actorOf, contactsFor, requestViewer, viewerIn } from './api-viewer.ts';

const CustomerQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({ description: 'Name, company, phone digits, or `#id`.' }),
  tag: z.string().trim().min(1).max(100).optional(),
  stage: z.string().trim().min(1).max(50).optional(),
  owner: z
    .union([z.literal('none'), z.coerce.number().int().positive()])
    .optional()
    .openapi({ description: 'A staff id, or `none` for the unowned pool.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const time = z.string().openapi({ format: 'date-time' });
const timeOrNull = time.nullable();

const TimelineMessage = z.object({
  type: z.literal('message'),
  id: z
    .number()
    .int()
    .openapi({ description: 'The message id; `GET /api/messages/{id}/file` serves its kept file.' }),
  at: time,
  direction: z.enum(['in', 'out']),
  platform: PlatformSchema,
  chat: z.object({ kind: z.string(), title: z.string().nullable() }),
  author: z.object({ kind: z.enum(['customer', 'staff', 'bot']), name: z.string().nullable() }),
  contentType: z.string(),
  text: z.string(),
  editedAt: timeOrNull,
  deletedAt: timeOrNull,
  attachment: z.object({ type: z.string(), key: z.string(), name: z.string().optional() }).nullable(),
  content: z
    .looseObject({ kind: z.string() })
    .nullable()
    .openapi({
      description:
        'What the message carries beyond `text`: `photo`, `video`/`voice` (`seconds`), `file` (`name`, `size`, `mimeType`), `sticker` (`emoji`), `location` (`latitude`, `longitude`, `name`, `address`), `contact` (`name`, `phone`), `poll` (`question`, `options`), `story`, `link` (`title`, `url`, `description`), `mini_program`, `card` (`title`, `text`), `forwarded` (`items`: `from`, `text`, `at`), `post` (`title`, `images`), `unsupported` (`type`). Masked like `text`.',
      example: { kind: 'file', name: 'quote.pdf', size: 52_000 },
    }),
  file: z
    .object({
      status: z.enum(['pending', 'stored', 'failed', 'refused']),
      size: z.number().int().nullable(),
      contentType: z.string().nullable(),
    })
    .nullable()
    .openapi({
      description:
        'The file the message carries, as Liaison keeps it: `stored` (download it through `GET /api/messages/{id}/file`), `pending` (to fetch), `failed` (the platform gave none) or `refused` (too large, or not an allowed type). Null: no file.',
      example: { status: 'stored', size: 52_000, contentType: 'application/pdf' },
    }),
  readable: z.string().openapi({
    description:
      'The message as `/show` and relays show it, in the language of `Accept-Language` (Chinese by default): the kind in brackets with what identifies it, then the text.',
    example: '[文件] quote.pdf (50.8 KB) 请看报价',
  }),
});

const TimelineEvent = z.object({
  type: z.literal('event'),
  at: time,
  kind: z.string().openapi({ example: 'owner_changed' }),
  platform: PlatformSchema.nullable(),
  actor: z.string().nullable(),
  detail: z.record(z.string(), z.any()).nullable(),
});

const Source = z
  .object({
    code: z.string(),
    name: z.string().nullable(),
    kind: z.string().nullable(),
    platform: PlatformSchema,
    at: time,
    referrerCustomerId: z.number().int().nullable(),
  })
  .nullable();

const CustomerDetail = CustomerSummary.omit({ tags: true })
  .extend({
    source: z.string().nullable(),
    sources: z
      .object({ first: Source, latest: Source })
      .openapi({ description: 'The first and latest channel code (渠道活码) the customer came through.' }),
    doNotContact: z
      .boolean()
      .openapi({ description: 'The customer asked not to be contacted: no outreach.' }),
    identities: z.array(
      z.object({
        platform: PlatformSchema,
        workspace: z.string(),
        externalId: z.string(),
        displayName: z.string().nullable(),
        username: z.string().nullable(),
      }),
    ),
    tags: z.array(
      z.object({
        name: z.string(),
        source: z.enum(['manual', 'rule', 'llm']),
        sourceRef: z.string().nullable(),
        confidence: z.number().nullable(),
        actor: z.string().nullable(),
        at: time,
      }),
    ),
    relations: z.array(
      z.object({
        platform: PlatformSchema,
        member: z.string(),
        staff: z.string().nullable(),
        status: z.enum(['active', 'lost']),
        remark: z.string().nullable(),
        lostAt: timeOrNull,
        lostReason: z.string().nullable(),
      }),
    ),
    timeline: z.array(z.discriminatedUnion('type', [TimelineMessage, TimelineEvent])),
  })
  .openapi('CustomerDetail');

const listRoute = createRoute({
  method: 'get',
  path: '/customers',
  tags: ['customers'],
  summary: 'Customers matching every filter, most recently in contact first',
  request: { query: CustomerQuery },
  responses: {
    200: jsonAnswer('The customers', z.object({ items: z.array(CustomerSummary) })),
    400: errorAnswer('A bad query'),
  },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/customers/{id}',
  tags: ['customers'],
  summary: 'One customer with identities, tags, contact relations and the timeline',
  request: { params: CustomerIdParams },
  responses: {
    200: jsonAnswer('The customer', CustomerDetail),
    400: errorAnswer('A bad id'),
    404: errorAnswer('No such customer within the token’s scope'),
  },
});

/** Reading customers: the list with filters, and one customer in full. */
export function customerReadRoutes(deps: ApiDeps) {
  const app = apiRouter();

  app.openapi(listRoute, async (c) => {
    const v = requestViewer(c);
    const viewer = viewerIn(v);
    const found = await searchCustomers(deps.db, { ...c.req.valid('query'), ...(viewer ? { viewer } : {}) });
    const items = await contactsFor(deps.core, v, found, 'GET /api/customers');
    return c.json(
      {
        items: items.map((i) => ({
          ...i,
          firstContactAt: isoTime(i.firstContactAt),
          lastContactAt: isoOrNull(i.lastContactAt),
        })),
      },
      200,
    );
  });

  app.openapi(detailRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await visible(c, id))) return c.json({ error: 'no such customer' }, 404);
    const v = requestViewer(c);
    const lang = languageOfHeader(c.req.header('accept-language'));
    const found = await getCustomerDetail(deps.db, id, { unmask: actorMayUnmask(actorOf(v)) });
    if (!found) return c.json({ error: 'no such customer' }, 404);
    const textUnmasked = found.textUnmasked ? [id] : [];
    const [detail] = await contactsFor(deps.core, v, [found.detail], 'GET /api/customers/:id', textUnmasked);
    if (!detail) return c.json({ error: 'no such customer' }, 404);
    return c.json(
      {
        ...detail,
        firstContactAt: isoTime(detail.firstContactAt),
        lastContactAt: isoOrNull(detail.lastContactAt),
        sources: {
          first: detail.sources.first && { ...detail.sources.first, at: isoTime(detail.sources.first.at) },
          latest: detail.sources.latest && {
            ...detail.sources.latest,
            at: isoTime(detail.sources.latest.at),
          },
        },
        tags: detail.tags.map((t) => ({ ...t, at: isoTime(t.at) })),
        relations: detail.relations.map((r) => ({ ...r, lostAt: isoOrNull(r.lostAt) })),
        timeline: detail.timeline.map((t) =>
          t.type === 'message'
            ? {
                ...t,
                at: isoTime(t.at),
                editedAt: isoOrNull(t.editedAt),
                deletedAt: isoOrNull(t.deletedAt),
                readable: readableMessage(t, lang),
              }
            : { ...t, at: isoTime(t.at) },
        ),
      },
      200,
    );
  });

  /** A customer outside the token's scope does not exist, as far as the API says (an admin token reads merged ones). */
  async function visible(c: Context, customerId: number): Promise<boolean> {
    const viewer = viewerIn(requestViewer(c));
    const reached = await reachCustomer(deps.db, actorOf(requestViewer(c)), customerId, {
      mergedAway: !viewer,
    });
    return reached !== null;
  }

  return app;
}
