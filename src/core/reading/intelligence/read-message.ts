import type { CoreDeps } from '../../kernel/runtime.ts';
import { alertPlan } from '../../kernel/tagging/alert-policy.ts';
import { tagText } from '../../kernel/tagging/rules.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import type { CustomerAtHandReader } from '../../records/customers/at-hand.ts';
import { suggestStage } from '../../records/customers/lifecycle.ts';
import { addTag, mirrorTagChange } from '../../records/tags/tags.ts';
import { type AlertCause, raiseAlerts } from './alerts.ts';
import { trackBurst } from './bursts.ts';
import { proposeDoNotContact } from './dnc-proposal.ts';

export interface CustomerMessage {
  customerId: number;
  messageId: number;
  text: string;
  /** When the customer wrote it (epoch ms). */
  at: number;
  /** An old message read from history (an archive backfill): tags and stage apply; nobody is alerted or waits. */
  history?: boolean;
  /** The customer was created for this message: they have no burst yet (one lookup fewer). */
  firstOfCustomer?: boolean;
  /** The customer as the message's handling reads them, once for its relay, alerts and stage. */
  customer?: CustomerAtHandReader;
}

/**
 * Reads a customer's message as it arrives: it joins (or starts) a burst for the model, the tag rules apply at once
 * (each tag with its rule, confidence and this message; a person's tag is never replaced), and signals alert the owner
 * in one message naming its new causes (once per cause per burst), list a hot lead, or propose do-not-contact. The
 * text is only ever matched against rules: never executed, never obeyed.
 * Safe to run again for the same message.
 */
export async function readCustomerMessage(
  deps: CoreDeps,
  m: CustomerMessage,
  key: string,
): Promise<OutboxItem[]> {
  const { db, clock } = deps;
  const llmOn = deps.llm !== undefined && deps.tagging.llmTagging && !m.history;
  const burst = await trackBurst(deps, m.customerId, m.at, llmOn, !m.history, m.firstOfCustomer);
  const hits = m.text ? tagText(deps.tagging.rules, m.text) : [];
  const now = clock.now();
  const added: string[] = [];
  for (const hit of hits) {
    const gained = await addTag(
      db,
      {
        customerId: m.customerId,
        name: hit.tag,
        source: 'rule',
        sourceRef: hit.ruleId,
        confidence: hit.confidence,
        messageId: m.messageId,
      },
      now,
    );
    if (gained) added.push(hit.tag);
  }
  const sends: OutboxItem[] = added.length
    ? await mirrorTagChange(deps, m.customerId, { add: added, remove: [] }, `${key}:autotag`)
    : [];
  const plan = alertPlan(hits, deps.org.alertMinConfidence);
  if (!m.history) {
    const causes = plan.atOnce.map((a) => ({ cause: a.signal as AlertCause, source: a.ruleId }));
    // A hot lead is recorded with the rest (the hot list, the digest) and pinged later in a batch, not now.
    if (plan.hotLead) causes.push({ cause: 'high_intent', source: plan.hotLead });
    const at = { customerId: m.customerId, burstId: burst.id, messageId: m.messageId, excerpt: m.text };
    const customer = m.customer ? { customer: m.customer } : {};
    if (causes.length) sends.push(...(await raiseAlerts(deps, { ...at, ...customer, causes })));
    if (plan.stopContact)
      sends.push(...(await proposeDoNotContact(deps, { ...at, source: plan.stopContact })));
  }
  // A buying signal moves a new lead one step on (潜在 → 意向 with the default stages).
  const next = deps.org.stages[1]?.key;
  if (plan.hotLead && next) await suggestStage(deps, m.customerId, next, `${key}:stage`, m.customer);
  return sends;
}
