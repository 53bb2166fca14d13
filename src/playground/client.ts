/// <reference lib="dom" />
// The playground page's script: plain DOM code, no framework. It runs in the browser, not here: the server serves
// this function's source (script.ts), so it must not use anything from outside its own body (type imports
// only). Everything from the server is added as text nodes (append / textContent), never as markup, so customer text
// shows as typed and cannot run.
import type { Card } from '../core/ports/outbound.ts';
import type { ChatItem, playgroundView } from './client-view.ts';
import type { FeedInbound, FeedOutbound, WebStaff } from './data.ts';
import type { PlaygroundMessages } from './messages.ts';

interface Feed {
  inbound: FeedInbound[];
  outbound: FeedOutbound[];
  lastIn: number;
  lastOut: number;
  queues: { inboxPending: number; outboxPending: number };
}

/**
 * Starts the page: `messages` is the catalogue, of which the page's `<html lang>` picks one language; `makeView`
 * draws the chats (`playgroundView`, served beside this function).
 */
export function playgroundClient(
  messages: Readonly<Record<'zh' | 'en', PlaygroundMessages>>,
  makeView: typeof playgroundView,
): void {
  // The page's language (`zh-CN` or `en`): the server chose it, and posts carry it so the bot answers in it.
  const language = document.documentElement.lang || 'en';
  const lang = language.startsWith('zh') ? 'zh' : 'en';
  const m = messages[lang];
  const secret =
    document.querySelector<HTMLMetaElement>('meta[name="liaison-playground-secret"]')?.content ?? '';
  const teamGroup = { id: 'team-group', kind: 'group' as const, title: m.teamGroupTitle };
  const roles: Record<string, string> = {
    admin: m.roleAdmin,
    director: m.roleDirector,
    manager: m.roleManager,
    rep: m.roleRep,
  };
  const state = {
    afterIn: 0,
    afterOut: 0,
    chats: new Map<string, Map<string, ChatItem>>(),
    staff: [] as WebStaff[],
    actingAs: null as WebStaff | null,
    staffTab: 'private' as 'private' | 'group',
    polling: false,
    pollAgain: false,
  };

  function $<T extends HTMLElement = HTMLElement>(id: string): T {
    const node = document.getElementById(id);
    if (!node) throw new Error(`the page has no #${id}`);
    return node as T;
  }

  function fill(template: string, values: Record<string, string | number>): string {
    return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
      key in values ? String(values[key]) : whole,
    );
  }

  function newId(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = { 'x-liaison-playground-secret': secret, ...(init.headers as Record<string, string>) };
    return fetch(path, { ...init, headers });
  }

  function setStatus(text: string, isError = false): void {
    const footer = $('status');
    footer.textContent = text;
    footer.className = isError ? 'error' : '';
  }

  const { el, drawChat } = makeView({
    m,
    async readImage(id) {
      const res = await request(`/playground/api/images/${id}`);
      if (!res.ok) throw new Error(String(res.status));
      return res.blob();
    },
    click,
  });

  // --- who is who ---

  function customer(): { id: string; name: string } {
    const name = $<HTMLInputElement>('customer-name').value.trim() || m.guest;
    const slug = name
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_.:-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 54);
    return { id: `customer-${slug || 'guest'}`, name: name.slice(0, 64) };
  }

  function staffChat(): { id: string; kind: 'private' | 'group'; title?: string } {
    if (state.staffTab === 'group') return teamGroup;
    return { id: state.actingAs ? state.actingAs.id : '', kind: 'private' };
  }

  // --- sending: every post is a webhook delivery, like a platform's ---

  async function post(body: object): Promise<void> {
    try {
      const res = await request('/webhooks/web', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) setStatus(fill(m.refused, { status: res.status }), true);
      void poll();
    } catch {
      setStatus(m.unreachable, true);
    }
  }

  function sayAsCustomer(text: string): Promise<void> {
    const c = customer();
    return post({
      type: 'message',
      id: newId(),
      chat: { id: c.id, kind: 'private', title: c.name },
      from: { id: c.id, name: c.name, language, side: 'customer' },
      text,
    });
  }

  function sayAsStaff(text: string): Promise<void> {
    const me = state.actingAs;
    if (!me) return Promise.resolve();
    return post({
      type: 'message',
      id: newId(),
      chat: staffChat(),
      from: { id: me.id, name: me.name, language, side: 'staff' },
      text,
    });
  }

  function click(chatId: string, messageKey: string, value: Record<string, string | number>): void {
    const me = state.actingAs;
    if (!me) return;
    void post({
      type: 'card_action',
      id: newId(),
      chat: { id: chatId },
      from: { id: me.id, name: me.name, language },
      messageId: messageKey,
      value,
    });
  }

  // --- the feed: what Liaison received and what it delivered ---

  function chatItems(chatId: string): Map<string, ChatItem> {
    let items = state.chats.get(chatId);
    if (!items) {
      items = new Map();
      state.chats.set(chatId, items);
    }
    return items;
  }

  async function poll(): Promise<void> {
    if (state.polling) {
      state.pollAgain = true;
      return;
    }
    state.polling = true;
    try {
      const res = await request(`/playground/api/feed?afterIn=${state.afterIn}&afterOut=${state.afterOut}`);
      if (!res.ok) throw new Error(String(res.status));
      const feed = (await res.json()) as Feed;
      const touched = new Set<string>();
      for (const i of feed.inbound) {
        chatItems(i.chatId).set(`in:${i.id}`, {
          at: i.at,
          fromId: i.from.id,
          author: i.from.name,
          text: i.text,
        });
        touched.add(i.chatId);
      }
      for (const o of feed.outbound) {
        const items = chatItems(o.chatId);
        const earlier = items.get(o.messageKey);
        items.set(o.messageKey, {
          at: earlier ? earlier.at : o.at,
          fromId: null,
          author: m.bot,
          text: o.text,
          card: o.card as Card | null,
          imageId: o.hasImage ? o.id : null,
          messageKey: o.messageKey,
          chatId: o.chatId,
        });
        touched.add(o.chatId);
      }
      state.afterIn = feed.lastIn;
      state.afterOut = feed.lastOut;
      render(touched);
      const time = new Date().toLocaleTimeString(language);
      const { inboxPending: inbox, outboxPending: outbox } = feed.queues;
      setStatus(fill(m.feedStatus, { inbox, outbox, time }));
    } catch {
      setStatus(m.feedError, true);
    }
    state.polling = false;
    if (state.pollAgain) {
      state.pollAgain = false;
      void poll();
    }
  }

  function render(touched: Set<string> | null): void {
    const c = customer();
    if (!touched || touched.has(c.id)) drawChat($('customer-chat'), chatItems(c.id), c.id, false);
    const chat = staffChat();
    const self = state.actingAs ? state.actingAs.id : null;
    if (!touched || touched.has(chat.id)) {
      drawChat($('staff-chat'), chatItems(chat.id), self, chat.kind === 'group');
    }
    if (touched && self) {
      const other = state.staffTab === 'group' ? $('tab-private') : $('tab-group');
      if (touched.has(state.staffTab === 'group' ? self : teamGroup.id)) other.classList.add('unread');
    }
  }

  function selectTab(tab: 'private' | 'group'): void {
    state.staffTab = tab;
    $('tab-private').setAttribute('aria-selected', String(tab === 'private'));
    $('tab-group').setAttribute('aria-selected', String(tab === 'group'));
    $(tab === 'private' ? 'tab-private' : 'tab-group').classList.remove('unread');
    render(null);
  }

  // --- start ---

  async function loadPeople(): Promise<void> {
    const [staff, customers] = await Promise.all([
      request(`/playground/api/staff?lang=${lang}`).then((res) => res.json()),
      request('/playground/api/customers').then((res) => res.json()),
    ]);
    state.staff = (staff as { staff: WebStaff[] }).staff;
    const select = $<HTMLSelectElement>('staff-select');
    select.replaceChildren();
    for (const s of state.staff) {
      const option = el('option', '', [
        [s.name, roles[s.role] ?? s.role, s.team].filter(Boolean).join(' · '),
      ]);
      (option as HTMLOptionElement).value = s.id;
      select.append(option);
    }
    // The server's pick: someone who hears about new, unowned customers (the walkthrough's first alert).
    const suggested = (staff as { actingAs: string | null }).actingAs;
    state.actingAs = state.staff.find((s) => s.id === suggested) ?? state.staff[0] ?? null;
    if (state.actingAs) select.value = state.actingAs.id;
    const list = $('known-customers');
    list.replaceChildren();
    for (const c of (customers as { customers: Array<{ name: string }> }).customers) {
      const option = document.createElement('option');
      option.value = c.name;
      list.append(option);
    }
  }

  function onSubmit(formId: string, inputId: string, say: (text: string) => Promise<void>): void {
    $(formId).addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $<HTMLInputElement>(inputId);
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      void say(text);
    });
  }

  onSubmit('customer-form', 'customer-text', sayAsCustomer);
  onSubmit('staff-form', 'staff-text', sayAsStaff);
  $('customer-name').addEventListener('input', () => render(null));
  $<HTMLSelectElement>('staff-select').addEventListener('change', (event) => {
    const id = (event.target as HTMLSelectElement).value;
    state.actingAs = state.staff.find((s) => s.id === id) ?? null;
    render(null);
  });
  $('tab-private').addEventListener('click', () => selectTab('private'));
  $('tab-group').addEventListener('click', () => selectTab('group'));
  $('find-customer').addEventListener('click', () => {
    selectTab('private');
    void sayAsStaff(`/find ${customer().name}`);
  });
  $('digest-preview').addEventListener('click', () => {
    selectTab('group');
    void sayAsStaff('/digest now');
  });
  for (const button of document.querySelectorAll<HTMLElement>('[data-say]')) {
    button.addEventListener('click', () => void sayAsStaff(button.dataset.say ?? '/help'));
  }

  loadPeople().then(
    () => {
      render(null);
      void poll();
      setInterval(() => void poll(), 1000);
      document.body.dataset.ready = 'true';
    },
    () => setStatus(m.staffError, true),
  );
}
