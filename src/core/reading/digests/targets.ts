import type { DigestSubscriptionTable } from '../../../../db/schema.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundContent, OutboundMessage } from '../../ports/outbound.ts';

/**
 * Where a subscription's digest goes: the group chat it was subscribed in, or a robot webhook (WeCom group robot,
 * Feishu custom bot with its signing secret). null when that platform is not on.
 */
export function digestTarget(
  deps: CoreDeps,
  sub: Pick<DigestSubscriptionTable, 'platform' | 'target_kind' | 'target_ref' | 'target_secret'>,
  content: OutboundContent,
  key: string,
): OutboundMessage | null {
  const adapter = deps.adapters.get(sub.platform);
  if (!adapter) return null;
  return {
    platform: sub.platform,
    workspace: adapter.workspace,
    target:
      sub.target_kind === 'robot'
        ? {
            kind: 'robot',
            webhook: sub.target_ref,
            ...(sub.target_secret ? { secret: sub.target_secret } : {}),
          }
        : { kind: 'chat', chatId: sub.target_ref, chatKind: 'group' },
    content,
    idempotencyKey: key,
  };
}
