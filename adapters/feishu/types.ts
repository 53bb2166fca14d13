/** What the Feishu / Lark adapter needs from the configuration. */
export interface FeishuConfig {
  appId: string;
  appSecret: string;
  /** Required: events are encrypted and signed with it. */
  encryptKey: string;
  verificationToken: string;
  /** `feishu`, `lark`, or a base URL (a proxy, a test server). */
  domain: string;
}

/** An event (schema 2.0) after decryption. Ids are strings; times are millisecond strings. */
export interface FeishuEvent {
  schema?: string;
  header?: {
    event_id: string;
    event_type: string;
    create_time?: string;
    token?: string;
    app_id?: string;
    tenant_key?: string;
  };
  event?: Record<string, unknown>;
  /** Schema 1.0 events and url_verification. */
  uuid?: string;
  token?: string;
  type?: string;
  challenge?: string;
}

export interface FeishuUserId {
  open_id?: string;
  union_id?: string;
  user_id?: string;
}

export interface FeishuMessageEvent {
  sender?: { sender_id?: FeishuUserId; sender_type?: string; tenant_key?: string };
  message?: {
    message_id: string;
    root_id?: string;
    parent_id?: string;
    create_time: string;
    chat_id: string;
    chat_type: string;
    message_type: string;
    content: string;
    mentions?: Array<{ key: string; id?: FeishuUserId; name?: string; tenant_key?: string }>;
  };
}

export interface FeishuCardActionEvent {
  operator?: FeishuUserId & { tenant_key?: string };
  action?: { value?: Record<string, unknown>; tag?: string };
  context?: { open_message_id?: string; open_chat_id?: string };
}
