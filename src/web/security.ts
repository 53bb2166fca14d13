import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { tokenHash } from '../core/records/staff/web-sessions.ts';

// The web app's transport rules: cookies, security headers, and the two CSRF checks every write passes.

/** Where the app is served, as the security rules need it (from PUBLIC_URL). */
export interface WebOrigin {
  /** `https://crm.example.com` (no path). */
  origin: string;
  /** Plain http on this computer (localhost, 127.0.0.1, [::1]): cookies without `Secure`, for development. */
  localDev: boolean;
  /** Origins that show the app's pages in a frame (from the adapters' `signIn.framedBy`). */
  framers: readonly string[];
}

export function webOrigin(publicUrl: string, framers: readonly string[]): WebOrigin {
  const url = new URL(publicUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return {
    origin: url.origin,
    localDev: url.protocol === 'http:' && loopback,
    framers: [...new Set(framers)],
  };
}

/** Cookie names; `__Host-` (Secure, Path=/, no Domain: no subdomain can set or read them) wherever it can be used. */
export const cookieNames = (o: WebOrigin) =>
  o.localDev
    ? { session: 'liaison_session', csrf: 'liaison_csrf' }
    : { session: '__Host-liaison_session', csrf: '__Host-liaison_csrf' };

/**
 * Sets the session cookie (HttpOnly) and the CSRF cookie (readable by the page, which echoes it in `X-CSRF-Token`).
 * SameSite=Lax by default: WeCom's sidebar, Feishu's web apps and the Telegram apps open the page top-level in their
 * webview, where Lax cookies are sent. A sign-in through a client that shows the page in a cross-site frame (Telegram
 * Web's Mini App iframe) needs SameSite=None to be sent there at all, and Partitioned (CHIPS) so browsers that block
 * third-party cookies keep it, scoped to that embedding site; the CSRF token and the Origin check still guard writes.
 */
export async function setSessionCookies(
  c: Context,
  o: WebOrigin,
  token: string,
  lifetimeMs: number,
  framed: boolean,
): Promise<string> {
  const names = cookieNames(o);
  const csrf = await csrfTokenOf(token);
  // SameSite=None needs Secure, which plain-http development cannot have: there the page is not framed.
  const crossSite = framed && !o.localDev;
  const common = {
    path: '/',
    secure: !o.localDev,
    // Max-Age, not Expires: the session's end by the server's clock, whatever the browser's clock says.
    maxAge: Math.max(1, Math.floor(lifetimeMs / 1000)),
    sameSite: crossSite ? ('None' as const) : ('Lax' as const),
    ...(crossSite ? { partitioned: true } : {}),
  };
  setCookie(c, names.session, token, { ...common, httpOnly: true });
  setCookie(c, names.csrf, csrf, common);
  return csrf;
}

export function clearSessionCookies(c: Context, o: WebOrigin): void {
  const names = cookieNames(o);
  for (const name of [names.session, names.csrf]) {
    setCookie(c, name, '', { path: '/', secure: !o.localDev, maxAge: 0 });
    // A framed sign-in's cookies live in their own partition: cleared there too.
    if (!o.localDev)
      setCookie(c, name, '', { path: '/', secure: true, sameSite: 'None', partitioned: true, maxAge: 0 });
  }
}

export const sessionToken = (c: Context, o: WebOrigin): string => getCookie(c, cookieNames(o).session) ?? '';

/** The CSRF token bound to a session: derived from its (HttpOnly, secret) token, so another site cannot make one. */
export const csrfTokenOf = (sessionToken: string): Promise<string> => tokenHash(`csrf:${sessionToken}`);

/** Whether a write's `X-CSRF-Token` header is this session's token and equals the CSRF cookie (double submit). */
export async function csrfMatches(c: Context, o: WebOrigin, sessionToken: string): Promise<boolean> {
  const header = c.req.header('x-csrf-token') ?? '';
  const cookie = getCookie(c, cookieNames(o).csrf) ?? '';
  const expected = await csrfTokenOf(sessionToken);
  return sameText(header, expected) && sameText(cookie, expected);
}

/**
 * Whether a write comes from the app's own pages: its Origin (or, where a client leaves Origin out, its Referer's
 * origin) is the app's. A write naming neither is refused.
 */
export function sameOrigin(c: Context, o: WebOrigin): boolean {
  const origin = c.req.header('origin');
  if (origin !== undefined) return origin === o.origin;
  const referer = c.req.header('referer');
  if (!referer) return false;
  try {
    return new URL(referer).origin === o.origin;
  } catch {
    return false;
  }
}

/**
 * Headers of every web app answer. Scripts only from the app itself (no inline script, no eval): the pages bundle the
 * WeCom JS-SDK and Telegram's web-app script instead of loading them from the platforms' CDNs. Frames: only the app
 * itself and the clients that show it in a frame; X-Frame-Options cannot list those, so it is sent only where no
 * other site may frame the page (browsers that know frame-ancestors ignore it anyway).
 */
export function securityHeaders(o: WebOrigin): Record<string, string> {
  const ancestors = ["'self'", ...o.framers].join(' ');
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      // WeCom's contact-me QR codes are pictures on its CDN (console/channel-routes.ts shows only https ones there).
      "img-src 'self' data: https://*.weixin.qq.com https://*.qpic.cn",
      "connect-src 'self'",
      "font-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
    ...(o.framers.length === 0 ? { 'x-frame-options': 'SAMEORIGIN' } : {}),
    'x-content-type-options': 'nosniff',
    // Link tokens travel in the URL: no page passes it on to another site.
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

/** Equal strings, compared without stopping at the first difference (lengths are fixed: hex digests). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
