import type { CoreDeps } from '../kernel/runtime.ts';
import { findChannelCode } from '../marketing/attribution/codes.ts';
import type { ContactEvent } from '../ports/events.ts';
import type { OutboundAction } from '../ports/outbound.ts';
import { mayContact } from '../records/privacy/do-not-contact.ts';

/**
 * The welcome (欢迎语) a new contact gets with the platform's code: their channel code's, else the configured default,
 * `{name}` filled with the customer's name; none without a code or a text, or for a customer who asked not to be
 * contacted. Queued at once (the code lives 20 s); keyed by the event, so a redelivery greets nobody twice.
 */
export async function contactWelcome(
  deps: CoreDeps,
  ev: ContactEvent,
  customerId: number,
  key: string,
): Promise<OutboundAction[]> {
  if (!ev.welcomeCode) return [];
  const channel = ev.channel ? await findChannelCode(deps.db, ev.channel) : null;
  const template = channel?.welcome ?? deps.org.contactWelcome;
  if (!template || !(await mayContact(deps.db, customerId))) return [];
  const customer = await deps.db
    .selectFrom('customers')
    .select('display_name')
    .where('id', '=', customerId)
    .executeTakeFirst();
  const text = template.replaceAll('{name}', customer?.display_name ?? '');
  return [
    {
      platform: ev.platform,
      workspace: ev.workspace,
      idempotencyKey: `${key}:welcome`,
      action: { type: 'contact_welcome', code: ev.welcomeCode, text },
    },
  ];
}
