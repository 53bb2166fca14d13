// Signing in to the web app beside the chat: sessions and one-time sign-in links. Tokens are stored hashed only.

/** One signed-in browser (or in-app webview) of a staff member. */
export interface WebSessionTable {
  /** SHA-256 (hex) of the session token the cookie holds: a leaked table signs nobody in. */
  token_hash: string;
  staff_id: number;
  /** How they signed in: the platform whose client vouched for them, or `link` (a one-time link from the chat). */
  host: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  /** When they signed out (or the session was ended); null while it lasts. */
  ended_at: number | null;
}

/** A one-time sign-in link a staff member asked for in the chat (`/web`). */
export interface WebSignInLinkTable {
  /** SHA-256 (hex) of the link's token. */
  token_hash: string;
  staff_id: number;
  created_at: number;
  expires_at: number;
  /** When it was used; a link signs in once. */
  used_at: number | null;
}
