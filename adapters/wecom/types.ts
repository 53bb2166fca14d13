/** What the WeCom adapter needs from the configuration. */
export interface WecomConfig {
  corpId: string;
  token: string;
  encodingAesKey: string;
  agentId: number;
  agentSecret: string;
  /** 客户联系 secret; the app secret is used when absent (the app must then hold customer-contact rights). */
  contactSecret: string | null;
  /** 微信客服 secret; customer-service messages are off without it. */
  kfSecret: string | null;
  apiBase: string;
  /** The corp tag group Liaison's tags are mirrored into (created when missing). */
  tagGroup: string;
}

/** A decrypted callback body: every field WeCom sends is a string in XML. */
export type WecomXml = Record<string, string | undefined>;

export interface WecomResponse {
  errcode: number;
  errmsg: string;
}

export interface ExternalContactResponse extends WecomResponse {
  external_contact?: {
    external_userid: string;
    name: string;
    avatar?: string;
    type?: number;
    gender?: number;
    unionid?: string;
    corp_name?: string;
    corp_full_name?: string;
  };
  follow_user?: Array<{
    userid: string;
    remark?: string;
    description?: string;
    createtime?: number;
    tags?: Array<{ group_name?: string; tag_name: string; tag_id?: string; type?: number }>;
    remark_corp_name?: string;
    remark_mobiles?: string[];
    state?: string;
  }>;
  next_cursor?: string;
}

export interface CorpTagListResponse extends WecomResponse {
  tag_group?: Array<{
    group_id: string;
    group_name: string;
    deleted?: boolean;
    tag?: Array<{ id: string; name: string; deleted?: boolean }>;
  }>;
}

export interface AddCorpTagResponse extends WecomResponse {
  tag_group?: { group_id: string; group_name: string; tag?: Array<{ id: string; name: string }> };
}

export interface GroupChatResponse extends WecomResponse {
  group_chat?: {
    chat_id: string;
    name?: string;
    owner?: string;
    member_list?: Array<{
      userid: string;
      type: number;
      join_time?: number;
      name?: string;
      unionid?: string;
    }>;
  };
}

export interface KfMessage {
  msgid: string;
  open_kfid: string;
  external_userid?: string;
  servicer_userid?: string;
  send_time: number;
  origin: number;
  msgtype: string;
  text?: { content: string };
  link?: { title?: string; url?: string };
  event?: { event_type: string; external_userid?: string; [key: string]: unknown };
}

export interface KfSyncResponse extends WecomResponse {
  next_cursor?: string;
  has_more?: number;
  msg_list?: KfMessage[];
}

export interface KfCustomersResponse extends WecomResponse {
  customer_list?: Array<{ external_userid: string; nickname?: string; unionid?: string; gender?: number }>;
}

export interface TransferResponse extends WecomResponse {
  customer?: Array<{ external_userid: string; errcode: number }>;
}

export interface TransferResultResponse extends WecomResponse {
  customer?: Array<{ external_userid: string; status: number; takeover_time?: number }>;
  next_cursor?: string;
}

/** Errcodes that mean "try again later": busy, frequency and concurrency limits. */
export const RETRYABLE_ERRCODES = new Set([-1, 45009, 45011, 45033]);
/** Errcodes for a token that must be fetched anew. */
export const TOKEN_ERRCODES = new Set([40014, 42001]);
