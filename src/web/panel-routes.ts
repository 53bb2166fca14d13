import { Hono } from 'hono';
import type { Platform } from '../../db/schema.ts';
import { replyToCustomer } from '../core/conversations/reply.ts';
import { type Lang, languageOf, messages } from '../core/kernel/i18n/index.ts';
import { actorMayUnmask, auditUnmaskedRead } from '../core/kernel/permissions/contacts-shown.ts';
import { reachCustomer } from '../core/kernel/permissions/reach.ts';
import { readableMessage } from '../core/kernel/readable-message.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import type { OutboxItem } from '../core/ports/outbound.ts';
import { customerByIdentity, staffHomePlatform } from '../core/records/customers/by-identity.ts';
import { customerCard } from '../core/records/customers/card.ts';
import { getCustomerDetail } from '../core/records/customers/detail.ts';
import { addNote, MAX_NOTE_CHARS } from '../core/records/customers/notes.ts';
import { changeStage } from '../core/records/customers/ownership-stage.ts';
import { searchCustomers } from '../core/records/customers/search.ts';
import { stageName } from '../core/records/customers/stages.ts';
import { listQuickReplies } from '../core/records/quick-replies/quick-replies.ts';
import { createReminder } from '../core/records/reminders/create.ts';
import { setTagByHand } from '../core/records/tags/manual.ts';
import { tagLabel } from '../core/records/tags/tag-label.ts';
import { enqueue } from '../queue/outbox.ts';
import { requestSession, type WebEnv, webActor } from './session.ts';

/** Messages shown on the panel's timeline: the latest few, like the chat's card but a little more. */
const TIMELINE_MESSAGES = 10;
/** Lookups by an account id: the platforms a page beside a chat names the person by. */
const LOOKUP_PLATFORMS: readonly Platform[] = ['wecom', 'telegram', 'feishu'];

/**
 * The panel's JSON (src/web/client): the customer's record as `/show` builds it, quick edits, quick replies, a lookup
 * and a reply. Mounted behind the session check (and CSRF on writes); each route parses, calls one core function with
 * the session's actor, and renders. A customer outside the staff member's scope is a 404, as in the chat and the API.
 */
export function panelRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const actorOf = (c: Parameters<typeof requestSession>[0]) => webActor(requestSession(c));
  const langOf = (c: Parameters<typeof requestSession>[0]): Lang =>
    languageOf(requestSession(c).staff.language);
  const reached = async (c: Parameters<typeof requestSession>[0]) => {
    const id = Number(c.req.param('id'));
    return Number.isSafeInteger(id) && id > 0 ? reachCustomer(core.db, actorOf(c), id) : null;
  };
  const body = async (c: Parameters<typeof requestSession>[0]) =>
    ((await c.req.json().catch(() => null)) ?? {}) as Record<string, unknown>;
  const text = (v: unknown, max: number) =>
    typeof v === 'string' && [...v.trim()].length <= max ? v.trim() : '';
  const queue = async (items: OutboxItem[]) => {
    if (items.length > 0) await enqueue(core.db, items, core.clock.now());
  };
  const noCustomer = { error: 'no such customer' };

  app.get('/customers/:id', async (c) => {
    const customer = await reached(c);
    if (!customer) return c.json(noCustomer, 404);
    const lang = langOf(c);
    const actor = customer.actor;
    const card = await customerCard(core, actor, customer.id, lang, { page: 'panel' });
    const unmask = actorMayUnmask(actor);
    const found = await getCustomerDetail(core.db, customer.id, { unmask, timelineLimit: 50 });
    if (!card?.card || !found) return c.json(noCustomer, 404);
    const d = found.detail;
    const shown = d.timeline.filter((e) => e.type === 'message').slice(-TIMELINE_MESSAGES);
    if (found.textUnmasked) await auditUnmaskedRead(core, actor, [customer.id], { page: 'panel' });
    const bot = messages(lang).card.bot;
    return c.json({
      id: d.id,
      name: d.name,
      // The card's last messages are the timeline below, with more of them.
      card: {
        ...card.card,
        sections: card.card.sections.filter((x) => x.heading !== messages(lang).card.recent),
      },
      stage: { key: d.stage, name: stageName(core.org.stages, d.stage, lang) },
      stages: core.org.stages.map((s) => ({ key: s.key, name: stageName(core.org.stages, s.key, lang) })),
      tags: d.tags.map((t) => ({ name: t.name, source: t.source, label: tagLabel(t, lang) })),
      doNotContact: d.doNotContact,
      timeline: shown.map((m) => ({
        id: m.id,
        file: m.file?.status ?? null,
        at: new Date(m.at).toISOString(),
        direction: m.direction,
        author: m.author.name ?? bot,
        text: readableMessage(m, lang),
      })),
    });
  });

  app.get('/lookup', async (c) => {
    const actor = actorOf(c);
    for (const platform of LOOKUP_PLATFORMS) {
      const account = c.req.query(platform);
      if (account === undefined) continue;
      const customer = await customerByIdentity(core.db, actor, platform, account);
      return customer ? c.json({ customers: [{ id: customer.id }] }) : c.json({ customers: [] }, 404);
    }
    const q = text(c.req.query('q'), 200);
    if (!q || !actor.viewer)
      return c.json({ error: 'say what to look for: q, wecom, telegram or feishu' }, 400);
    const found = await searchCustomers(core.db, { q, limit: 10, viewer: actor.viewer });
    const lang = langOf(c);
    // Names only (no phones): a rep's list shows nothing to mask.
    return c.json({
      customers: found.map((x) => ({
        id: x.id,
        name: x.name,
        stage: stageName(core.org.stages, x.stage, lang),
      })),
    });
  });

  app.post('/customers/:id/notes', async (c) => {
    const customer = await reached(c);
    if (!customer) return c.json(noCustomer, 404);
    const note = text((await body(c)).text, MAX_NOTE_CHARS);
    if (!note) return c.json({ error: `a note is 1 to ${MAX_NOTE_CHARS} characters`, field: 'text' }, 400);
    const written = await addNote(core, { customer, body: note }, webKey('note'));
    return c.json({ id: written.id }, 201);
  });

  app.post('/customers/:id/tags', async (c) => {
    const customer = await reached(c);
    if (!customer) return c.json(noCustomer, 404);
    const b = await body(c);
    const name = text(b.name, 50);
    if (!name) return c.json({ error: 'a tag is 1 to 50 characters', field: 'name' }, 400);
    const on = b.on !== false;
    const { changed, actions } = await setTagByHand(
      core,
      { customer, name, on },
      webKey(on ? 'tag' : 'untag'),
    );
    await queue(actions);
    return c.json({ changed });
  });

  app.post('/customers/:id/stage', async (c) => {
    const customer = await reached(c);
    if (!customer) return c.json(noCustomer, 404);
    const stage = text((await body(c)).stage, 50);
    if (!core.org.stages.some((s) => s.key === stage))
      return c.json({ error: 'not one of the stages', field: 'stage' }, 400);
    const changed = await changeStage(core, { customer, stage }, webKey('stage'));
    return changed ? c.json({ changed: changed.changed }) : c.json(noCustomer, 404);
  });

  app.post('/customers/:id/reminders', async (c) => {
    const customer = await reached(c);
    if (!customer) return c.json(noCustomer, 404);
    const b = await body(c);
    const dueAt = typeof b.at === 'string' ? Date.parse(b.at) : Number.NaN;
    const what = text(b.text, 500);
    if (!Number.isFinite(dueAt) || !what)
      return c.json({ error: 'a reminder needs a time (ISO 8601) and a text', field: 'at' }, 400);
    const session = requestSession(c);
    // Delivered where the staff member signed in from, or (a browser link) to their first chat account.
    const platform = (LOOKUP_PLATFORMS as readonly string[]).includes(session.host)
      ? (session.host as Platform)
      : await staffHomePlatform(core.db, session.staff.id);
    if (!platform) return c.json({ error: 'you have no chat account to be reminded on' }, 409);
    const outcome = await createReminder(
      core,
      customer.actor,
      { customer, dueAt, text: what, platform },
      webKey('reminder'),
    );
    return outcome.ok ? c.json({ created: outcome.created }, 201) : c.json({ error: outcome.reason }, 400);
  });

  app.get('/quick-replies', async (c) => {
    const rows = await listQuickReplies(core.db, actorOf(c));
    return c.json({ quickReplies: rows.map((q) => ({ key: q.key, text: q.text, team: q.teamName })) });
  });

  app.post('/customers/:id/reply', async (c) => {
    const customer = await reached(c);
    if (!customer) return c.json(noCustomer, 404);
    const reply = text((await body(c)).text, 4000);
    if (!reply) return c.json({ error: 'a reply is 1 to 4000 characters', field: 'text' }, 400);
    const outcome = await replyToCustomer(core, { customer, text: reply }, webKey('reply'));
    if (!outcome.ok)
      return c.json({ error: outcome.reason }, outcome.reason === 'unknown_quick_reply' ? 422 : 409);
    await queue([outcome.message]);
    return c.json({ status: 'queued' }, 202);
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

/** Each web write is its own request (the page does not retry a write on its own). */
const webKey = (operation: string) => `web:${operation}:${crypto.randomUUID()}`;
