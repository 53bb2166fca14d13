import { type Context, Hono } from 'hono';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import { changeQuickReply, quickReplyOwners } from '../../core/records/quick-replies/change.ts';
import { listQuickReplies, type QuickReply } from '../../core/records/quick-replies/quick-replies.ts';
import { removeQuickReply, saveQuickReply } from '../../core/records/quick-replies/store.ts';
import { requestSession, type WebEnv, webActor } from '../session.ts';

type Refusal = 'not_allowed' | 'no_team' | 'unknown' | 'ambiguous' | 'unknown_team' | string;

/** How a refusal of the core reads to the page: its status and the field it is about. */
const REFUSALS: Record<string, { status: 400 | 403 | 404 | 409 | 422; field?: string }> = {
  not_allowed: { status: 403 },
  no_team: { status: 403 },
  unknown: { status: 404 },
  ambiguous: { status: 404 },
  unknown_team: { status: 400, field: 'teamId' },
  invalid_key: { status: 400, field: 'key' },
  empty: { status: 400, field: 'text' },
  too_long: { status: 400, field: 'text' },
  key_taken: { status: 409, field: 'key' },
  key_reused: { status: 422, field: 'idempotency-key' },
};

/**
 * The quick replies screen (client/console/quick-replies.tsx): the library the manager sends from, where they may
 * add, and adding, editing and removing one — the chat's `/quick` with the same team rules.
 */
export function quickReplyRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const actorOf = (c: Context<WebEnv>) => webActor(requestSession(c));
  const requestKey = (c: Context<WebEnv>) =>
    `web:quick-reply:${c.req.header('idempotency-key') ?? crypto.randomUUID()}`;
  const refused = (c: Context<WebEnv>, reason: Refusal) => {
    const r = REFUSALS[reason] ?? { status: 400 };
    return c.json({ error: reason, ...(r.field ? { field: r.field } : {}) }, r.status);
  };

  app.get('/', async (c) => c.json({ items: (await listQuickReplies(core.db, actorOf(c))).map(shown) }));

  app.get('/owners', async (c) => c.json(await quickReplyOwners(core, actorOf(c))));

  app.post('/', async (c) => {
    const body = await form(c);
    if (!body) return c.json({ error: 'say the key and the text', field: 'key' }, 400);
    const { teamId, ...text } = body;
    const outcome = await saveQuickReply(
      core,
      actorOf(c),
      { ...text, ...(teamId === undefined ? {} : { teamId }) },
      requestKey(c),
    );
    if (!outcome.ok) return refused(c, outcome.reason);
    return c.json({ ...shown(outcome.quickReply), created: outcome.created }, outcome.created ? 201 : 200);
  });

  app.put('/:id{[0-9]{1,15}}', async (c) => {
    const body = await form(c);
    if (!body) return c.json({ error: 'say the key and the text', field: 'key' }, 400);
    const { key, text } = body;
    const outcome = await changeQuickReply(
      core,
      actorOf(c),
      Number(c.req.param('id')),
      { key, text },
      requestKey(c),
    );
    if (!outcome.ok) return refused(c, outcome.reason);
    return c.json({ ...shown(outcome.quickReply), changed: outcome.changed });
  });

  app.delete('/:id{[0-9]{1,15}}', async (c) => {
    const outcome = await removeQuickReply(core, actorOf(c), { id: Number(c.req.param('id')) });
    if (!outcome.ok) return refused(c, outcome.reason);
    return c.json({ deleted: true, id: outcome.quickReply.id });
  });

  return app;
}

/** The key, text and team (null: the organisation) of a form, of a sane size (the core checks what they may be). */
async function form(
  c: Context<WebEnv>,
): Promise<{ key: string; text: string; teamId?: number | null } | null> {
  const b = (await c.req.json().catch(() => null)) as {
    key?: unknown;
    text?: unknown;
    teamId?: unknown;
  } | null;
  if (typeof b?.key !== 'string' || typeof b.text !== 'string') return null;
  if (b.key.length > 100 || b.text.length > 10_000) return null;
  const teamId = b.teamId === null ? null : Number.isSafeInteger(b.teamId) ? Number(b.teamId) : undefined;
  return { key: b.key, text: b.text, ...(teamId === undefined ? {} : { teamId }) };
}

const shown = (q: QuickReply) => ({
  id: q.id,
  key: q.key,
  text: q.text,
  team: q.teamId === null ? null : { id: q.teamId, name: q.teamName },
  updatedAt: new Date(q.updatedAt).toISOString(),
});
