import { Hono } from 'hono';
import { evidenceText } from '../core/chat/commands/dupes.ts';
import { readMessageFile } from '../core/conversations/file-links.ts';
import { languageOf } from '../core/kernel/i18n/index.ts';
import { reachCustomer } from '../core/kernel/permissions/reach.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { hotLeads } from '../core/reading/intelligence/hot-leads.ts';
import { duplicatesOf } from '../core/records/customers/duplicates.ts';
import { stageName } from '../core/records/customers/stages.ts';
import { mergeCustomersAs, previewMerge } from '../core/records/merge/merge.ts';
import { previewText } from '../core/records/merge/preview-text.ts';
import { quickRepliesToSend } from '../core/records/quick-replies/expand.ts';
import { keptFileHeaders } from '../http/api-files.ts';
import { requestSession, type WebEnv, webActor } from './session.ts';

/** Hot leads the panel's first screen lists; the rest are on `/mine`. */
const HOT_LEADS_SHOWN = 10;
/** Duplicates the panel lists for a customer: the strongest few. */
const DUPLICATES_SHOWN = 5;

/**
 * The panel's routes for the rest of a record (src/web/client/record-parts.tsx) and its hot list: the quick replies as they would go
 * to this customer, the files messages carry, the customer's likely duplicates and merging one into it. Same session,
 * scope and masking as the chat; a customer or message outside the staff member's scope is a 404.
 */
export function panelRecordRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const actorOf = (c: Parameters<typeof requestSession>[0]) => webActor(requestSession(c));
  const idOf = (raw: string | undefined) => {
    const id = Number(raw);
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  };
  const noCustomer = { error: 'no such customer' };

  // The staff member's hot list, as `/mine` has it: the panel's first screen when no customer is open.
  app.get('/hot-leads', async (c) => {
    const lang = languageOf(requestSession(c).staff.language);
    const { total, leads } = await hotLeads(core, actorOf(c), { limit: HOT_LEADS_SHOWN });
    return c.json({
      total,
      leads: leads.map((l) => ({
        id: l.customerId,
        name: l.name,
        company: l.company,
        stage: stageName(core.org.stages, l.stage, lang),
        at: new Date(l.at).toISOString(),
      })),
    });
  });

  app.get('/customers/:id/quick-replies', async (c) => {
    const id = idOf(c.req.param('id'));
    const customer = id === null ? null : await reachCustomer(core.db, actorOf(c), id);
    if (!customer) return c.json(noCustomer, 404);
    return c.json({ quickReplies: await quickRepliesToSend(core.db, customer) });
  });

  app.get('/messages/:id/file', async (c) => {
    const id = idOf(c.req.param('id'));
    const file = id === null ? null : await readMessageFile(core, actorOf(c), id);
    if (!file) return c.json({ error: 'no such file' }, 404);
    return c.body(new Uint8Array(file.bytes), 200, keptFileHeaders(file));
  });

  app.get('/customers/:id/duplicates', async (c) => {
    const actor = actorOf(c);
    const id = idOf(c.req.param('id'));
    const customer = id === null ? null : await reachCustomer(core.db, actor, id);
    if (!customer || !actor.viewer) return c.json(noCustomer, 404);
    const found = await duplicatesOf(core, customer.id, actor.viewer, DUPLICATES_SHOWN);
    const lang = languageOf(requestSession(c).staff.language);
    // The evidence as `/dupes` words it, contact data in it masked.
    return c.json({
      duplicates: found.map((d) => ({
        customerId: d.customerId,
        name: d.name,
        company: d.company,
        score: d.score,
        evidence: evidenceText(d.evidence, lang),
      })),
    });
  });

  // `{ other, confirm }`: merges `other` into this customer; without `confirm` only the preview, as `/merge` shows it.
  app.post('/customers/:id/merge', async (c) => {
    const actor = actorOf(c);
    const body = ((await c.req.json().catch(() => null)) ?? {}) as { other?: unknown; confirm?: unknown };
    const [keptId, otherId] = [idOf(c.req.param('id')), idOf(String(body.other))];
    if (keptId === null || otherId === null || !actor.viewer) return c.json(noCustomer, 404);
    if (body.confirm !== true) {
      const shown = await previewMerge(core, keptId, otherId, actor.viewer);
      if (shown.kind !== 'preview') return c.json(noCustomer, 404);
      const lang = languageOf(requestSession(c).staff.language);
      const text = previewText(shown.preview, {
        lang,
        stages: core.org.stages,
        timeZone: core.org.timeZone,
        now: core.clock.now(),
      });
      return c.json({ preview: text });
    }
    const done = await mergeCustomersAs(core, actor, keptId, otherId, `web:merge:${crypto.randomUUID()}`);
    if (done.kind === 'merged' || done.kind === 'already')
      return c.json({ kind: done.kind, mergeId: done.mergeId }, done.kind === 'merged' ? 201 : 200);
    if (done.kind === 'busy') return c.json({ error: 'busy' }, 409);
    return c.json(noCustomer, 404);
  });

  return app;
}
