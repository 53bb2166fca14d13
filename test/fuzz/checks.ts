import fc from 'fast-check';
import type { WebhookVerdict } from '../../src/core/ports/adapter.ts';
import type { InboundEvent } from '../../src/core/ports/events.ts';

/** A case slower than this is a hang (a regex gone exponential, a loop that does not end). */
export const CASE_LIMIT_MS = 1_000;
/** A failure a caller can act on: an Error with a message, not an engine error from inside (TypeError…). */
export function assertTypedFailure(error: unknown): void {
  if (!(error instanceof Error) || !error.message)
    throw new Error(`threw a non-Error or no message: ${String(error)}`);
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError)
    throw error;
}

export function assertVerdict(v: WebhookVerdict): void {
  if (v.kind === 'reject') {
    if (!(v.status >= 400 && v.status < 500) || !v.reason) throw new Error(`reject ${v.status} ${v.reason}`);
  } else if (v.kind === 'accept') {
    for (const d of v.deliveries) {
      if (typeof d.dedupKey !== 'string' || !d.dedupKey || typeof d.payload !== 'string')
        throw new Error(`malformed delivery ${JSON.stringify(d)}`);
    }
  } else if (typeof v.body !== 'string') throw new Error('respond without a body');
}

export const isString = (v: unknown) => typeof v === 'string';

/** An id that names someone or something: text, not empty, and not a missing value turned into text. */
const NOT_IDS = new Set(['', 'undefined', 'null', 'NaN', '[object Object]']);
export const isId = (v: unknown) => typeof v === 'string' && !NOT_IDS.has(v);

/** What the core relies on in an event; card values read exactly as card-action.ts reads them. */
export function assertEvents(events: InboundEvent[]): void {
  if (!Array.isArray(events)) throw new Error('decode returned no array');
  for (const e of events) {
    const bad = (what: string) => new Error(`${e.kind} event: ${what} in ${JSON.stringify(e)}`);
    if (!isString(e.platform) || !isString(e.workspace) || !isString(e.kind)) throw bad('identity');
    if (!Number.isFinite(e.occurredAt)) throw bad('occurredAt');
    // A missing id must be refused, never become a person or chat called `undefined`.
    if (!idsOf(e).every(isId)) throw bad('an id that names nothing');
    if (e.kind === 'message') {
      if (!isString(e.text)) throw bad('message fields');
      if (e.botCommandText !== undefined && !isString(e.botCommandText)) throw bad('botCommandText');
    }
    if (e.kind === 'card_action') {
      if (typeof e.value !== 'object' || e.value === null || !isString(e.actor.externalId))
        throw bad('value');
      String(e.value.action ?? '');
      Number(e.value.customer);
      Number(e.value.request);
    }
  }
}

/** The ids an event names people, chats and messages by. */
function idsOf(e: InboundEvent): unknown[] {
  switch (e.kind) {
    case 'message':
      return [e.messageId, e.chat.key, e.chat.platformChatId, e.sender.externalId];
    case 'card_action':
      return [e.actor.externalId, e.clickId];
    case 'contact':
      return [e.member.externalId, e.customer.externalId];
    case 'connection':
      return [e.connectionId, e.owner.externalId, e.ownerChatId];
    case 'messages_deleted':
      return [e.chat.key, e.chat.platformChatId, ...e.messageIds];
    case 'group':
      return [e.chat.platformChatId];
    case 'service_pull':
      return [e.accountId];
    default:
      return [];
  }
}

/** Runs `decode`, which may refuse with a typed Error; anything it returns must be well formed. */
export function decodeChecked(decode: () => InboundEvent[]): void {
  let events: InboundEvent[];
  try {
    events = decode();
  } catch (error) {
    assertTypedFailure(error);
    return;
  }
  assertEvents(events);
}

export function timed<T extends unknown[]>(check: (...args: T) => void): (...args: T) => void {
  return (...args) => {
    const started = performance.now();
    check(...args);
    const took = performance.now() - started;
    if (took > CASE_LIMIT_MS) throw new Error(`case took ${took.toFixed(0)} ms`);
  };
}

export function timedAsync<T extends unknown[]>(
  check: (...args: T) => Promise<void>,
): (...args: T) => Promise<void> {
  return async (...args) => {
    const started = performance.now();
    await check(...args);
    const took = performance.now() - started;
    if (took > CASE_LIMIT_MS) throw new Error(`case took ${took.toFixed(0)} ms`);
  };
}

export interface FuzzTarget {
  name: string;
  /** Relative share of the long run's cases (cheap properties get more). */
  weight: number;
  property: () => fc.IRawProperty<unknown[], boolean>;
}

export const sync = <T extends unknown[]>(
  arbs: { [K in keyof T]: fc.Arbitrary<T[K]> },
  check: (...args: T) => void,
) =>
  (() =>
    fc.property(
      ...(arbs as unknown as [fc.Arbitrary<unknown>]),
      timed(check as (...a: unknown[]) => void),
    )) as unknown as FuzzTarget['property'];
export const async = <T extends unknown[]>(
  arbs: { [K in keyof T]: fc.Arbitrary<T[K]> },
  check: (...args: T) => Promise<void>,
) =>
  (() =>
    fc.asyncProperty(
      ...(arbs as unknown as [fc.Arbitrary<unknown>]),
      timedAsync(check as (...a: unknown[]) => Promise<void>),
    )) as unknown as FuzzTarget['property'];
