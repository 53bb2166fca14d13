import type { Generated } from 'kysely';

// Attachments kept: each message's file fetched from its platform after the acknowledgement, stored by Liaison.

/** `pending`: to fetch (again at `retry_at`); `stored`: kept; `failed`: the platform gave no file; `refused`: too big or not allowed. */
export type MessageFileStatus = 'pending' | 'stored' | 'failed' | 'refused';

/** One message's file: where it is in the storage, or why it is not. */
export interface MessageFileTable {
  id: Generated<number>;
  message_id: number;
  status: MessageFileStatus;
  /** The storage key, once stored. */
  storage_key: string | null;
  /** The content type read from the file's own bytes (the platform's claim is not trusted alone). */
  content_type: string | null;
  size: number | null;
  attempts: number;
  /** Not before this time (epoch ms): the backoff after a failure, or the claim of the instance fetching it. */
  retry_at: number;
  /** Why it failed or was refused; never customer data. */
  last_error: string | null;
  created_at: number;
  updated_at: number;
}
