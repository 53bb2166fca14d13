import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { PlatformAdapter } from '../../src/core/ports/adapter.ts';
import type { Clock } from '../../src/core/ports/clock.ts';

/** What the web channel needs: it has no platform account, only the runtime's store, clock and a secret. */
export interface WebConfig {
  /** Where sends are stored for the page (the web chat's "platform"). */
  db: Kysely<Database>;
  clock: Clock;
  /** A random secret made at start-up, served inside the playground page to this computer only. */
  secret: string;
}

/** The local web channel: the playground page is its platform. */
export interface WebChannel extends PlatformAdapter {
  /** The secret the page must send with every post and read; embedded in the page served to loopback clients. */
  readonly pageSecret: string;
  secretMatches(given: string): boolean;
}

/** The web channel's installation: one per Liaison process, with no platform account behind it. */
export const WEB_WORKSPACE = 'playground';

/** Web user ids are Liaison's own (picked in the playground), global like Telegram's: no people workspace. */
export const WEB_PEOPLE_WORKSPACE = '';

/** The header carrying the per-process secret the playground page is served with. */
export const SECRET_HEADER = 'x-liaison-playground-secret';

/** The group chat the staff pane uses for digests and group commands. */
export const TEAM_GROUP_ID = 'team-group';

/** How a customer or staff member is addressed in the playground: the bot's own name in a group. */
export const BOT_MENTION = '@Liaison';

// Ids are shown in the page and used as chat ids: letters in any script, digits and a little punctuation.
const webId = z.string().regex(/^[\p{L}\p{N}_.:-]{1,64}$/u, 'an id of 1-64 letters, digits, _ . : -');
const name = z.string().trim().min(1).max(64);
const language = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/)
  .max(35)
  .optional();

const person = z.object({ id: webId, name, language });

/** A message written in the playground: by a simulated customer, or by a staff member to the bot or in the group. */
const messagePost = z.object({
  type: z.literal('message'),
  /** Chosen by the page, unique per message; a repeated post of the same id is a redelivery. */
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  chat: z.object({ id: webId, kind: z.enum(['private', 'group']), title: name.optional() }),
  /** `customer` in the customer pane; `staff` lets the staff registry decide (it is never taken on trust). */
  from: person.extend({ side: z.enum(['customer', 'staff']) }),
  text: z.string().trim().min(1).max(4000),
});

/** A click on a button of a card Liaison sent to a web chat. */
const cardActionPost = z.object({
  type: z.literal('card_action'),
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  chat: z.object({ id: webId }),
  from: person,
  /** The `message_key` of the card. */
  messageId: z.string().min(1).max(300),
  value: z.record(z.string().max(50), z.union([z.string().max(300), z.number()])),
});

export const webPostSchema = z.discriminatedUnion('type', [messagePost, cardActionPost]);

/** What the playground page posts to `/webhooks/web`. */
export type WebPost = z.infer<typeof webPostSchema>;

/** A send as the web chat stores it for the page. */
export interface WebDelivery {
  chatId: string;
  messageKey: string;
  replyTo: string | null;
  text: string;
  card: string | null;
  image: string | null;
}
