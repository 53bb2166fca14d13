import type { Generated } from 'kysely';
import type { Platform } from './enums.ts';

// The plain-language assistant: planned writes awaiting confirmation, and language model usage.

export type PendingRequestStatus = 'pending' | 'applied' | 'cancelled' | 'expired';

/** Command lines the assistant planned for a staff member, applied only once they confirm. */
export interface PendingRequestTable {
  id: Generated<number>;
  /** The key of the message that asked (unique): a redelivery finds its plan again. */
  request_key: string;
  staff_id: number;
  platform: Platform;
  workspace: string;
  /** The chat's stable key: "确认" applies the newest plan of that staff member in that chat. */
  chat_key: string;
  /** JSON of the CommandChat the commands run in. */
  chat: string;
  /** JSON array of command lines (`/tag #12 高意向`). */
  commands: string;
  /** The plan as shown to the staff member. */
  summary: string;
  language: string;
  status: PendingRequestStatus;
  created_at: number;
  expires_at: number;
  decided_at: number | null;
  /** The key of the confirmation that applied it: a redelivered confirmation re-runs the same commands. */
  decided_key: string | null;
}

/** One call to the language model: tokens spent, for whom, and whether it worked. Never the text. */
export interface LlmCallTable {
  id: Generated<number>;
  /** assistant, auto_tag… */
  purpose: string;
  model: string;
  /** The prompt template (`assistant-tools.v2`), so results stay attributable to a wording. */
  prompt_version: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  staff_id: number | null;
  ok: number;
  /** What went wrong (status, timeout), without request or response text. */
  error: string | null;
  duration_ms: number;
  created_at: number;
}
