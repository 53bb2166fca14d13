import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../../db/schema.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { InboundEvent, ServicePullEvent } from '../ports/events.ts';
import type { OutboxItem } from '../ports/outbound.ts';

/** Pages pulled per announcement at most; the next announcement (or a retry) carries on from the saved cursor. */
const MAX_PAGES = 50;

type HandleEvent = (deps: CoreDeps, event: InboundEvent, key: string) => Promise<OutboxItem[]>;

/**
 * Pulls the customer-service messages a platform only announces (WeCom 微信客服), page by page from the saved
 * cursor, and handles each as if it had been pushed. The cursor is saved after every page, and every message is
 * stored once per platform message id, so a crash mid-way repeats nothing.
 */
export async function pullServiceMessages(
  deps: CoreDeps,
  ev: ServicePullEvent,
  handleEvent: HandleEvent,
): Promise<OutboxItem[]> {
  const service = deps.adapters.get(ev.platform)?.service;
  if (!service) throw new Error(`${ev.platform} cannot pull service messages`);
  const name = `service:${ev.accountId}`;
  let cursor = (await readCursor(deps.db, ev.platform, ev.workspace, name)) ?? '';
  const out: OutboxItem[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await service.pull(ev.accountId, cursor, ev.token);
    // Messages the platform sent malformed are skipped (the cursor moves on); the reasons name fields, not values.
    if (result.refused?.length)
      deps.logger.warn({ platform: ev.platform, refused: result.refused }, 'service messages skipped');
    for (const event of result.events) {
      const id =
        event.kind === 'message' ? event.messageId : event.kind === 'notice' ? event.noticeId : String(page);
      out.push(...(await handleEvent(deps, event, `${ev.platform}:service:${ev.accountId}:${id}`)));
    }
    if (result.nextCursor)
      await saveCursor(deps.db, ev.platform, ev.workspace, name, result.nextCursor, deps.clock.now());
    cursor = result.nextCursor || cursor;
    if (!result.hasMore) break;
  }
  return out;
}

export async function readCursor(
  db: Kysely<Database>,
  platform: Platform,
  workspace: string,
  name: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('platform_cursors')
    .select('value')
    .where('platform', '=', platform)
    .where('workspace', '=', workspace)
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.value;
}

async function saveCursor(
  db: Kysely<Database>,
  platform: Platform,
  workspace: string,
  name: string,
  value: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('platform_cursors')
    .values({ platform, workspace, name, value, updated_at: now })
    .onConflict((oc) => oc.columns(['platform', 'workspace', 'name']).doUpdateSet({ value, updated_at: now }))
    .execute();
}
