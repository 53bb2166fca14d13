import { audit } from '../../kernel/audit.ts';
import { type Lang, type Localized, languageOf, messages } from '../../kernel/i18n/index.ts';
import { maskContentFor } from '../../kernel/permissions/mask-content.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { Platform } from '../../ports/events.ts';
import type { OutboundMessage, RefusalCode } from '../../ports/outbound.ts';

/**
 * A private message to a staff member on a platform where they have an account and the adapter is on, preferring
 * `prefer`, with contact data masked for a rep. Empty when the staff member cannot be reached (the caller's record
 * stays the only trace).
 */
export async function messageToStaff(
  deps: CoreDeps,
  staffId: number,
  text: Localized,
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
      content: maskContentFor(chosen.role !== 'rep', { text: text(languageOf(chosen.language)) }),
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
  const { code } = failed;
  const why = (lang: Lang) => (code ? messages(lang).undelivered.refusals[code] : failed.error);
  return messageToStaff(
    deps,
    staffId,
    (lang) => messages(lang).undelivered.notice(who, why(lang)),
    `${failed.idempotencyKey}:undelivered`,
    failed.platform,
  );
}

/** A private message to every active admin who can be reached, each keyed `${key}:${adminId}` (sent once). */
export async function messageToAdmins(
  deps: CoreDeps,
  text: Localized,
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
  text: Localized,
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
