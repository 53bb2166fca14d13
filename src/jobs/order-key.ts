import type { InboxRow } from '../../db/schema.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import type { InboundEvent } from '../core/ports/events.ts';

/**
 * What a delivery must stay in order with: deliveries with the same key are processed one after another, in arrival
 * order (a chat's messages and deletions, a Business connection and its chats, a service account's pulls, one
 * contact's changes); different keys may run side by side. Unreadable deliveries get a key of their own.
 */
export function orderKeyOf(core: CoreDeps, row: InboxRow): string {
  const alone = `row:${row.id}`;
  const adapter = core.adapters.get(row.platform);
  if (!adapter) return alone;
  let events: InboundEvent[];
  try {
    events = adapter.decode(row.payload, row.received_at);
  } catch {
    return alone;
  }
  const first = events[0];
  return first ? `${row.platform}:${row.workspace}:${keyOfEvent(first)}` : alone;
}

function keyOfEvent(e: InboundEvent): string {
  switch (e.kind) {
    case 'message':
    case 'messages_deleted':
    case 'group':
      // A Business chat depends on its connection being known: the whole connection is one lane.
      return e.chat.connectionId ? `connection:${e.chat.connectionId}` : `chat:${e.chat.key}`;
    case 'connection':
      return `connection:${e.connectionId}`;
    case 'contact':
    case 'notice':
      return `person:${e.customer.externalId}`;
    case 'service_pull':
      return `pull:${e.accountId}`;
    case 'card_action':
      return `chat:${e.chatId ?? ''}`;
    default:
      return e.kind;
  }
}

/** Rows grouped by key, each group in the rows' order, groups in order of their first row. */
export function lanesOf<T>(rows: T[], keyOf: (row: T) => string): T[][] {
  const lanes = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const lane = lanes.get(key);
    if (lane) lane.push(row);
    else lanes.set(key, [row]);
  }
  return [...lanes.values()];
}

/**
 * The groups packed into at most `width` lanes, each group whole and in its order, the shortest lane taking the next
 * group. A lane is processed in transactions of several deliveries (`inbox-transactions.ts`): one lane per group put
 * a batch from 50 chats into 50 transactions of one delivery each, with a commit and the shared reads each.
 */
export function packLanes<T>(groups: T[][], width: number): T[][] {
  const lanes: T[][] = Array.from({ length: Math.max(1, Math.min(width, groups.length)) }, () => []);
  for (const group of groups) {
    const shortest = lanes.reduce((a, b) => (b.length < a.length ? b : a));
    shortest.push(...group);
  }
  return lanes;
}

/** Runs `work` over the lanes, at most `width` at a time. */
export async function runLanes<T>(
  lanes: T[],
  width: number,
  work: (lane: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) await work(lanes[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, lanes.length)) }, worker));
}
