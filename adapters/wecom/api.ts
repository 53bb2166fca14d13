import { z } from 'zod';
import type { Clock } from '../../src/core/ports/clock.ts';
import { readPayload } from '../payload.ts';
import { checkRobotUrl, type RobotHost } from '../robot-urls.ts';
import {
  RETRYABLE_ERRCODES,
  TOKEN_ERRCODES,
  tokenAnswer,
  uploadAnswer,
  type WecomResponse,
} from './types.ts';

/** A refusal from the WeCom API (`errcode` ≠ 0), or an HTTP failure (code = the HTTP status). */
export class WecomError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Tokens are renewed this long before WeCom says they expire. */
const EARLY_RENEWAL_MS = 5 * 60_000;
const CALL_TIMEOUT_MS = 10_000;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * The WeCom server API. One access token per secret (app, 客户联系, 微信客服: they are not interchangeable), cached
 * until shortly before expiry, fetched once when several calls need it at the same time, and fetched anew (once) when
 * WeCom says it is invalid or expired.
 */
export class WecomApi {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(
    private readonly corpId: string,
    private readonly apiBase: string,
    private readonly clock: Clock,
    /** Where robot webhook URLs may point (their key is always posted to `apiBase`). */
    private readonly robotHosts: readonly RobotHost[] = [],
  ) {}

  /** Calls `path` with the token of `secret`; resolves the response when errcode is 0, throws WecomError otherwise. */
  async call<T extends WecomResponse>(
    secret: string,
    path: string,
    options: { query?: Record<string, string>; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(secret, attempt > 0);
      const response = await this.request<T>(
        path,
        { ...options.query, access_token: token },
        options.body,
        options.signal,
      );
      if (TOKEN_ERRCODES.has(readAnswer(envelope, response, path).errcode ?? 0) && attempt === 0) {
        this.tokens.delete(secret);
        continue;
      }
      return checked(response, path);
    }
  }

  /** Calls `path` like `call`, and reads the answer with `schema` (a MalformedPayloadError names a field that does not). */
  async read<T>(
    schema: z.ZodType<T>,
    secret: string,
    path: string,
    options: { query?: Record<string, string>; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    return readAnswer(schema, await this.call(secret, path, options), path);
  }

  /**
   * Uploads a temporary file (media/upload, kept 3 days) as multipart field `media` with the token of `secret`;
   * resolves its media_id, for an image message through message/send or appchat/send.
   */
  async upload(
    secret: string,
    type: 'image' | 'file',
    file: { filename: string; contentType: string; bytes: Uint8Array },
    signal?: AbortSignal,
  ): Promise<string> {
    // A FormData serialises anew for each request, so the token retry can send it again.
    const body = new FormData();
    body.append('media', new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.filename);
    const r = await this.read(uploadAnswer, secret, '/cgi-bin/media/upload', {
      query: { type },
      body,
      ...(signal ? { signal } : {}),
    });
    if (!r.media_id) throw new WecomError(-1, 'media/upload answered without a media_id', true);
    return r.media_id;
  }

  /**
   * GETs a file (`media/get`) with the token of `secret`, without following redirects: the answer as it came, for the
   * caller to read within its limit. A refusal comes as JSON without a Content-Disposition and throws like any call
   * (a refused token is renewed once). `signal` bounds the whole download.
   */
  async download(secret: string, path: string, query: Record<string, string>, signal: AbortSignal) {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(secret, attempt > 0);
      const url = `${this.apiBase}${path}?${new URLSearchParams({ ...query, access_token: token }).toString()}`;
      let response: Response;
      try {
        response = await fetch(url, { method: 'GET', redirect: 'manual', signal });
      } catch (error) {
        throw new WecomError(0, `${path}: ${error instanceof Error ? error.name : 'network error'}`, true);
      }
      if (!response.ok)
        throw new WecomError(response.status, `${path}: HTTP ${response.status}`, response.status >= 500);
      if (response.headers.has('content-disposition')) return response;
      const answer = (await response.json().catch(() => ({ errcode: -1 }))) as WecomResponse;
      if (TOKEN_ERRCODES.has(answer.errcode) && attempt === 0) {
        this.tokens.delete(secret);
        continue;
      }
      checked(answer, path);
      throw new WecomError(-1, `${path}: answered without a file`, false);
    }
  }

  /**
   * Posts to a group robot named by its webhook URL (as WeCom shows it) or its key; the key is the credential (no
   * token) and always goes to the API base. A URL off WeCom's hosts or not shaped as a robot webhook is refused.
   */
  async robot(webhook: string, body: unknown, signal?: AbortSignal): Promise<void> {
    const verdict = checkRobotUrl('wecom', webhook, this.robotHosts);
    if (!verdict.ok || !verdict.key)
      throw new WecomError(0, `robot webhook refused: ${verdict.ok ? 'no key' : verdict.reason}`, false);
    const path = '/cgi-bin/webhook/send';
    checked(await this.request<WecomResponse>(path, { key: verdict.key }, body, signal), path);
  }

  private async token(secret: string, renew: boolean): Promise<string> {
    const cached = this.tokens.get(secret);
    if (!renew && cached && cached.expiresAt > this.clock.now()) return cached.token;
    const inFlight = this.fetching.get(secret);
    if (inFlight) return inFlight;
    const fetching = this.request<WecomResponse>('/cgi-bin/gettoken', {
      corpid: this.corpId,
      corpsecret: secret,
    })
      .then((r) => {
        const read = readAnswer(tokenAnswer, checked(r, '/cgi-bin/gettoken'), '/cgi-bin/gettoken');
        const { access_token: token, expires_in: expiresIn } = read;
        if (!token) throw new WecomError(-1, 'gettoken answered without a token', true);
        this.tokens.set(secret, {
          token,
          expiresAt: this.clock.now() + (expiresIn ?? 7200) * 1000 - EARLY_RENEWAL_MS,
        });
        return token;
      })
      .finally(() => this.fetching.delete(secret));
    this.fetching.set(secret, fetching);
    return fetching;
  }

  private async request<T>(
    path: string,
    query: Record<string, string>,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const url = `${this.apiBase}${path}?${new URLSearchParams(query).toString()}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        // A redirect would carry the token or robot key elsewhere: never followed (a 3xx fails below).
        redirect: 'manual',
        ...(body === undefined
          ? {}
          : body instanceof FormData
            ? { body } // fetch sets multipart/form-data with its boundary
            : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)])
          : AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      // The URL carries the access token: never let it reach an error message.
      throw new WecomError(0, `${path}: ${error instanceof Error ? error.name : 'network error'}`, true);
    }
    if (!response.ok)
      throw new WecomError(response.status, `${path}: HTTP ${response.status}`, response.status >= 500);
    try {
      return (await response.json()) as T;
    } catch {
      throw new WecomError(response.status, `${path}: unreadable answer`, true);
    }
  }
}

/** Every answer is an object with `errcode` (a number; WeCom leaves it out of some successes) and `errmsg`. */
const envelope = z
  .object({
    errcode: z
      .int()
      .nullish()
      .transform((v) => v ?? undefined),
    errmsg: z.unknown().optional(),
  })
  .loose();

/** The answer when its errcode is 0 (or absent); a WecomError with the code otherwise. */
function checked<T extends WecomResponse>(response: T, path: string): T {
  const { errcode, errmsg } = readAnswer(envelope, response, path);
  if (errcode === 0 || errcode === undefined) return response;
  const message = `errcode ${errcode}: ${(typeof errmsg === 'string' ? errmsg : '').split(',')[0]}`;
  throw new WecomError(errcode, message, RETRYABLE_ERRCODES.has(errcode));
}

/**
 * What `schema` reads from an answer of `path`; otherwise a MalformedPayloadError naming the field (never its value):
 * the same answer would come again, so what needs it fails for good instead of being retried.
 */
export function readAnswer<T>(schema: z.ZodType<T>, answer: unknown, path: string): T {
  return readPayload(schema, answer, `${path} answered in an unexpected shape`);
}
