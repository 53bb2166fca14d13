import { type Lang, messages } from '../../kernel/i18n/index.ts';
import { maskTextFor } from '../../kernel/permissions/mask.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundMessage } from '../../ports/outbound.ts';
import { messageToStaff } from '../../records/staff/notify.ts';
import { fallbackRecipients } from './alerts.ts';

const QUOTED = 120;

export interface StopContactHeard {
  customerId: number;
  burstId: number;
  messageId: number;
  /** The rule that heard it. */
  source: string;
  /** The customer's words, quoted shortly and always masked. */
  excerpt: string;
}

/**
 * A customer seems to ask not to be contacted: their owner (or the top managers, for an unowned customer) is asked
 * whether to set do-not-contact, with the command to do it. It is never set here: a rule may misread, and the wish
 * is the customer's to state and a person's to record. Asked once per customer until answered (`/dnc`), never for a
 * customer already marked; the proposal is an `alerts` row of cause `stop_contact`, settled when answered.
 */
export async function proposeDoNotContact(deps: CoreDeps, p: StopContactHeard): Promise<OutboundMessage[]> {
  const { db, clock } = deps;
  const customer = await db
    .selectFrom('customers')
    .leftJoin('staff', (j) => j.onRef('staff.id', '=', 'customers.owner_staff_id').on('staff.active', '=', 1))
    .select(['customers.id', 'customers.display_name', 'customers.do_not_contact', 'staff.id as ownerId'])
    .where('customers.id', '=', p.customerId)
    .executeTakeFirst();
  if (!customer || customer.do_not_contact === 1) return [];
  const open = await db
    .selectFrom('alerts')
    .select(['burst_id', 'message_id', 'source'])
    .where('customer_id', '=', p.customerId)
    .where('cause', '=', 'stop_contact')
    .where('settled_at', 'is', null)
    .executeTakeFirst();
  // This very message processed again after a crash rebuilds its send (same key); any other waits for the answer.
  const again = open?.burst_id === p.burstId && open.message_id === p.messageId && open.source === p.source;
  if (open && !again) return [];
  if (!open) {
    const claimed = await db
      .insertInto('alerts')
      .values({
        customer_id: p.customerId,
        cause: 'stop_contact',
        burst_id: p.burstId,
        staff_id: null,
        message_id: p.messageId,
        source: p.source,
        created_at: clock.now(),
      })
      .onConflict((oc) => oc.columns(['customer_id', 'cause', 'burst_id']).doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return []; // asked (and answered) in this burst
  }
  const recipients = customer.ownerId !== null ? [customer.ownerId] : await fallbackRecipients(db);
  if (recipients[0] !== undefined) {
    await db
      .updateTable('alerts')
      .set({ staff_id: recipients[0] })
      .where('customer_id', '=', p.customerId)
      .where('cause', '=', 'stop_contact')
      .where('burst_id', '=', p.burstId)
      .execute();
  }
  const say = (lang: Lang) =>
    messages(lang).alerts.stopContact(
      customer.id,
      customer.display_name,
      maskTextFor(false, p.excerpt).text.slice(0, QUOTED),
    );
  const sends: OutboundMessage[] = [];
  for (const staffId of recipients) {
    const sent = await messageToStaff(
      deps,
      staffId,
      say,
      `dnc-proposal:${p.customerId}:${p.burstId}:${staffId}`,
    );
    sends.push(...sent.map((m) => ({ ...m, customerId: p.customerId })));
  }
  return sends;
}

/** A person answered (`/dnc <customer> on|off`): the customer's open proposal is settled, so a new wish asks again. */
export async function settleDoNotContactProposals(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  customerId: number,
): Promise<void> {
  await deps.db
    .updateTable('alerts')
    .set({ settled_at: deps.clock.now() })
    .where('customer_id', '=', customerId)
    .where('cause', '=', 'stop_contact')
    .where('settled_at', 'is', null)
    .execute();
}
