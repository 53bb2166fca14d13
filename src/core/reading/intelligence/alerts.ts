import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Lang, messages } from '../../kernel/i18n/index.ts';
import { holdsContactData, maskTextFor } from '../../kernel/permissions/mask.ts';
import { mayUnmask, viewerOf } from '../../kernel/permissions/scope.ts';
import { readableMessage, type StoredMessageBody } from '../../kernel/readable-message.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundMessage } from '../../ports/outbound.ts';
import { messageToStaff } from '../../records/staff/notify.ts';

/** Characters of the customer's words an alert quotes: enough for an order number and an amount after a greeting. */
const QUOTED = 120;

/** Why a staff member is alerted about a customer. */
export type AlertCause = 'complaint' | 'refund' | 'negative' | 'high_intent' | 'urgent' | 'sla';

export interface AlertRequest {
  customerId: number;
  cause: AlertCause;
  burstId: number;
  messageId?: number | null;
  /** The rule id, `llm`, or `sla`. */
  source: string;
  /** The customer's words (or the message, in its readable form) that caused it, quoted shortly and masked. */
  excerpt?: string | StoredMessageBody;
}

/**
 * An alert to the customer's owner (or, for an unowned customer, the managers at the top of the team tree), on the
 * platform where they work. At most one per cause per burst, however many rules, model answers or
 * redeliveries raise it: the send's key is (customer, cause, burst), and the outbox keeps a key once. The quote has
 * phones, emails and ID numbers masked for a recipient who may not unmask them; a quote shown whole is audited.
 */
export async function raiseAlert(deps: CoreDeps, a: AlertRequest): Promise<OutboundMessage[]> {
  const { db, clock } = deps;
  const claimed = await db
    .insertInto('alerts')
    .values({
      customer_id: a.customerId,
      cause: a.cause,
      burst_id: a.burstId,
      staff_id: null,
      message_id: a.messageId ?? null,
      source: a.source,
      created_at: clock.now(),
    })
    .onConflict((oc) => oc.columns(['customer_id', 'cause', 'burst_id']).doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) {
    // Raised before in this burst: by another message or source (nothing to do), or by this very one, processed
    // again after a crash (its send is rebuilt with the same key, which the outbox keeps once).
    const earlier = await db
      .selectFrom('alerts')
      .select(['message_id', 'source'])
      .where('customer_id', '=', a.customerId)
      .where('cause', '=', a.cause)
      .where('burst_id', '=', a.burstId)
      .executeTakeFirst();
    if (!earlier || earlier.message_id !== (a.messageId ?? null) || earlier.source !== a.source) return [];
  }
  const customer = await db
    .selectFrom('customers')
    .leftJoin('staff', (j) => j.onRef('staff.id', '=', 'customers.owner_staff_id').on('staff.active', '=', 1))
    .select(['customers.id', 'customers.display_name', 'staff.id as ownerId'])
    .where('customers.id', '=', a.customerId)
    .executeTakeFirst();
  if (!customer) return [];
  const recipients = customer.ownerId !== null ? [customer.ownerId] : await fallbackRecipients(db);
  if (recipients[0] !== undefined) {
    await db
      .updateTable('alerts')
      .set({ staff_id: recipients[0] })
      .where('customer_id', '=', a.customerId)
      .where('cause', '=', a.cause)
      .where('burst_id', '=', a.burstId)
      .execute();
  }
  const readers = recipients.length
    ? await db.selectFrom('staff').select(['id', 'role', 'team_id']).where('id', 'in', recipients).execute()
    : [];
  const sends: OutboundMessage[] = [];
  for (const staffId of recipients) {
    const reader = readers.find((r) => r.id === staffId);
    // Masked before it is shortened, so a cut can never leave a phone half whole.
    const unmask = reader ? mayUnmask(viewerOf(reader)) : false;
    const quoteIn = (lang: Lang) => maskTextFor(unmask, excerptIn(a.excerpt, lang)).text.slice(0, QUOTED);
    const quote = quoteIn('zh');
    const say = (lang: Lang) => alertText(lang, a.cause, customer.id, customer.display_name, quoteIn(lang));
    const sent = await messageToStaff(
      deps,
      staffId,
      say,
      `alert:${a.customerId}:${a.cause}:${a.burstId}:${staffId}`,
    );
    if (sent.length > 0 && unmask && holdsContactData(quote)) {
      await audit(db, clock.now(), {
        actorKind: 'system',
        actorStaffId: staffId,
        action: 'customer.unmasked_read',
        subjectKind: 'customer',
        subjectId: a.customerId,
        detail: { alert: a.cause },
      });
    }
    // Tied to the customer: answering the alert with the platform's reply answers them (`customerOfRelay`).
    sends.push(...sent.map((m) => ({ ...m, customerId: a.customerId })));
  }
  return sends;
}

/**
 * Who hears about unowned customers: the managers of top-level teams (the sales org's heads). Without any, the alert
 * is kept (the digest counts it) but sent to nobody: admins run the system, not the pipeline.
 */
async function fallbackRecipients(db: Kysely<Database>): Promise<number[]> {
  const managers = await db
    .selectFrom('staff')
    .innerJoin('teams', 'teams.id', 'staff.team_id')
    .select('staff.id')
    .where('staff.role', '=', 'manager')
    .where('staff.active', '=', 1)
    .where('teams.parent_id', 'is', null)
    .execute();
  return managers.map((m) => m.id);
}

function alertText(lang: Lang, cause: AlertCause, customerId: number, name: string, quote: string): string {
  const t = messages(lang).alerts;
  return t.text(t.causes[cause], customerId, name, quote);
}

const excerptIn = (excerpt: AlertRequest['excerpt'], lang: Lang): string =>
  excerpt === undefined ? '' : typeof excerpt === 'string' ? excerpt : readableMessage(excerpt, lang);
