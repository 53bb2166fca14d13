import type { Generated } from 'kysely';

// Identity resolution: suggested duplicates and the merges made of them.

/** Two customers who may be one person; `customer_a_id` < `customer_b_id`, one row per pair. */
export interface MergeSuggestionTable {
  id: Generated<number>;
  customer_a_id: number;
  customer_b_id: number;
  /** 0–100: how sure the evidence makes it. */
  score: number;
  /** JSON array of `{signal, detail}`: same phone, same email, same name and company, a phone stated in a message… */
  evidence: string;
  /** open, dismissed (a person said they are different), merged. */
  status: string;
  /** When the owner was told about it (once). */
  notified_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A merge of `merged_id` into `survivor_id`, with what it changed, so `/unmerge` restores both exactly. */
export interface CustomerMergeTable {
  id: Generated<number>;
  survivor_id: number;
  merged_id: number;
  /** `<lower id>:<higher id>` while applied (unique: one merge per pair at a time); renamed when undone. */
  pair_key: string;
  /** applying, applied, undoing or undone (a half-done one is finished by a retry with its key). */
  status: string;
  /** JSON of every row the merge moved or changed, with its values before. */
  snapshot: string;
  actor_staff_id: number | null;
  via: string | null;
  created_at: number;
  undone_at: number | null;
}

/** A customer's message that stated phones (or shared the customer's own): timed work looks for duplicates, then deletes it. */
export interface IdentityCheckTable {
  id: Generated<number>;
  customer_id: number;
  /** JSON array of the phones as written (at most three). */
  phones: string;
  /** 1 when the customer shared their own contact: their suggestions are refreshed with the phone now on record. */
  shared: number;
  created_at: number;
}
