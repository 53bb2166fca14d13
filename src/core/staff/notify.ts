import { audit } from '../audit.ts';
import type { Platform } from '../events.ts';
import { type Lang, languageOf } from '../i18n.ts';
import type { OutboundMessage, RefusalCode } from '../outbound.ts';
import { maskContentFor } from '../permissions/mask-content.ts';
import type { CoreDeps } from '../runtime.ts';

/**
 * A private message to a staff member on a platform where they have an account and the adapter is on, preferring
 * `prefer`, with contact data masked for a rep. Empty when the staff member cannot be reached (the caller's record
 * stays the only trace).
 */
export async function messageToStaff(
  deps: CoreDeps,
  staffId: number,
  text: Record<Lang, string>,
  idempotencyKey: string,
  prefer?: Platform,
): Promise<OutboundMessage[]> {
  const identities = await deps.db
    .selectFrom('staff_identities')
    .innerJoin('staff', 'staff.id', 'staff_identities.staff_id')
    .select(['staff_identities.platform', 'staff_identities.external_id', 'staff.language', 'staff.role'])
    .where('staff_id', '=', staffId)
    .where('staff.active', '=', 1)
    .execute();
  const reachable = identities.filter((i) => deps.adapters.has(i.platform));
  const chosen = reachable.find((i) => i.platform === prefer) ?? reachable[0];
  const adapter = chosen && deps.adapters.get(chosen.platform);
  if (!chosen || !adapter) return [];
  return [
    {
      platform: adapter.platform,
      workspace: adapter.workspace,
      target: { kind: 'chat', chatId: chosen.external_id, chatKind: 'private' },
      content: maskContentFor(chosen.role !== 'rep', { text: text[languageOf(chosen.language)] }),
      idempotencyKey,
    },
  ];
}

/**
 * Tells a staff member that a message to their customer could not be delivered, and why, so that nothing is
 * silently dropped (the platform refused it for good: outside WeChat Customer Service's reply window, blocked…).
 */
export async function reportUndelivered(
  deps: CoreDeps,
  staffId: number,
  failed: {
    customerId?: number;
    platform: Platform;
    idempotencyKey: string;
    code?: RefusalCode;
    error: string;
  },
): Promise<OutboundMessage[]> {
  const customer = failed.customerId
    ? await deps.db
        .selectFrom('customers')
        .select(['id', 'display_name'])
        .where('id', '=', failed.customerId)
        .executeTakeFirst()
    : undefined;
  const who = customer ? `${customer.display_name} #${customer.id}` : '';
  const why = failed.code ? REFUSALS[failed.code] : { zh: failed.error, en: failed.error };
  return messageToStaff(
    deps,
    staffId,
    { zh: `未能送达${who}：${why.zh}`, en: `Not delivered to ${who}: ${why.en}` },
    `${failed.idempotencyKey}:undelivered`,
    failed.platform,
  );
}

const REFUSALS: Record<RefusalCode, Record<Lang, string>> = {
  reply_window: {
    zh: '已超出微信客服的回复时限（客户最后一条消息后48小时内、最多5条）。请等客户再次发来消息后再回复。',
    en: "WeChat Customer Service only allows replies within 48 hours of the customer's last message, 5 at most. Reply once the customer writes again.",
  },
  session_with_person: {
    zh: '这个微信客服会话已由接待人员在企业微信里接待（或已结束），只能由接待人员在企业微信客户端回复。',
    en: "A servicer took this WeChat Customer Service session in WeCom's own client (or it ended): answer there.",
  },
  session_ended: {
    zh: '这个微信客服会话已结束，需等客户再次发来消息。',
    en: 'This WeChat Customer Service session has ended; the customer must write again.',
  },
  not_servicer: {
    zh: '接手人不是这个客服账号的接待人员（或未激活、已停止接待）。请在企业微信管理后台把他加为接待人员后再试。',
    en: 'The person is not an active servicer of this customer-service account. Add them as a servicer in the WeCom admin console, then try again.',
  },
};

/** A private message to every active admin who can be reached, each keyed `${key}:${adminId}` (sent once). */
export async function messageToAdmins(
  deps: CoreDeps,
  text: Record<Lang, string>,
  key: string,
): Promise<OutboundMessage[]> {
  const admins = await deps.db
    .selectFrom('staff')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .execute();
  const sends: OutboundMessage[] = [];
  for (const a of admins) sends.push(...(await messageToStaff(deps, a.id, text, `${key}:${a.id}`)));
  return sends;
}

/**
 * Records that Liaison stopped something on its own (a subscription, an SOP: its owner left or lost the role) and
 * tells every active admin; call it only from the one writer whose conditional update stopped it, so it happens once.
 */
export async function reportStopped(
  deps: CoreDeps,
  stopped: { action: string; subjectKind: string; subjectId: number; reason: string },
  text: Record<Lang, string>,
): Promise<OutboundMessage[]> {
  await audit(deps.db, deps.clock.now(), {
    actorKind: 'system',
    action: stopped.action,
    subjectKind: stopped.subjectKind,
    subjectId: stopped.subjectId,
    detail: { reason: stopped.reason },
  });
  return messageToAdmins(deps, text, `${stopped.action}:${stopped.subjectId}`);
}
