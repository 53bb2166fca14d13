// Closed sets of values stored as text, shared by the tables.

export type Platform = 'telegram' | 'wecom' | 'feishu' | 'web';
export type Role = 'rep' | 'manager' | 'director' | 'admin';
export type ChatKind = 'private' | 'group' | 'business' | 'external_group' | 'service';
export type Direction = 'in' | 'out';
export type AuthorKind = 'customer' | 'staff' | 'bot';
export type TagSource = 'manual' | 'rule' | 'llm';
export type QueueStatus = 'pending' | 'done' | 'failed';
/** `settling`: the platform accepted it; what it answered (kept in `result`) is still being handled. */
export type OutboxStatus = 'pending' | 'settling' | 'sent' | 'failed';
