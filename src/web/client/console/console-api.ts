import type { webApp } from '../../../core/kernel/i18n/web-app.ts';

import { type Answer, Api, SignedOut } from '../api.ts';

// The console's calls to its own server (src/web/console-routes.ts), through the panel's client: a refusal the server
// explained becomes an error, so screens handle one path.

/** The console's words, in the staff member's language (the shell hands them over on its root element). */
export type ConsoleLabels = (typeof webApp)['en']['webApp']['console'];

/** The session ended (or never began). */
export { SignedOut as ConsoleSignedOut };

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
  private readonly api = new Api();

  /** Reads the CSRF token every write echoes. */
  async start(): Promise<void> {
    await this.api.me();
  }

  get<T>(path: string): Promise<T> {
    return answered(this.api.get<T & { error?: string }>(path));
  }

  patch<T>(path: string, json: unknown): Promise<T> {
    return answered(this.api.patch<T & { error?: string }>(path, json));
  }

  post<T>(path: string, json: unknown): Promise<T> {
    return answered(this.api.post<T & { error?: string }>(path, json));
  }

  put<T>(path: string, json: unknown): Promise<T> {
    return answered(this.api.put<T & { error?: string }>(path, json));
  }

  delete<T>(path: string): Promise<T> {
    return answered(this.api.delete<T & { error?: string }>(path));
  }
}

async function answered<T>(call: Promise<Answer<T & { error?: string }>>): Promise<T> {
  const { status, body } = await call;
  if (status >= 400) throw new ConsoleRefused(status, body.error ?? String(status));
  return body;
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
