import type { Kysely } from 'kysely';
import { preparedQuery } from '../../../../db/prepared.ts';
import type { Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Lang, messages } from '../../kernel/i18n/index.ts';
import { holdsContactData, maskTextFor } from '../../kernel/permissions/mask.ts';
import { mayUnmask, viewerOf } from '../../kernel/permissions/scope.ts';
import { readableMessage, type StoredMessageBody } from '../../kernel/readable-message.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundMessage } from '../../ports/outbound.ts';
import { type CustomerAtHandReader, customerAtHandReader } from '../../records/customers/at-hand.ts';
import { messageToStaff } from '../../records/staff/notify.ts';
import { topManagers } from '../../records/staff/top-managers.ts';

/** Characters of the customer's words an alert quotes: enough for an order number and an amount after a greeting. */
const QUOTED = 120;

/** Why a staff member is alerted about a customer; `high_intent` is listed (hot leads), not sent at once. */
export type AlertCause = 'complaint' | 'refund' | 'churn' | 'negative' | 'urgent' | 'high_intent' | 'sla';

/** Causes sent at once, in the order an alert names them. */
const AT_ONCE: readonly AlertCause[] = ['complaint', 'refund', 'churn', 'negative', 'urgent', 'sla'];

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

/** Several causes of one customer message (or one model reading), each with its source. */
export interface AlertsRequest extends Omit<AlertRequest, 'cause' | 'source'> {
  causes: Array<{ cause: AlertCause; source: string }>;
  /** The customer as the message's handling reads them (once for all its steps); read here without it. */
  customer?: CustomerAtHandReader;
}

/** One cause: `raiseAlerts` with it alone. */
export function raiseAlert(deps: CoreDeps, a: AlertRequest): Promise<OutboundMessage[]> {
  const { cause, source, ...rest } = a;
  return raiseAlerts(deps, { ...rest, causes: [{ cause, source }] });
}

/**
 * One alert to the customer's owner (or, for an unowned customer, the managers at the top of the team tree), on the
 * platform where they work, naming every cause this message raised that was not raised before in the burst: a row
 * per cause (the digest and insights read them) is kept once per (customer, cause, burst), however many rules, model
 * answers or redeliveries raise it, and the send's key names the causes, so the outbox keeps it once. A hot lead is
 * recorded for the hot list and its batched ping (`hot-leads.ts`), not sent. The quote has phones, emails and ID
 * numbers masked for a recipient who may not unmask them; a quote shown whole is audited.
 */
export async function raiseAlerts(deps: CoreDeps, a: AlertsRequest): Promise<OutboundMessage[]> {
  const { db, clock } = deps;
  const fresh: AlertCause[] = [];
  for (const c of a.causes) if (await claim(deps, a, c.cause, c.source)) fresh.push(c.cause);
  if (fresh.length === 0) return [];
  const customer = await (a.customer ?? customerAtHandReader(db, a.customerId))();
  if (!customer) return [];
  const recipients =
    customer.activeOwnerId !== null ? [customer.activeOwnerId] : await fallbackRecipients(db);
  if (recipients[0] !== undefined) {
    await db
      .updateTable('alerts')
      .set({ staff_id: recipients[0] })
      .where('customer_id', '=', a.customerId)
      .where('cause', 'in', fresh)
      .where('burst_id', '=', a.burstId)
      .execute();
  }
  const causes = AT_ONCE.filter((c) => fresh.includes(c));
  if (causes.length === 0) return [];
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
    const say = (lang: Lang) => alertText(lang, causes, customer.id, customer.display_name, quoteIn(lang));
    const sent = await messageToStaff(
      deps,
      staffId,
      say,
      `alert:${a.customerId}:${causes.join('+')}:${a.burstId}:${staffId}`,
    );
    if (sent.length > 0 && unmask && holdsContactData(quote)) {
      await audit(db, clock.now(), {
        actorKind: 'system',
        actorStaffId: staffId,
        action: 'customer.unmasked_read',
        subjectKind: 'customer',
        subjectId: a.customerId,
        detail: { alert: causes[0] }, // named by its lead cause (complaint before refund …)
      });
    }
    // Tied to the customer: answering the alert with the platform's reply answers them (`customerOfRelay`).
    sends.push(...sent.map((m) => ({ ...m, customerId: a.customerId })));
  }
  return sends;
}

/**
 * Claims a cause for the burst: true when this message (and source) raised it, also when it is processed again after
 * a crash (its send is rebuilt with the same key, which the outbox keeps once); false when another message or
 * source raised it before.
 */
async function claim(deps: CoreDeps, a: AlertsRequest, cause: AlertCause, source: string): Promise<boolean> {
  const { db, clock } = deps;
  const alert = {
    customerId: a.customerId,
    cause,
    burstId: a.burstId,
    messageId: a.messageId ?? null,
    source,
  };
  if (await newAlert.changed(db, { ...alert, at: clock.now() })) return true;
  const earlier = await alertOfBurst.first(db, alert);
  return earlier !== undefined && earlier.message_id === alert.messageId && earlier.source === source;
}

interface AlertKey {
  customerId: number;
  cause: AlertCause;
  burstId: number;
}

const newAlert = preparedQuery((db, v: AlertKey & { messageId: number | null; source: string; at: number }) =>
  db
    .insertInto('alerts')
    .values({
      customer_id: v.customerId,
      cause: v.cause,
      burst_id: v.burstId,
      staff_id: null,
      message_id: v.messageId,
      source: v.source,
      created_at: v.at,
    })
    .onConflict((oc) => oc.columns(['customer_id', 'cause', 'burst_id']).doNothing()),
);

const alertOfBurst = preparedQuery((db, v: AlertKey) =>
  db
    .selectFrom('alerts')
    .select(['message_id', 'source'])
    .where('customer_id', '=', v.customerId)
    .where('cause', '=', v.cause)
    .where('burst_id', '=', v.burstId),
);

/**
 * Who hears about unowned customers: the managers of top-level teams (the sales org's heads). Without any, the alert
 * is kept (the digest counts it) but sent to nobody: admins run the system, not the pipeline.
 */
export async function fallbackRecipients(db: Kysely<Database>): Promise<number[]> {
  return (await topManagers(db)).map((m) => m.id);
}

function alertText(
  lang: Lang,
  causes: readonly AlertCause[],
  customerId: number,
  name: string,
  quote: string,
): string {
  const t = messages(lang).alerts;
  const head =
    causes.length === 1
      ? t.causes[causes[0] as AlertCause]
      : t.several(causes.map((c) => t.names[c]).join(' · '));
  return t.text(head, customerId, name, quote);
}

const excerptIn = (excerpt: AlertRequest['excerpt'], lang: Lang): string =>
  excerpt === undefined ? '' : typeof excerpt === 'string' ? excerpt : readableMessage(excerpt, lang);
