// The pages' calls to their own server (src/web/panel-routes.ts, console-routes.ts): same origin, the session
// cookie, the CSRF header.

/** The session ended (or never began): the page says so instead of failing each call. */
export class SignedOut extends Error {}

export interface Answer<T> {
  status: number;
  body: T;
}

export class Api {
  private csrf = '';

  /** Who is signed in, and the CSRF token every write echoes. */
  async me(): Promise<{ staff: { id: number; name: string; role: string; language: string }; host: string }> {
    const res = await fetch('/app/me', { credentials: 'same-origin' });
    if (res.status === 401) throw new SignedOut();
    const body = (await res.json()) as Awaited<ReturnType<Api['me']>> & { csrfToken: string };
    this.csrf = body.csrfToken;
    return body;
  }

  get<T>(path: string): Promise<Answer<T>> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, json: unknown): Promise<Answer<T>> {
    return this.call<T>('POST', path, json);
  }

  patch<T>(path: string, json: unknown): Promise<Answer<T>> {
    return this.call<T>('PATCH', path, json);
  }

  put<T>(path: string, json: unknown): Promise<Answer<T>> {
    return this.call<T>('PUT', path, json);
  }

  delete<T>(path: string): Promise<Answer<T>> {
    return this.call<T>('DELETE', path);
  }

  private async call<T>(method: string, path: string, json?: unknown): Promise<Answer<T>> {
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
    if (res.status === 401) throw new SignedOut();
    const body = (await res.json().catch(() => ({}))) as T;
    return { status: res.status, body };
  }
}
