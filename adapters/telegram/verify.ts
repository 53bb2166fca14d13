import type { WebhookRequest, WebhookVerdict } from '../../src/core/ports/adapter.ts';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Telegram signs nothing: the secret token set with setWebhook, echoed in a header, is the only proof. */
export async function verifyTelegram(
  request: WebhookRequest,
  secretMatches: (given: string) => boolean,
): Promise<WebhookVerdict> {
  if (request.method !== 'POST') return { kind: 'reject', status: 405, reason: 'Telegram posts updates' };
  const given = request.headers.get(SECRET_HEADER);
  if (given === null) return { kind: 'reject', status: 401, reason: 'missing secret token header' };
  if (!secretMatches(given)) return { kind: 'reject', status: 401, reason: 'wrong secret token' };
  let update: unknown;
  try {
    update = JSON.parse(request.body);
  } catch {
    return { kind: 'reject', status: 400, reason: 'body is not JSON' };
  }
  const updateId = (update as { update_id?: unknown } | null)?.update_id;
  if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId) || updateId < 0) {
    return { kind: 'reject', status: 400, reason: 'body is not a Telegram update (no update_id)' };
  }
  return { kind: 'accept', deliveries: [{ dedupKey: String(updateId), payload: request.body }] };
}
