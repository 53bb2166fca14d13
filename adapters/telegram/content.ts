import type { ContentType, MessageContent } from '../../src/core/ports/events.ts';
import type { TgMessage } from './types.ts';

/*
 * What a Telegram message carries beyond its text, for its readable form. The media fields are only checked for being
 * there by the schema (Telegram adds fields and kinds freely), so each value is read defensively: a field of an
 * unexpected type is left out, never guessed.
 */

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** Content without the fields left undefined (the content type has optional fields, not undefined ones). */
const defined = (o: { kind: MessageContent['kind'] } & Loose): MessageContent =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as MessageContent;

/** Kinds of message Liaison has no readable form for: recorded as `unsupported` with the Bot API's field name. */
const UNSUPPORTED = [
  'dice',
  'game',
  'invoice',
  'paid_media',
  'giveaway',
  'giveaway_winners',
  'checklist',
] as const;

/** The message's kind and content; `other` without content for service messages (joins, pins, title changes). */
export function telegramContent(m: TgMessage): { contentType: ContentType; content?: MessageContent } {
  if (m.text !== undefined) return { contentType: 'text' };
  if (m.photo !== undefined) return { contentType: 'image', content: { kind: 'photo' } };
  // An animation also arrives as a document (for old clients): the animation is the truer kind.
  const file = obj(m.animation) ?? obj(m.document);
  if (file) return { contentType: 'file', content: fileContent(file) };
  const sound = obj(m.voice) ?? obj(m.audio);
  if (sound)
    return { contentType: 'audio', content: defined({ kind: 'voice', seconds: num(sound.duration) }) };
  const video = obj(m.video) ?? obj(m.video_note);
  if (video)
    return { contentType: 'video', content: defined({ kind: 'video', seconds: num(video.duration) }) };
  const sticker = obj(m.sticker);
  if (sticker)
    return { contentType: 'sticker', content: defined({ kind: 'sticker', emoji: str(sticker.emoji) }) };
  const place = placeContent(m);
  if (place) return { contentType: 'location', content: place };
  if (m.contact) {
    const c = m.contact as Loose;
    const name = [str(c.first_name), str(c.last_name)].filter(Boolean).join(' ') || undefined;
    return {
      contentType: 'contact',
      content: defined({ kind: 'contact', name, phone: m.contact.phone_number }),
    };
  }
  const poll = obj(m.poll);
  if (poll) return { contentType: 'other', content: pollContent(poll) };
  const story = obj(m.story);
  if (story)
    return { contentType: 'other', content: defined({ kind: 'story', from: chatName(obj(story.chat)) }) };
  const unsupported = UNSUPPORTED.find((field) => m[field] !== undefined);
  if (unsupported) return { contentType: 'other', content: { kind: 'unsupported', type: unsupported } };
  return { contentType: 'other' };
}

function fileContent(f: Loose): MessageContent {
  return defined({
    kind: 'file',
    name: str(f.file_name),
    size: num(f.file_size),
    mimeType: str(f.mime_type),
  });
}

/** A venue (a named place with an address) or a bare location; both carry the coordinates. */
function placeContent(m: TgMessage): MessageContent | undefined {
  const venue = obj(m.venue);
  const at = obj(venue?.location) ?? obj(m.location);
  if (!venue && !at) return undefined;
  return defined({
    kind: 'location',
    latitude: num(at?.latitude),
    longitude: num(at?.longitude),
    name: str(venue?.title),
    address: str(venue?.address),
  });
}

function pollContent(poll: Loose): MessageContent {
  const options = Array.isArray(poll.options)
    ? poll.options.map((o) => str(obj(o)?.text)).filter((t): t is string => t !== undefined)
    : [];
  return { kind: 'poll', question: str(poll.question) ?? '', options };
}

/** Who posted a story: the channel's title, the person's name, or their @username. */
function chatName(chat: Loose | undefined): string | undefined {
  if (!chat) return undefined;
  const name = [str(chat.first_name), str(chat.last_name)].filter(Boolean).join(' ');
  const username = str(chat.username);
  return str(chat.title) ?? (name || (username ? `@${username}` : undefined));
}
