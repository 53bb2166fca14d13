// Closed sets of values stored as text, shared by the tables.

/** Every platform a chat, identity or staff member can be on, as stored. */
export const PLATFORMS = ['telegram', 'wecom', 'feishu', 'web'] as const;
export type Platform = (typeof PLATFORMS)[number];
/** The platforms whose staff receive digests and own channel codes (not the local web channel). */
export const CHAT_APP_PLATFORMS = ['telegram', 'wecom', 'feishu'] as const satisfies readonly Platform[];
export type Role = 'rep' | 'manager' | 'director' | 'admin';
export type ChatKind = 'private' | 'group' | 'business' | 'external_group' | 'service';
export type Direction = 'in' | 'out';
export type AuthorKind = 'customer' | 'staff' | 'bot';
export type TagSource = 'manual' | 'rule' | 'llm';
export type QueueStatus = 'pending' | 'done' | 'failed';
/** `settling`: the platform accepted it; what it answered (kept in `result`) is still being handled. */
export type OutboxStatus = 'pending' | 'settling' | 'sent' | 'failed';
