import type { Generated } from 'kysely';

// What the system reads from conversations: bursts, alerts, cached model answers.

/** none: no LLM; pending: waiting for the model (debounced); done; failed: gave up after the last attempt. */
export type BurstLlmStatus = 'none' | 'pending' | 'done' | 'failed';

/**
 * A customer's run of messages with short gaps between them: one LLM call per burst (after a quiet debounce), and
 * at most one alert per cause per burst.
 */
export interface ConversationBurstTable {
  id: Generated<number>;
  customer_id: number;
  started_at: number;
  last_message_at: number;
  llm_status: BurstLlmStatus;
  /** When the burst may go to the model: after the debounce, or a retry time; also the lease of a running call. */
  llm_due_at: number | null;
  llm_attempts: number;
  llm_error: string | null;
  intent: string | null;
  sentiment: string | null;
  summary: string | null;
  /** When the burst must have had a staff answer (business time); null once answered or alerted. */
  reply_due_at: number | null;
  created_at: number;
  updated_at: number;
}

/** complaint, refund, negative, churn, urgent, high_intent (a hot lead), stop_contact (a proposal), sla. */
export type AlertCause = string;

/** An alert raised to a staff member about a customer, once per cause per burst. */
export interface AlertTable {
  id: Generated<number>;
  customer_id: number;
  cause: AlertCause;
  burst_id: number;
  staff_id: number | null;
  message_id: number | null;
  /** rule id, llm, or sla. */
  source: string;
  created_at: number;
  /** A hot lead sent in its owner's batched ping, or a do-not-contact proposal answered; null: not yet. */
  settled_at: number | null;
}

/** A model answer by a hash of (prompt version, model, masked input): the same burst is never paid for twice. */
export interface LlmCacheTable {
  cache_key: string;
  result: string;
  created_at: number;
}
