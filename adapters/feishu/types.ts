import { z } from 'zod';
import { textId } from '../payload.ts';

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

/*
 * The events Liaison reads, as schemas checked at run time: ids are non-empty strings, times are millisecond strings.
 * Objects are loose: Feishu adds fields, and they pass.
 */
const millis = z.string().regex(/^\d{1,16}$/, 'expected milliseconds as a string of digits');
const header = z
  .object({
    event_id: z.string().optional(),
    event_type: z.string().optional(),
    create_time: millis.optional(),
    tenant_key: z.string().optional(),
  })
  .loose();

/** Any event: which kind it is and when it happened. */
export const feishuEnvelopeSchema = z.object({ header: header.optional() }).loose();

const userId = z
  .object({ open_id: textId, union_id: z.string().optional(), user_id: z.string().optional() })
  .loose();
export type FeishuUserId = z.infer<typeof userId>;

/** Written by an app (Liaison itself among them): ignored, whatever else it carries. */
export const feishuAppMessageSchema = z
  .object({ event: z.object({ sender: z.object({ sender_type: z.literal('app') }).loose() }).loose() })
  .loose();

export const feishuMessageSchema = z
  .object({
    event: z
      .object({
        sender: z
          .object({
            sender_id: userId,
            sender_type: z.string().optional(),
            tenant_key: z.string().optional(),
          })
          .loose(),
        message: z
          .object({
            message_id: textId,
            parent_id: z.string().optional(),
            create_time: millis,
            chat_id: textId,
            chat_type: z.string(),
            message_type: z.string(),
            content: z.string(),
            mentions: z
              .array(
                z
                  .object({
                    key: textId,
                    id: z.object({ open_id: z.string().optional() }).loose().optional(),
                    name: z.string().optional(),
                  })
                  .loose(),
              )
              .optional(),
          })
          .loose(),
      })
      .loose(),
  })
  .loose();
export type FeishuMessageEvent = z.infer<typeof feishuMessageSchema>['event'];

export const feishuCardActionSchema = z
  .object({
    header: header.extend({ event_id: textId }),
    event: z
      .object({
        operator: userId.extend({ tenant_key: z.string().optional() }),
        /** Liaison's buttons carry a value; what is in it is filtered where it is read. */
        action: z.object({ value: z.unknown().optional() }).loose().optional(),
        context: z
          .object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() })
          .loose()
          .optional(),
      })
      .loose(),
  })
  .loose();
