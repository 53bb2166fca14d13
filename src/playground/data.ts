import type { Kysely } from 'kysely';
import { WEB_PEOPLE_WORKSPACE, WEB_WORKSPACE, webPostSchema } from '../../adapters/web/types.ts';
import type { Database, Role } from '../../db/schema.ts';
import { webDeliveriesAfter, webImage, webMessagesAfter } from '../../db/web-messages.ts';
import type { Lang } from '../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { listCustomersOnPlatform } from '../core/records/customers/on-platform.ts';
import { listStaffOnPlatform } from '../core/records/staff/listing.ts';
import { type SeedPerson, seedStaff } from '../core/records/staff/seed.ts';
import { pendingOf } from '../queue/depths.ts';

const FEED_PAGE = 200;
const RANK: Record<Role, number> = { admin: 0, director: 1, manager: 2, rep: 3 };

/** A message the page posted, as Liaison stored it in its inbox. */
export interface FeedInbound {
  id: number;
  chatId: string;
  from: { id: string; name: string };
  text: string;
  at: number;
}

/** A message Liaison delivered to a web chat. */
export interface FeedOutbound {
  id: number;
  chatId: string;
  messageKey: string;
  replyTo: string | null;
  text: string;
  card: unknown;
  hasImage: boolean;
  at: number;
}

/**
 * What happened in the web chats after the page's cursors: the page's own posts as stored in the inbox (so what it
 * shows is what Liaison received), Liaison's deliveries, and how much is still queued on the way.
 */
export async function readFeed(db: Kysely<Database>, afterIn: number, afterOut: number) {
  const deliveries = await webDeliveriesAfter(db, WEB_WORKSPACE, afterIn, FEED_PAGE);
  const inbound: FeedInbound[] = [];
  for (const row of deliveries) {
    const post = safeJson(row.payload, (v) => webPostSchema.safeParse(v));
    if (post?.success && post.data.type === 'message') {
      const { chat, from, text } = post.data;
      inbound.push({
        id: row.id,
        chatId: chat.id,
        from: { id: from.id, name: from.name },
        text,
        at: row.received_at,
      });
    }
  }
  const sent = await webMessagesAfter(db, WEB_WORKSPACE, afterOut, FEED_PAGE);
  const outbound: FeedOutbound[] = sent.map((m) => ({
    id: m.id,
    chatId: m.chat_id,
    messageKey: m.message_key,
    replyTo: m.reply_to,
    text: m.text,
    card: m.card ? safeJson(m.card, (v) => v) : null,
    hasImage: Boolean(m.has_image),
    at: m.created_at,
  }));
  const pending = await pendingOf(db, 'web');
  return {
    inbound,
    outbound,
    lastIn: deliveries.at(-1)?.id ?? afterIn,
    lastOut: sent.at(-1)?.id ?? afterOut,
    queues: { inboxPending: pending.inbox, outboxPending: pending.outbox },
  };
}

/** A delivered picture (a digest chart) as bytes, or null. */
export async function readImage(db: Kysely<Database>, id: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const image = await webImage(db, WEB_WORKSPACE, id);
  return image ? Uint8Array.from(atob(image), (ch) => ch.charCodeAt(0)) : null;
}

/** A staff member the staff pane can act as. */
export interface WebStaff {
  id: string;
  name: string;
  role: Role;
  team: string | null;
  /** A manager of a top-level team: hears about new, unowned customers (their alerts and relays). */
  hearsUnowned: boolean;
}

/** Active staff with a web identity, whom the staff pane can act as (admins first, then by name), and whom first. */
export async function listWebStaff(
  db: Kysely<Database>,
): Promise<{ staff: WebStaff[]; actingAs: string | null }> {
  const staff = (await listStaffOnPlatform(db, 'web', WEB_PEOPLE_WORKSPACE)).map(
    ({ topLevelTeam, ...s }) => ({
      ...s,
      hearsUnowned: s.role === 'manager' && topLevelTeam,
    }),
  );
  // First the earliest manager of a top-level team, who gets the alert when a new customer writes (Playground
  // manager on an empty database, 林海峰 of 销售一部 after `liaison demo`); else a manager; else the first listed.
  const sorted = [...staff].sort((a, b) => RANK[a.role] - RANK[b.role] || a.name.localeCompare(b.name));
  const first = staff.find((s) => s.hearsUnowned) ?? staff.find((s) => s.role === 'manager') ?? sorted[0];
  return { staff: sorted, actingAs: first?.id ?? null };
}

/** Customers already known on the web channel (e.g. from `liaison demo`), most recent first. */
export function listWebCustomers(db: Kysely<Database>) {
  return listCustomersOnPlatform(db, 'web', WEB_PEOPLE_WORKSPACE, 50);
}

export const PLAYGROUND_TEAM = 'Playground';

/** Who the staff pane can be on an empty database: enough people for alerts and digests to reach someone. */
const PLAYGROUND_STAFF: SeedPerson[] = [
  { externalId: 'playground-admin', name: 'Playground admin', role: 'admin', inTeam: false },
  { externalId: 'playground-manager', name: 'Playground manager', role: 'manager', inTeam: true },
  { externalId: 'playground-rep', name: 'Playground rep', role: 'rep', inTeam: true },
];

/**
 * Seeds a local admin, and a manager and a rep in a top-level team (unowned customers' alerts go to such managers),
 * when no staff member has a web identity yet, speaking the browser's language until they write.
 */
export function seedPlaygroundStaff(deps: Pick<CoreDeps, 'db' | 'clock'>, language: Lang): Promise<void> {
  return seedStaff(deps, {
    platform: 'web',
    workspace: WEB_PEOPLE_WORKSPACE,
    people: PLAYGROUND_STAFF,
    teamName: PLAYGROUND_TEAM,
    language,
  });
}

function safeJson<T>(text: string, read: (value: unknown) => T): T | null {
  try {
    return read(JSON.parse(text));
  } catch {
    return null;
  }
}
