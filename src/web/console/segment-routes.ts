import { type Context, Hono } from 'hono';
import { consoleSegments } from '../../core/kernel/i18n/console-segments.ts';
import { languageOf } from '../../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import {
  removeSegment,
  renameSegment,
  savedSegments,
  saveSegment,
} from '../../core/reading/segments/saved.ts';
import { type SegmentRow, segmentTitle } from '../../core/reading/segments/segments.ts';
import { requestSession, type WebEnv, webActor } from '../session.ts';

type Refusal = keyof (typeof consoleSegments)['en']['refusals'];
/** The status each refusal answers with. */
const STATUS: Record<Refusal, 400 | 403 | 404 | 409> = {
  not_allowed: 403,
  bad_name: 400,
  bad_filter: 400,
  unknown_stage: 400,
  bad_request: 400,
  duplicate: 409,
  builtin: 409,
  in_use: 409,
  unknown: 404,
};

/**
 * The segments screen's JSON (`/app/api/console/segments`): saved segments with live counts in the signed-in
 * member's scope, a new one from the customer list's filters, rename, delete; each through one core function.
 */
export function segmentScreenRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const actorOf = (c: Context<WebEnv>) => webActor(requestSession(c));
  const refuse = (c: Context<WebEnv>, reason: Refusal, detail = '') =>
    c.json(
      {
        error: consoleSegments[languageOf(requestSession(c).staff.language)].refusals[reason] + detail,
        reason,
      },
      STATUS[reason],
    );
  const body = async (c: Context<WebEnv>) =>
    ((await c.req.json().catch(() => null)) ?? {}) as Record<string, unknown>;
  const idOf = (c: Context<WebEnv>) => {
    const id = Number(c.req.param('id'));
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  };
  const shown = (s: SegmentRow) => ({ id: s.id, name: s.name });

  app.get('/', async (c) => {
    const lang = languageOf(requestSession(c).staff.language);
    const items = await savedSegments(core, actorOf(c));
    // Built-ins by their name in the member's language too: `dormant（沉睡客户）`.
    return c.json({
      items: items.map((s) => ({
        ...s,
        title: segmentTitle({ name: s.name, builtin: s.builtin ? 1 : 0 }, lang),
      })),
    });
  });

  app.post('/', async (c) => {
    const b = await body(c);
    if (typeof b.name !== 'string' || typeof b.filter !== 'object' || b.filter === null)
      return refuse(c, 'bad_request');
    const outcome = await saveSegment(core, actorOf(c), { name: b.name, filter: b.filter });
    if (!outcome.ok) return refuse(c, outcome.reason, outcome.detail ?? '');
    return c.json({ ...shown(outcome.segment), created: outcome.created }, outcome.created ? 201 : 200);
  });

  app.patch('/:id', async (c) => {
    const id = idOf(c);
    if (id === null) return refuse(c, 'unknown');
    const b = await body(c);
    if (typeof b.name !== 'string') return refuse(c, 'bad_request');
    const outcome = await renameSegment(core, actorOf(c), id, b.name);
    if (!outcome.ok) return refuse(c, outcome.reason);
    return c.json(shown(outcome.segment));
  });

  app.delete('/:id', async (c) => {
    const id = idOf(c);
    if (id === null) return refuse(c, 'unknown');
    const outcome = await removeSegment(core, actorOf(c), id);
    if (!outcome.ok) return refuse(c, outcome.reason);
    return c.json({ deleted: true, id });
  });

  return app;
}
