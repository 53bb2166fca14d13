import type { webApp } from '../../../core/kernel/i18n/web-app.ts';

// The console's calls to its own server (src/web/console-routes.ts): same origin, the session cookie, the CSRF header.

/** The console's words, in the staff member's language (the shell hands them over on its root element). */
export type ConsoleLabels = (typeof webApp)['en']['webApp']['console'];

/** The session ended (or never began). */
export class ConsoleSignedOut extends Error {}

/** A refusal the server explained (`error`), with its status. */
export class ConsoleRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class ConsoleApi {
  private csrf = '';

  /** Reads the CSRF token every write echoes. */
  async start(): Promise<void> {
    const res = await fetch('/app/me', { credentials: 'same-origin' });
    if (res.status === 401) throw new ConsoleSignedOut();
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  patch<T>(path: string, json: unknown): Promise<T> {
    return this.call<T>('PATCH', path, json);
  }

  private async call<T>(method: string, path: string, json?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      // The pages' `no-referrer` would send `Origin: null` on a write; the server's Origin check needs the real one.
      referrerPolicy: 'same-origin',
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    if (res.status === 401) throw new ConsoleSignedOut();
    const body = (await res.json().catch(() => ({}))) as T & { error?: string };
    if (!res.ok) throw new ConsoleRefused(res.status, body.error ?? String(res.status));
    return body;
  }
}

/** An amount in minor units as the page's language (its `<html lang>`, a BCP 47 tag) writes money. */
export function money(amountMinor: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amountMinor / 100);
  } catch {
    return `${(amountMinor / 100).toFixed(2)} ${currency}`;
  }
}

/** A day (ISO time) as a short local date. */
export const day = (iso: string, locale: string): string => new Date(iso).toLocaleDateString(locale);
