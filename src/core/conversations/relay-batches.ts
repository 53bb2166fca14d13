import { type Lang, messages } from '../kernel/i18n/index.ts';
import { readableMessage } from '../kernel/readable-message.ts';
import type { CoreDeps } from '../kernel/runtime.ts';

/** What private relays and inbox-chat relays share: batch sizes, pacing, crash recovery and how messages read. */

/** Messages in one relay at most; a pile-up beyond it goes out in the next ones. */
export const PER_RELAY = 30;
/** Each message is quoted up to this many characters in a relay (the whole text is on the customer's record). */
const QUOTED = 500;
/**
 * A recipient (a staff member, the inbox chat, a customer's topic) gets at most one relay in this time (WeCom takes
 * 30 messages a minute to one member, Telegram about one a second to one chat and 20 a minute to a group): what
 * arrives meanwhile waits and goes out together.
 */
const RELAY_SPACING_MS = 2_000;
/** Relays assigned but not queued (a process died in between) are looked for this far back… */
export const RECOVER_MS = 10 * 60_000;
/** …once they are this old: a live process queues its relay right after assigning it. */
export const ORPHANED_AFTER_MS = 30_000;

/** A message as a relay quotes it: its readable form (`readableMessage`), shortened. */
export const quoted = (
  m: { text: string | null; content_type: string; content: string | null },
  lang: Lang,
): string =>
  [...readableMessage({ text: m.text, contentType: m.content_type, content: m.content }, lang)]
    .slice(0, QUOTED)
    .join('');

/** Whether the relay sent under `key` is still to be sent, or went out less than `RELAY_SPACING_MS` ago. */
export async function relayStillGoing(deps: CoreDeps, key: string | null | undefined): Promise<boolean> {
  if (!key) return false;
  const row = await deps.db
    .selectFrom('outbox')
    .select(['status', 'sent_at'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!row) return false;
  if (row.status === 'pending' || row.status === 'settling') return true;
  return row.sent_at !== null && deps.clock.now() - row.sent_at < RELAY_SPACING_MS;
}

/** One quoted message: who wrote it, where (`Telegram`, `微信客服`…), and what. */
export type Said = { id: number; name: string; where: string; text: string };

/** The quoted messages, each customer's run under one `#id name (where):` line. */
export function relayBlocks(lang: Lang, said: Said[]): string[] {
  return said.map((s, i) => {
    if (said[i - 1]?.id === s.id) return s.text;
    return messages(lang).relay.block(s.id, s.name, s.where, s.text);
  });
}
