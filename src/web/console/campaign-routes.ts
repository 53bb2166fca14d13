import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import { approveCampaign, rejectCampaign, submitCampaign } from '../../core/marketing/campaigns/approval.ts';
import { reachedOf } from '../../core/marketing/campaigns/campaigns.ts';
import {
  type ReviewedCampaign,
  reviewCampaigns,
  reviewPreview,
} from '../../core/marketing/campaigns/review.ts';
import { enqueue } from '../../queue/outbox.ts';
import { requestSession, type WebEnv, webActor } from '../session.ts';

/** WeCom's mass-send takes at most 4000 bytes of text, as the API checks. */
const MAX_TEXT_BYTES = 4000;
const key = z.string().trim().min(8).max(100).optional();

const NewCampaign = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((n) => !/^#?\d+$/.test(n), 'may not be a number'),
  segment: z.number().int().positive(),
  text: z
    .string()
    .trim()
    .min(1)
    .refine((t) => new TextEncoder().encode(t).length <= MAX_TEXT_BYTES, `at most ${MAX_TEXT_BYTES} bytes`),
  link: z
    .strictObject({
      title: z.string().trim().min(1).max(128),
      url: z.url({ protocol: /^https?$/ }).max(2048),
    })
    .optional(),
  holdoutPct: z.number().int().min(0).max(50).optional(),
  sendAt: z.iso.datetime({ offset: true }).optional(),
  key,
});

const Decision = z.strictObject({ key });
const Rejection = z.strictObject({ reason: z.string().trim().min(1).max(500), key });

/**
 * The campaigns screen (client/console/campaigns.tsx): the campaigns in the actor's reach with progress and approval,
 * setting one up (it waits for approval), its preview, and approving or rejecting it.
 */
export function campaignRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const actorOf = (c: Context<WebEnv>) => webActor(requestSession(c));
  const idOf = (c: Context<WebEnv>) => {
    const id = Number(c.req.param('id'));
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  };

  app.get('/', async (c) => {
    const rows = await reviewCampaigns(core, actorOf(c));
    if (rows === null) return c.json({ error: 'campaigns are for managers and above' }, 403);
    return c.json({ items: rows.map(shown) });
  });

  app.post('/', async (c) => {
    const parsed = NewCampaign.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return badBody(c, parsed.error);
    const b = parsed.data;
    const outcome = await submitCampaign(
      core,
      actorOf(c),
      {
        name: b.name,
        segment: `#${b.segment}`,
        text: b.text,
        ...(b.link ? { link: b.link } : {}),
        ...(b.holdoutPct === undefined ? {} : { holdoutPct: b.holdoutPct }),
        ...(b.sendAt ? { sendAt: Date.parse(b.sendAt) } : {}),
      },
      `web:campaign-submit:${requestSession(c).staff.id}:${b.key ?? crypto.randomUUID()}`,
    );
    if (!outcome.ok)
      return c.json(
        { error: outcome.error, ...(outcome.field ? { field: outcome.field } : {}) },
        outcome.status,
      );
    const row = (await reviewCampaigns(core, actorOf(c)))?.find((r) => r.campaign.id === outcome.campaign.id);
    return c.json(row ? shown(row) : { id: outcome.campaign.id }, 201);
  });

  app.get('/:id/preview', async (c) => {
    const id = idOf(c);
    const preview = id === null ? null : await reviewPreview(core, actorOf(c), id);
    if (!preview) return c.json({ error: 'no such campaign' }, 404);
    return c.json({ campaign: id, ...preview });
  });

  app.post('/:id/approve', async (c) => {
    const id = idOf(c);
    const parsed = Decision.safeParse((await c.req.json().catch(() => null)) ?? {});
    if (!parsed.success) return badBody(c, parsed.error);
    if (id === null) return c.json({ error: 'no such campaign' }, 404);
    const outcome = await approveCampaign(
      core,
      actorOf(c),
      id,
      decisionKey(c, id, 'approve', parsed.data.key),
    );
    if (!outcome.ok) return c.json({ error: outcome.error }, outcome.status);
    return c.json({ id, status: outcome.campaign.status, approval: outcome.approval.status });
  });

  app.post('/:id/reject', async (c) => {
    const id = idOf(c);
    const parsed = Rejection.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return badBody(c, parsed.error);
    if (id === null) return c.json({ error: 'no such campaign' }, 404);
    const { reason, key: given } = parsed.data;
    const outcome = await rejectCampaign(core, actorOf(c), id, reason, decisionKey(c, id, 'reject', given));
    if (!outcome.ok) return c.json({ error: outcome.error }, outcome.status);
    // The author hears of it in their chat (sent once: the notice's key is the campaign's).
    if (outcome.notices.length > 0) await enqueue(core.db, outcome.notices, core.clock.now());
    return c.json({ id, status: outcome.campaign.status, approval: outcome.approval.status });
  });

  return app;
}

const decisionKey = (c: Context<WebEnv>, id: number, verb: string, given: string | undefined) =>
  `web:campaign-${verb}:${id}:${requestSession(c).staff.id}:${given ?? crypto.randomUUID()}`;

function badBody(c: Context<WebEnv>, error: z.ZodError) {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return c.json({ error: issue ? `${field || 'body'}: ${issue.message}` : 'a JSON body', field }, 400);
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** A campaign as the screen lists it. */
function shown(r: ReviewedCampaign) {
  const c = r.campaign;
  const a = r.approval;
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    segment: r.progress.segmentName,
    text: c.text,
    link: c.link_url ? { title: c.link_title ?? c.link_url, url: c.link_url } : null,
    scheduledAt: iso(c.scheduled_at),
    startedAt: iso(c.started_at),
    finishedAt: iso(c.finished_at),
    author: r.authorName,
    recipients: {
      total: r.progress.recipients.total,
      reached: reachedOf(r.progress.recipients.byStatus),
      delivered: r.progress.recipients.byStatus.delivered ?? 0,
      byStatus: r.progress.recipients.byStatus,
    },
    approval: a
      ? { status: a.status, reason: a.reason, sendAt: iso(a.send_at), decidedAt: iso(a.decided_at) }
      : null,
    mayDecide: r.mayDecide,
  };
}
