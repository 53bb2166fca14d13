import type { Role } from '../../../db/schema.ts';
import { audit } from '../audit.ts';
import type { ChatKind, MessageEvent } from '../events.ts';
import type { Lang } from '../i18n.ts';
import type { OutboundMessage } from '../outbound.ts';
import { holdsContactData } from '../permissions/mask.ts';
import type { CoreDeps } from '../runtime.ts';
import { messageToStaff } from '../staff/notify.ts';

/** Chats only the bot sees: staff read a customer's words there only through a relay (not Business or groups). */
const UNSEEN_BY_STAFF: readonly ChatKind[] = ['private', 'service'];

/** The part of a relay's idempotency key that marks it, so a platform reply to it can be traced to the customer. */
const RELAY_MARK = ':relay:';

/**
 * A customer's new message in a chat staff cannot see, relayed to whoever answers it: the owner in their own chat
 * with the bot, or, for an unowned customer, the managers of the top-level teams (the admins when there are none).
 * Masked for reps by `messageToStaff`; keyed by the delivery, so redeliveries, restarts and other instances relay it
 * once; never addressed to the customer.
 */
export async function relayToStaff(
  deps: CoreDeps,
  ev: MessageEvent,
  c: { customerId: number; fromCustomer: boolean },
  key: string,
): Promise<OutboundMessage[]> {
  if (!c.fromCustomer || ev.editedAt !== undefined || !UNSEEN_BY_STAFF.includes(ev.chat.kind)) return [];
  const customer = await deps.db
    .selectFrom('customers')
    .select(['id', 'display_name', 'owner_staff_id'])
    .where('id', '=', c.customerId)
    .executeTakeFirst();
  if (!customer) return [];
  const recipients = await relayRecipients(deps, customer.owner_staff_id);
  const said = ev.text.trim() || `[${ev.contentType}]`;
  const text = {
    zh: relayText('zh', customer.id, customer.display_name, ev.platform, said),
    en: relayText('en', customer.id, customer.display_name, ev.platform, said),
  };
  const out: OutboundMessage[] = [];
  const whole = holdsContactData(`${customer.display_name} ${said}`);
  for (const r of recipients) {
    const relayKey = `${key}${RELAY_MARK}${r.id}`;
    const sent = await messageToStaff(deps, r.id, text, relayKey, ev.platform);
    // The customer is carried (not the chat): the relay stays off the timeline, and a reply to it finds them.
    out.push(...sent.map((m) => ({ ...m, customerId: customer.id })));
    // Reps get it masked; anyone else reads the contact data whole, which is audited like any unmasked read.
    if (whole && sent.length > 0 && r.role !== 'rep')
      await audit(deps.db, deps.clock.now(), {
        actorKind: 'system',
        actorStaffId: r.id,
        action: 'customer.unmasked_read',
        subjectKind: 'customer',
        subjectId: customer.id,
        detail: { relay: relayKey },
      });
  }
  return out;
}

/** The owner when active; else the managers of top-level teams; else the admins. */
async function relayRecipients(
  deps: CoreDeps,
  ownerStaffId: number | null,
): Promise<Array<{ id: number; role: Role }>> {
  const { db } = deps;
  const active = db.selectFrom('staff').select(['staff.id', 'staff.role']).where('staff.active', '=', 1);
  if (ownerStaffId !== null) {
    const owner = await active.where('staff.id', '=', ownerStaffId).executeTakeFirst();
    if (owner) return [owner];
  }
  const managers = await active
    .innerJoin('teams', 'teams.id', 'staff.team_id')
    .where('staff.role', '=', 'manager')
    .where('teams.parent_id', 'is', null)
    .orderBy('staff.id')
    .execute();
  if (managers.length > 0) return managers;
  return active.where('staff.role', '=', 'admin').orderBy('staff.id').execute();
}

const PLATFORM_NAMES: Record<string, Record<Lang, string>> = {
  telegram: { zh: 'Telegram', en: 'Telegram' },
  wecom: { zh: '微信客服', en: 'WeChat Customer Service' },
  feishu: { zh: '飞书', en: 'Feishu' },
  web: { zh: '网页', en: 'web chat' },
};

function relayText(lang: Lang, id: number, name: string, platform: string, said: string): string {
  const where = PLATFORM_NAMES[platform]?.[lang] ?? platform;
  return lang === 'zh'
    ? `💬 #${id} ${name}（${where}）：\n${said}\n\n直接回复这条消息即可回复客户，或发送 /reply #${id} <内容>`
    : `💬 #${id} ${name} (${where}):\n${said}\n\nReply to this message to answer, or send /reply #${id} <text>`;
}

/**
 * The customer a relay was about, when a staff member answers it with the platform's reply (Telegram
 * `reply_to_message`, a Feishu reply): found by the platform's id of the relay in that staff member's chat.
 */
export async function customerOfRelay(
  deps: CoreDeps,
  ev: Pick<MessageEvent, 'platform' | 'workspace' | 'replyToMessageId' | 'chat'>,
): Promise<number | null> {
  if (!ev.replyToMessageId) return null;
  const rows = await deps.db
    .selectFrom('outbox')
    .select(['target', 'customer_id'])
    .where('platform', '=', ev.platform)
    .where('platform_message_id', '=', ev.replyToMessageId)
    .where('workspace', '=', ev.workspace)
    .where('idempotency_key', 'like', `%${RELAY_MARK}%`)
    .where('customer_id', 'is not', null)
    .execute();
  // Message ids are per chat on some platforms: the relay is the one sent to this chat.
  const relay = rows.find(
    (r) => (JSON.parse(r.target) as { chatId?: string }).chatId === ev.chat.platformChatId,
  );
  return relay?.customer_id ?? null;
}
