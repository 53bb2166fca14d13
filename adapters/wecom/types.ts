import { z } from 'zod';
import { textId } from '../payload.ts';

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
  /** Standard Webhooks secret (`whsec_…`) of the chat archive companion's pushes; the archive route is off without it. */
  archiveSecret?: string | null;
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

export interface GroupTransferResponse extends WecomResponse {
  failed_chat_list?: Array<{ chat_id: string; errcode: number; errmsg?: string }>;
}

/** Errcodes that mean "try again later": busy, frequency and concurrency limits. */
export const RETRYABLE_ERRCODES = new Set([-1, 45009, 45011, 45033]);
/** Errcodes for a token that must be fetched anew. */
export const TOKEN_ERRCODES = new Set([40014, 42001]);

/*
 * WeCom API answers as Liaison reads them, checked at run time. The ids that name someone must be there; a field
 * Liaison can do without reads as absent when it has the wrong type, and an item of a list that does not read is
 * dropped, so one odd follower, tag or phone never hides the rest (or crashes what reads it).
 */
const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const text = maybe(z.string());
const int = maybe(z.int());

/** The items of a list that read as `item`; anything else (not a list, an odd item) is left out. */
const itemsOf = <T extends z.ZodType>(item: T) =>
  z
    .array(z.unknown())
    .catch([])
    .optional()
    .transform((list) =>
      (list ?? []).flatMap((v) => {
        const read = item.safeParse(v);
        return read.success ? [read.data as z.output<T>] : [];
      }),
    );

const tag = z.object({ tag_name: z.string(), tag_id: text, group_name: text, type: int }).loose();

const follower = z
  .object({
    userid: textId,
    remark: text,
    description: text,
    createtime: int,
    tags: itemsOf(tag),
    remark_corp_name: text,
    remark_mobiles: itemsOf(z.string()),
    state: text,
  })
  .loose();

/** `externalcontact/get`: the customer, and each staff member who has them as a contact. */
export const externalContactAnswer = z
  .object({
    external_contact: z
      .object({
        external_userid: textId,
        name: z.string().catch(''),
        avatar: text,
        type: int,
        gender: int,
        unionid: text,
        corp_name: text,
        corp_full_name: text,
      })
      .loose()
      .optional(),
    follow_user: itemsOf(follower),
    next_cursor: text,
  })
  .loose();

/** `externalcontact/groupchat/get`: a customer group and its members. */
export const groupChatAnswer = z
  .object({
    group_chat: z
      .object({
        chat_id: textId,
        name: text,
        owner: text,
        member_list: itemsOf(
          z.object({ userid: textId, type: int, join_time: int, name: text, unionid: text }).loose(),
        ),
      })
      .loose()
      .optional(),
  })
  .loose();

/** `externalcontact/get_corp_tag_list`: the corp's tag groups and tags. */
export const corpTagListAnswer = z
  .object({
    tag_group: itemsOf(
      z
        .object({
          group_id: textId,
          group_name: z.string(),
          deleted: maybe(z.boolean()),
          tag: itemsOf(z.object({ id: textId, name: z.string(), deleted: maybe(z.boolean()) }).loose()),
        })
        .loose(),
    ),
  })
  .loose();

/** `kf/sync_msg`: one page of customer-service messages (each message is read on its own, in service.ts). */
export const kfSyncAnswer = z
  .object({ next_cursor: text, has_more: int, msg_list: z.array(z.unknown()).optional() })
  .loose();

/** One customer-service message: read like a callback, so a field of the wrong type refuses the message. */
export const kfMessage = z
  .object({
    msgid: textId,
    open_kfid: textId,
    external_userid: z.string().optional(),
    servicer_userid: z.string().optional(),
    send_time: z.int(),
    origin: z.int(),
    msgtype: z.string(),
    text: z.object({ content: z.string() }).loose().optional(),
    link: z.object({ title: z.string().optional() }).loose().optional(),
    event: z.object({ event_type: z.string(), external_userid: z.string().optional() }).loose().optional(),
  })
  .loose();
export type KfMessageRead = z.infer<typeof kfMessage>;

/** `kf/customer/batchget`: names and unionids of customers. */
export const kfCustomersAnswer = z
  .object({
    customer_list: itemsOf(
      z.object({ external_userid: textId, nickname: text, unionid: text, gender: int }).loose(),
    ),
  })
  .loose();

/** `externalcontact/get_follow_user_list`: members with 客户联系 on, within the app's visible range. */
export const followUserListAnswer = z.object({ follow_user: itemsOf(textId) }).loose();

/** `externalcontact/batch/get_by_user`: one entry per (customer, follower) pair; tags as ids only. */
export const batchByUserAnswer = z
  .object({
    external_contact_list: itemsOf(
      z
        .object({
          external_contact: externalContactAnswer.shape.external_contact.unwrap(),
          follow_info: follower
            .omit({ tags: true })
            .extend({ tag_id: itemsOf(z.string()) })
            .loose(),
        })
        .loose(),
    ),
    next_cursor: text,
  })
  .loose();

/** `externalcontact/groupchat/list`: ids of customer groups, paged. */
export const groupChatListAnswer = z
  .object({ group_chat_list: itemsOf(z.object({ chat_id: textId }).loose()), next_cursor: text })
  .loose();

/** externalcontact/get_unassigned_list: customers of departed members awaiting 离职继承. */
export const unassignedListAnswer = z
  .object({
    info: itemsOf(
      z
        .object({ handover_userid: textId, external_userid: textId, dimission_time: z.number().optional() })
        .loose(),
    ),
    is_last: z.boolean().optional(),
    next_cursor: text,
  })
  .loose();

/**
 * One decrypted chat archive record (会话内容存档) as the companion pushes it: WeCom's fields plus its `seq`. Only the
 * id is required here; each message type's body is read where it is rendered (archive.ts), loosely, since WeCom keeps
 * adding types and fields.
 */
export const archiveRecord = z
  .object({
    msgid: textId,
    seq: z.union([z.int(), z.string()]).optional(),
    action: z.string().optional(),
    from: z.string().optional(),
    tolist: z.array(z.string()).optional(),
    roomid: z.string().optional(),
    msgtime: z.int().optional(),
    msgtype: z.string().optional(),
    /** `switch` records: when (ms) and which member. */
    time: z.int().optional(),
    user: z.string().optional(),
  })
  .loose();
export type ArchiveRecord = z.infer<typeof archiveRecord>;

/** A push from the archive companion: `{ "records": [ … ] }`, each record read on its own when decoded. */
export const archivePush = z
  .object({ records: z.array(z.object({ msgid: textId }).loose()).max(1000) })
  .loose();
