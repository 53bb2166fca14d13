import type { CoreDeps } from '../../kernel/runtime.ts';
import type { MessageContent } from '../../ports/events.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { noticesFor } from './duplicate-notices.ts';
import { statedMobiles } from './duplicate-signals.ts';
import { refreshSuggestionsFor, suggestFromStatedPhone } from './duplicates.ts';

/**
 * What a customer's message tells about who they are: a shared contact (already recorded as their phone) refreshes
 * their suggestions; a mainland mobile written in the text, or the phone on a contact card they passed on (someone's
 * card, not their own), suggests the customers with that number. Returns the owners' notices of strong suggestions
 * (their keys make them once).
 */
export async function learnIdentityFromMessage(
  deps: CoreDeps,
  m: {
    customerId: number;
    text: string;
    sharedPhone?: string | undefined;
    content?: MessageContent | undefined;
  },
): Promise<OutboxItem[]> {
  const now = deps.clock.now();
  const card = !m.sharedPhone && m.content?.kind === 'contact' ? m.content.phone?.trim() : undefined;
  const stated = [...(card ? [card] : []), ...statedMobiles(m.text)];
  if (!m.sharedPhone && stated.length === 0) return [];
  if (m.sharedPhone) await refreshSuggestionsFor(deps, m.customerId, now);
  for (const phone of stated.slice(0, 3)) await suggestFromStatedPhone(deps, m.customerId, phone, now);
  return noticesFor(deps, m.customerId);
}
