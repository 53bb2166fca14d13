import type { Messages } from './catalogue.ts';

/** `/web` and the few words the sign-in pages say (the web app's own pages bring their own later). */
const zh = {
  commands: {
    web: {
      usage: '/web 网页',
      summary: '在浏览器里登录网页版（一次性链接，10分钟内有效）',
      /** `url` holds the one-time token: only the asker may see it. */
      link: (url: string, minutes: number) =>
        `网页版登录链接（${minutes}分钟内有效，只能用一次，请勿转发）：\n${url}`,
      off: '网页版还没有开启：请管理员设置 PUBLIC_URL。',
    },
  },
  webApp: {
    title: 'Liaison 网页版',
    confirm: (name: string) => `以「${name}」的身份登录 Liaison 网页版？`,
    button: '登录',
    linkUnusable: '这个登录链接已失效（已用过或超过10分钟）。请在聊天里重新发送 /web。',
    signedIn: (name: string) => `已登录：${name}。`,
    signedOut: '还没有登录。请在聊天里发送 /web 获取登录链接。',
    /** The panel beside the chat (src/web/client): plain strings, handed to the page as they are. */
    panel: {
      loading: '加载中…',
      notFound: '找不到这个客户，或者不在你的范围内。',
      noCustomer: '没有打开客户。从聊天里打开，或搜索：',
      search: '搜索客户',
      searchButton: '搜索',
      noMatch: '没有找到。',
      recent: '最近消息',
      tags: '标签',
      addTag: '添加标签',
      removeTag: '移除标签',
      stage: '阶段',
      setStage: '设置阶段',
      note: '备注',
      addNote: '添加备注',
      reminder: '提醒',
      reminderWhen: '提醒时间',
      setReminder: '设置提醒',
      quickReplies: '快捷回复',
      noQuickReplies: '还没有快捷回复。',
      putInChat: '放入聊天',
      send: '发送',
      reply: '回复客户',
      sent: '已发送。',
      saved: '已保存。',
      failed: '没有成功：',
      signedOut: '登录已过期。请在聊天里发送 /web 重新登录。',
    },
  },
};

const en: Messages<typeof zh> = {
  commands: {
    web: {
      usage: '/web',
      summary: 'sign in to the web app in a browser (one-time link, valid 10 minutes)',
      link: (url, minutes) =>
        `Your sign-in link for the web app (valid ${minutes} minutes, works once; do not forward it):\n${url}`,
      off: 'The web app is not on yet: an admin sets PUBLIC_URL.',
    },
  },
  webApp: {
    title: 'Liaison web app',
    confirm: (name) => `Sign in to the Liaison web app as "${name}"?`,
    button: 'Sign in',
    linkUnusable:
      'This sign-in link no longer works (used, or older than 10 minutes). Send /web in the chat again.',
    signedIn: (name) => `Signed in as ${name}.`,
    signedOut: 'Not signed in. Send /web in the chat for a sign-in link.',
    panel: {
      loading: 'Loading…',
      notFound: 'No such customer, or not one you can see.',
      noCustomer: 'No customer open. Open one from the chat, or search:',
      search: 'Search customers',
      searchButton: 'Search',
      noMatch: 'Nothing found.',
      recent: 'Recent messages',
      tags: 'Tags',
      addTag: 'Add tag',
      removeTag: 'Remove tag',
      stage: 'Stage',
      setStage: 'Set stage',
      note: 'Note',
      addNote: 'Add note',
      reminder: 'Reminder',
      reminderWhen: 'Remind at',
      setReminder: 'Set reminder',
      quickReplies: 'Quick replies',
      noQuickReplies: 'No quick replies yet.',
      putInChat: 'Put in chat',
      send: 'Send',
      reply: 'Reply to the customer',
      sent: 'Sent.',
      saved: 'Saved.',
      failed: 'That did not work: ',
      signedOut: 'Your session ended. Send /web in the chat to sign in again.',
    },
  },
};

export const webApp = { zh, en };
