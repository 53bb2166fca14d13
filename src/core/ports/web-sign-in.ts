// The optional `signIn` port of PlatformAdapter: how a platform's client signs staff in to the web app.

/** Who a platform says opened a page: their account as `PersonRef.externalId` in the adapter's `peopleWorkspace`. */
export interface WebIdentity {
  externalId: string;
  displayName?: string;
  /** The client's language (IETF tag), where the platform says. */
  language?: string;
}

/** A page's JS-SDK signature: what the client's config call takes (WeCom `ww.register`). */
export interface PageSignature {
  /** The id the client is configured with (WeCom: the corp id). */
  appId: string;
  /** The app (agent) id, for the app-level signature. */
  agentId?: string;
  /** Seconds (WeCom). */
  timestamp: number;
  nonceStr: string;
  signature: string;
}

/** How a platform's client signs someone in to the web app (`PlatformAdapter.signIn`). */
export interface WebSignIn {
  /**
   * Checks `proof` (Telegram Mini App `initData`; a WeCom OAuth code; a Feishu `requestAccess` code) and returns the
   * account it proves, or null when the platform says it proves nothing (forged, stale, already used, not a member).
   * `now` and `maxAgeMs` bound proofs that carry their own date (Telegram's `auth_date`). Throws only when the
   * platform could not be asked (network, its own errors), never for a bad proof.
   */
  identify(proof: string, at: { now: number; maxAgeMs: number }): Promise<WebIdentity | null>;
  /**
   * Signs `url` (one of Liaison's own pages, without `#…`; the caller checks that) for the client's JS-SDK: `corp`
   * for the corp-level config, `agent` for the app-level one. Tickets are cached until shortly before they expire.
   * Absent: the platform's pages need no signature.
   */
  signPage?(kind: 'corp' | 'agent', url: string): Promise<PageSignature>;
  /**
   * Origins that show the page inside a frame (Telegram Web shows Mini Apps in an iframe): the page allows them as
   * frame ancestors, and the session cookie of a sign-in through this platform is sent in that third-party frame.
   * Absent: the client opens the page top-level (an in-app webview).
   */
  readonly framedBy?: readonly string[];
  /**
   * Public values the page's client needs to ask the platform for a proof (WeCom's OAuth authorize address: `corpId`
   * and `agentId`; Feishu's `requestAccess`: `appId`), served to any visitor: never a secret. Absent: none needed.
   */
  readonly clientConfig?: Readonly<Record<string, string>>;
}
