import type { Generated } from 'kysely';

// Quick replies (话术库): texts staff save once and send to customers by key.

/** A saved reply: `/reply #12 :price` sends its text, `{name}` filled with the customer's name. */
export interface QuickReplyTable {
  id: Generated<number>;
  /** The team it belongs to, seen by that team and the teams under it; null: the organisation's, seen by everyone. */
  owner_team_id: number | null;
  /** What staff type after the colon: lower-case letters, digits, `_`, `-`, Chinese; unique within its owner. */
  key: string;
  text: string;
  created_by_staff_id: number | null;
  /** The request that last wrote it (a chat delivery's key, an API Idempotency-Key): a retry writes nothing new. */
  request_key: string | null;
  created_at: number;
  updated_at: number;
}
