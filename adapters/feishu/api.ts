import { createHmac } from 'node:crypto';
import { Client, Domain } from '@larksuiteoapi/node-sdk';
import type { SendResult } from '../../src/core/ports/outbound.ts';
import type { FeishuConfig } from './types.ts';

/** A Feishu answer that is not success: `code` ≠ 0 (on any HTTP status), or an HTTP/network failure (code 0). */
export class FeishuError extends Error {
  constructor(
    readonly code: number,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 0 || RETRYABLE_CODES.has(this.code);
  }
}

/** Frequency limits (per app, per chat), internal errors. */
const RETRYABLE_CODES = new Set([99991400, 230020, 1000004, 1000005, 99991401]);
/** Token missing, invalid or expired: fetch a new one and try once more. */
export const TOKEN_CODES = new Set([99991661, 99991663, 99991664, 99991665, 99991668]);

/** Runs one SDK call: resolves the answer when code is 0, throws FeishuError otherwise. */
export type FeishuCall = <T extends { code?: number; msg?: string }>(request: () => Promise<T>) => Promise<T>;

/** The SDK logs request details (customer data included): Liaison logs what it needs itself. */
const silent = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

/**
 * The Lark SDK client for one app, and `call`, which runs a request through it: code ≠ 0 becomes a FeishuError, and
 * a refused token is dropped and the request tried once more. The SDK's default token cache is process-wide; each
 * client keeps its own.
 */
export function createFeishuClient(config: FeishuConfig): { client: Client; call: FeishuCall } {
  const tokens = new Map<string, { value: unknown; expiresAt: number }>();
  const keyOf = (key: unknown, namespace?: string) => `${namespace ?? ''}/${String(key)}`;
  const client = new Client({
    appId: config.appId,
    appSecret: config.appSecret,
    domain:
      config.domain === 'feishu'
        ? Domain.Feishu
        : config.domain === 'lark'
          ? Domain.Lark
          : config.domain.replace(/\/+$/, ''),
    logger: silent,
    cache: {
      async set(key, value, expiresAt, options) {
        tokens.set(keyOf(key, options?.namespace), {
          value,
          expiresAt: expiresAt ?? Number.POSITIVE_INFINITY,
        });
        return true;
      },
      async get(key, options) {
        const hit = tokens.get(keyOf(key, options?.namespace));
        return hit && hit.expiresAt > Date.now() ? hit.value : undefined;
      },
    },
  });
  const call: FeishuCall = async (request) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await request();
        if (answer.code !== undefined && answer.code !== 0)
          throw new FeishuError(answer.code, 200, `code ${answer.code}: ${answer.msg ?? ''}`);
        return answer;
      } catch (error) {
        const e = asFeishuError(error);
        if (attempt === 0 && TOKEN_CODES.has(e.code)) {
          tokens.clear();
          continue;
        }
        throw e;
      }
    }
  };
  return { client, call };
}

/** The SDK throws for HTTP errors and returns the body for code ≠ 0 on HTTP 200: both become FeishuError. */
export function asFeishuError(error: unknown): FeishuError {
  if (error instanceof FeishuError) return error;
  const e = error as {
    response?: { status?: number; data?: { code?: number; msg?: string } };
    name?: string;
    message?: string;
  };
  if (e?.response) {
    const code = e.response.data?.code ?? 0;
    return new FeishuError(
      code,
      e.response.status ?? 0,
      `code ${code}: ${e.response.data?.msg ?? `HTTP ${e.response.status}`}`,
    );
  }
  // Network failure, timeout, or the SDK failing to get a token: no HTTP answer to go by.
  return new FeishuError(
    0,
    0,
    e?.message?.includes('tenant_access_token')
      ? 'could not get a tenant_access_token'
      : (e?.name ?? 'network error'),
  );
}

export function feishuFailure(error: unknown): Extract<SendResult, { ok: false }> {
  const e = asFeishuError(error);
  return { ok: false, retryable: e.retryable, error: e.message };
}

/** Custom bot signature: HMAC-SHA256 keyed by `timestamp\nsecret` over an empty message, base64. */
export function customBotSign(timestampSeconds: string, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}
