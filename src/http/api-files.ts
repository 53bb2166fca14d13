import { createRoute, z } from '@hono/zod-openapi';
import { Hono } from 'hono';
import {
  FILE_LINK_TTL_MS,
  type KeptFile,
  linkMessageFile,
  openFileLink,
} from '../core/conversations/file-links.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import type { ApiDeps } from './api.ts';
import { apiRouter, errorAnswer, idSchema } from './api-schemas.ts';
import { requestActor } from './api-viewer.ts';

const MessageIdParams = z.object({
  id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 42 }),
});

const fileRoute = createRoute({
  method: 'get',
  path: '/messages/{id}/file',
  tags: ['customers'],
  summary: `A link to the file a message carries, as Liaison keeps it (valid ${FILE_LINK_TTL_MS / 60_000} minutes)`,
  description:
    'Answers 302 to a signed `/files/<token>` link that serves the file once fetched from the platform (`file.status` ' +
    '`stored` on the timeline entry), as an attachment. Only for a message of a customer in the token’s scope.',
  request: { params: MessageIdParams },
  responses: {
    302: {
      description: 'The signed link, in `Location`',
      headers: z.object({ location: z.string().openapi({ example: '/files/42.1772418000.q3…' }) }),
    },
    404: errorAnswer(
      'No such message in scope, or its file is not kept (`status` says why, when there is one)',
    ),
  },
});

/** `GET /api/messages/{id}/file`: the scope check, audited, then a short-lived signed link to the kept file. */
export function messageFileRoutes(deps: ApiDeps) {
  const app = apiRouter();
  app.openapi(fileRoute, async (c) => {
    const secret = deps.apiToken;
    if (!secret) return c.json({ error: 'not found' }, 404);
    const linked = await linkMessageFile(deps.core, requestActor(c), c.req.valid('param').id, secret);
    if (linked.kind === 'missing') return c.json({ error: 'no such message' }, 404);
    if (linked.kind === 'not_kept')
      return c.json(
        {
          error: 'the file is not kept',
          ...(linked.file ? { details: { status: linked.file.status } } : {}),
        },
        404,
      );
    return c.body(null, 302, { location: `/files/${linked.token}`, 'cache-control': 'no-store' });
  });
  return app;
}

/**
 * `GET /files/<token>`: the kept file a signed link names, while the link is valid (no bearer token: the link is the
 * credential, short-lived and bound to one message). Served as an attachment with its stored type, never sniffed.
 */
export function fileLinkRoutes(deps: { core: CoreDeps; apiToken: string | null }): Hono {
  const app = new Hono();
  app.get('/:token', async (c) => {
    const secret = deps.apiToken;
    const file = secret ? await openFileLink(deps.core, c.req.param('token'), secret) : null;
    if (!file) return c.text('not found', 404, { 'cache-control': 'no-store' });
    return c.body(new Uint8Array(file.bytes), 200, keptFileHeaders(file));
  });
  return app;
}

/** How a kept file is served: a download with its stored type, never sniffed, never rendered as a page, never cached. */
export function keptFileHeaders(file: KeptFile): Record<string, string> {
  return {
    'content-type': file.contentType,
    'content-length': String(file.bytes.byteLength),
    'content-disposition': contentDisposition(file.name),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-store',
  };
}

/** `attachment` with an ASCII fallback name and the real one (customer text) encoded per RFC 5987. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\;]/g, '_').trim() || 'file';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
