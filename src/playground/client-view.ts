/// <reference lib="dom" />
// Drawing the playground's chats, in the browser. Served beside client.ts under the same rules: nothing
// from outside this function's body (type imports only), and what the server sends only ever as text nodes.
import type { Card, TextSection } from '../core/ports/outbound.ts';
import type { PlaygroundMessages } from './messages.ts';

/** A message in a chat of the page: one the page posted (`fromId`), or one Liaison delivered (`fromId` null). */
export interface ChatItem {
  at: number;
  fromId: string | null;
  author: string;
  text: string;
  card?: Card | null;
  imageId?: number | null;
  messageKey?: string;
  chatId?: string;
}

export interface ViewPorts {
  m: PlaygroundMessages;
  /** A delivered picture, read with the page's secret. */
  readImage(id: number): Promise<Blob>;
  /** A click on a card's button. */
  click(chatId: string, messageKey: string, value: Record<string, string | number>): void;
}

/** The page's drawing: `el` makes an element of text and elements; `drawChat` redraws a chat. */
export function playgroundView(ports: ViewPorts) {
  const { m } = ports;
  const images = new Map<number, string>();

  function el(
    tag: string,
    className: string,
    children: Array<Node | string | null | undefined>,
  ): HTMLElement {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function withBold(text: string): Array<Node | string> {
    return String(text)
      .split(/\*\*(.+?)\*\*/g)
      .map((part, i) => (i % 2 === 1 ? el('strong', '', [part]) : part));
  }

  // A section is plain text under a heading; a plain string is a card stored before sections had headings.
  function sectionParts(s: TextSection | string): Array<Node | string> {
    if (typeof s === 'string') return withBold(s);
    return [...(s.heading ? [el('strong', '', [s.heading]), '\n'] : []), s.text || ''];
  }

  function drawCard(card: Card, item: ChatItem): HTMLElement {
    const fields = el('dl', '', []);
    for (const f of card.fields ?? []) fields.append(el('dt', '', [f.label]), el('dd', '', [f.value]));
    const box = el('div', 'card', [el('div', 'title', [card.title]), fields]);
    for (const s of card.sections ?? []) box.append(el('div', 'section', sectionParts(s)));
    if (card.buttons?.length) {
      const row = el('div', 'buttons', []);
      for (const b of card.buttons) {
        const button = el('button', b.primary ? 'primary' : '', [b.label]) as HTMLButtonElement;
        button.type = 'button';
        button.addEventListener('click', () =>
          ports.click(item.chatId ?? '', item.messageKey ?? '', b.value),
        );
        row.append(button);
      }
      box.append(row);
    }
    return box;
  }

  function drawImage(id: number): HTMLImageElement {
    const img = el('img', 'chart', []) as HTMLImageElement;
    img.alt = m.chartAlt;
    const cached = images.get(id);
    if (cached) {
      img.src = cached;
      return img;
    }
    ports.readImage(id).then(
      (blob) => {
        const url = URL.createObjectURL(blob);
        images.set(id, url);
        img.src = url;
      },
      () => {
        img.alt = m.chartError;
      },
    );
    return img;
  }

  function drawChat(
    container: HTMLElement,
    chat: Map<string, ChatItem>,
    selfId: string | null,
    showAuthors: boolean,
  ): void {
    const items = [...chat.values()].sort((a, b) => a.at - b.at);
    const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
    container.replaceChildren();
    for (const item of items) {
      const mine = item.fromId !== null && item.fromId === selfId;
      const msg = el('div', mine ? 'msg self' : 'msg', []);
      msg.dataset.from = item.fromId === null ? 'liaison' : mine ? 'self' : 'other';
      if (showAuthors || item.fromId === null) msg.append(el('span', 'author', [item.author]));
      const card = item.card && typeof item.card === 'object' ? item.card : null;
      msg.append(card ? drawCard(card, item) : el('span', 'text', [item.text]));
      if (item.imageId) msg.append(drawImage(item.imageId));
      container.append(msg);
    }
    if (atBottom || items.length < 3) container.scrollTop = container.scrollHeight;
  }

  return { el, drawChat };
}
