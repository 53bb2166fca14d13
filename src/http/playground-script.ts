// The playground page's script: plain DOM code, no framework, no build. Everything from the server is added with
// text nodes (append / textContent), never as markup, so customer text shows as typed and cannot run.
// (Kept free of backticks and dollar-braces: it lives inside a template string.)

export const playgroundScript = `'use strict';
(function () {
  var secret = document.querySelector('meta[name="liaison-playground-secret"]').content;
  var TEAM_GROUP = { id: 'team-group', kind: 'group', title: 'Playground team group' };
  var language = navigator.language || 'en';
  var state = {
    afterIn: 0, afterOut: 0, chats: new Map(), staff: [], actingAs: null, staffTab: 'private',
    images: new Map(), polling: false, pollAgain: false
  };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, className, children) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    (children || []).forEach(function (child) { if (child !== null && child !== undefined) node.append(child); });
    return node;
  }

  function newId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  function request(path, init) {
    init = init || {};
    var headers = Object.assign({ 'x-liaison-playground-secret': secret }, init.headers || {});
    return fetch(path, Object.assign({}, init, { headers: headers }));
  }

  function setStatus(text, isError) {
    var footer = $('status');
    footer.textContent = text;
    footer.className = isError ? 'error' : '';
  }

  // --- who is who ---

  function customer() {
    var name = $('customer-name').value.trim() || 'Guest';
    var slug = name.toLowerCase().replace(/[^\\p{L}\\p{N}_.:-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 54);
    return { id: 'customer-' + (slug || 'guest'), name: name.slice(0, 64) };
  }

  function staffChat() {
    if (state.staffTab === 'group') return TEAM_GROUP;
    return { id: state.actingAs ? state.actingAs.id : '', kind: 'private' };
  }

  // --- sending: every post is a webhook delivery, like a platform's ---

  function post(body) {
    return request('/webhooks/web', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) {
      if (!res.ok) setStatus('Liaison refused the message (' + res.status + ').', true);
      poll();
    }, function () { setStatus('Liaison is not reachable. Is the server running?', true); });
  }

  function sayAsCustomer(text) {
    var c = customer();
    return post({
      type: 'message', id: newId(), chat: { id: c.id, kind: 'private', title: c.name },
      from: { id: c.id, name: c.name, language: language, side: 'customer' }, text: text
    });
  }

  function sayAsStaff(text) {
    if (!state.actingAs) return Promise.resolve();
    var chat = staffChat();
    return post({
      type: 'message', id: newId(), chat: chat,
      from: { id: state.actingAs.id, name: state.actingAs.name, language: language, side: 'staff' }, text: text
    });
  }

  function click(chatId, messageKey, value) {
    if (!state.actingAs) return;
    post({
      type: 'card_action', id: newId(), chat: { id: chatId },
      from: { id: state.actingAs.id, name: state.actingAs.name, language: language },
      messageId: messageKey, value: value
    });
  }

  // --- the feed: what Liaison received and what it delivered ---

  function chatItems(chatId) {
    var items = state.chats.get(chatId);
    if (!items) { items = new Map(); state.chats.set(chatId, items); }
    return items;
  }

  function poll() {
    if (state.polling) { state.pollAgain = true; return; }
    state.polling = true;
    request('/playground/api/feed?afterIn=' + state.afterIn + '&afterOut=' + state.afterOut)
      .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
      .then(function (feed) {
        var touched = new Set();
        feed.inbound.forEach(function (m) {
          chatItems(m.chatId).set('in:' + m.id, { at: m.at, fromId: m.from.id, author: m.from.name, text: m.text });
          touched.add(m.chatId);
        });
        feed.outbound.forEach(function (m) {
          var items = chatItems(m.chatId);
          var earlier = items.get(m.messageKey);
          items.set(m.messageKey, {
            at: earlier ? earlier.at : m.at, fromId: null, author: 'Liaison', text: m.text, card: m.card,
            imageId: m.hasImage ? m.id : null, messageKey: m.messageKey, chatId: m.chatId
          });
          touched.add(m.chatId);
        });
        state.afterIn = feed.lastIn;
        state.afterOut = feed.lastOut;
        render(touched);
        setStatus('Local only · inbox waiting: ' + feed.queues.inboxPending + ' · outbox waiting: ' +
          feed.queues.outboxPending + ' · updated ' + new Date().toLocaleTimeString());
      })
      .catch(function () { setStatus('Cannot read the feed. Reload the page if Liaison restarted.', true); })
      .then(function () {
        state.polling = false;
        if (state.pollAgain) { state.pollAgain = false; poll(); }
      });
  }

  // --- drawing ---

  function withBold(text) {
    var parts = String(text).split(/\\*\\*(.+?)\\*\\*/g);
    return parts.map(function (part, i) { return i % 2 === 1 ? el('strong', '', [part]) : part; });
  }

  // A section is plain text under a heading; a plain string is a card stored before sections had headings.
  function sectionParts(s) {
    if (typeof s === 'string') return withBold(s);
    return (s.heading ? [el('strong', '', [s.heading]), '\\n'] : []).concat([s.text || '']);
  }

  function drawCard(card, item) {
    var fields = el('dl', '', []);
    (card.fields || []).forEach(function (f) { fields.append(el('dt', '', [f.label]), el('dd', '', [f.value])); });
    var box = el('div', 'card', [el('div', 'title', [card.title]), fields]);
    (card.sections || []).forEach(function (s) { box.append(el('div', 'section', sectionParts(s))); });
    if (card.buttons && card.buttons.length) {
      var row = el('div', 'buttons', []);
      card.buttons.forEach(function (b) {
        var button = el('button', b.primary ? 'primary' : '', [b.label]);
        button.type = 'button';
        button.addEventListener('click', function () { click(item.chatId, item.messageKey, b.value); });
        row.append(button);
      });
      box.append(row);
    }
    return box;
  }

  function drawImage(id) {
    var img = el('img', 'chart', []);
    img.alt = 'Digest chart';
    var cached = state.images.get(id);
    if (cached) { img.src = cached; return img; }
    request('/playground/api/images/' + id)
      .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.blob(); })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        state.images.set(id, url);
        img.src = url;
      })
      .catch(function () { img.alt = 'The chart could not be loaded'; });
    return img;
  }

  function drawChat(container, chatId, selfId, showAuthors) {
    var items = Array.from(chatItems(chatId).values()).sort(function (a, b) { return a.at - b.at; });
    var atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
    container.replaceChildren();
    items.forEach(function (item) {
      var mine = item.fromId !== null && item.fromId === selfId;
      var msg = el('div', 'msg' + (mine ? ' self' : ''), []);
      msg.dataset.from = item.fromId === null ? 'liaison' : mine ? 'self' : 'other';
      if (showAuthors || item.fromId === null) msg.append(el('span', 'author', [item.author]));
      msg.append(item.card && typeof item.card === 'object' ? drawCard(item.card, item) : el('span', 'text', [item.text]));
      if (item.imageId) msg.append(drawImage(item.imageId));
      container.append(msg);
    });
    if (atBottom || items.length < 3) container.scrollTop = container.scrollHeight;
  }

  function render(touched) {
    var c = customer();
    if (!touched || touched.has(c.id)) drawChat($('customer-chat'), c.id, c.id, false);
    var chat = staffChat();
    var self = state.actingAs ? state.actingAs.id : null;
    if (!touched || touched.has(chat.id)) drawChat($('staff-chat'), chat.id, self, chat.kind === 'group');
    if (touched && self) {
      var other = state.staffTab === 'group' ? $('tab-private') : $('tab-group');
      var otherId = state.staffTab === 'group' ? self : TEAM_GROUP.id;
      if (touched.has(otherId)) other.classList.add('unread');
    }
  }

  function selectTab(tab) {
    state.staffTab = tab;
    $('tab-private').setAttribute('aria-selected', String(tab === 'private'));
    $('tab-group').setAttribute('aria-selected', String(tab === 'group'));
    (tab === 'private' ? $('tab-private') : $('tab-group')).classList.remove('unread');
    render(null);
  }

  // --- start ---

  function loadPeople() {
    return Promise.all([
      request('/playground/api/staff').then(function (res) { return res.json(); }),
      request('/playground/api/customers').then(function (res) { return res.json(); })
    ]).then(function (answers) {
      state.staff = answers[0].staff;
      var select = $('staff-select');
      select.replaceChildren();
      state.staff.forEach(function (s) {
        var option = el('option', '', [s.name + ' · ' + s.role + (s.team ? ' · ' + s.team : '')]);
        option.value = s.id;
        select.append(option);
      });
      var preferred = state.staff.find(function (s) { return s.role === 'manager'; }) || state.staff[0] || null;
      state.actingAs = preferred;
      if (preferred) select.value = preferred.id;
      var list = $('known-customers');
      list.replaceChildren();
      answers[1].customers.forEach(function (c) { var o = el('option', '', []); o.value = c.name; list.append(o); });
    });
  }

  $('customer-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = $('customer-text');
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    sayAsCustomer(text);
  });
  $('staff-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = $('staff-text');
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    sayAsStaff(text);
  });
  $('customer-name').addEventListener('input', function () { render(null); });
  $('staff-select').addEventListener('change', function (event) {
    state.actingAs = state.staff.find(function (s) { return s.id === event.target.value; }) || null;
    render(null);
  });
  $('tab-private').addEventListener('click', function () { selectTab('private'); });
  $('tab-group').addEventListener('click', function () { selectTab('group'); });
  $('find-customer').addEventListener('click', function () {
    selectTab('private');
    sayAsStaff('/find ' + customer().name);
  });
  $('digest-preview').addEventListener('click', function () {
    selectTab('group');
    sayAsStaff('/digest now');
  });
  document.querySelectorAll('[data-say]').forEach(function (button) {
    button.addEventListener('click', function () { sayAsStaff(button.dataset.say); });
  });

  loadPeople().then(function () {
    render(null);
    poll();
    setInterval(poll, 1000);
    document.body.dataset.ready = 'true';
  }, function () { setStatus('Cannot load the staff list. Reload the page if Liaison restarted.', true); });
})();
`;
