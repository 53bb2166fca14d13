import type { Messages } from './catalogue.ts';

/** Words many messages share: punctuation, times, roles, channels, and how commands answer in general. */
const zh = {
  /** Between the items of a list typed or read in a line. */
  listSep: '、',
  /** Between items that hold commas or 、 themselves (an identity with its names, a platform with its date). */
  groupSep: '；',
  colon: '：',
  usage: (usage: string) => `用法：${usage}`,
  time: {
    never: '从未联系',
    today: '今天',
    daysAgo: (days: number) => `${days}天前`,
  },
  /** A stage in the list of choices an error message gives: `潜在(lead)`. */
  stageChoice: (key: string, name: string) => `${name}(${key})`,
  roles: { rep: '销售', manager: '经理', director: '总监', admin: '管理员' },
  /** Where a customer wrote or a reply went, by `platform:chatKind`. */
  channels: {
    'telegram:private': 'Telegram',
    'telegram:business': 'Telegram Business',
    'wecom:service': '微信客服',
    'web:private': '网页',
    'feishu:private': '飞书',
  },
  channelGroup: (platform: string) => `${platform} 群`,
  doNotContact: '客户要求勿联系',
  registry: {
    privateOnly: '为保护客户信息，请私聊我使用这个命令。',
    groupOnly: '请在要订阅的群里使用这个命令。',
    notACommand: '我只听得懂命令，发送 /help 查看可用命令。',
    suggest: (usage: string) => `我只听得懂命令。你可能想用：${usage}\n发送 /help 查看全部命令。`,
    unknown: (word: string) => `未知命令 /${word}。发送 /help 查看可用命令。`,
  },
  customerArg: {
    none: (query: string) => `没有找到与「${query}」匹配的客户。`,
    didYouMean: '你是不是要找：',
    many: (query: string) => `「${query}」匹配多位客户，请用编号指明，例如 #12：`,
  },
  staffArg: {
    none: (ref: string) => `没有找到员工「${ref}」。可以用姓名、@用户名或 平台:用户ID（例如 telegram:111）。`,
    many: (ref: string, list: string) => `「${ref}」对应多位员工：${list}。请用 @用户名 或 平台:用户ID。`,
  },
};

const en: Messages<typeof zh> = {
  listSep: ', ',
  groupSep: '; ',
  colon: ': ',
  usage: (usage) => `Usage: ${usage}`,
  time: {
    never: 'never',
    today: 'today',
    daysAgo: (days) => `${days} day${days === 1 ? '' : 's'} ago`,
  },
  stageChoice: (key, _name) => key,
  roles: { rep: 'rep', manager: 'manager', director: 'director', admin: 'admin' },
  channels: {
    'telegram:private': 'Telegram',
    'telegram:business': 'Telegram Business',
    'wecom:service': 'WeChat Customer Service',
    'web:private': 'web chat',
    'feishu:private': 'Feishu',
  },
  channelGroup: (platform) => `${platform} group`,
  doNotContact: 'the customer asked not to be contacted',
  registry: {
    privateOnly: 'To protect customer data, use this command in a private chat with me.',
    groupOnly: 'Use this command in the group chat it is for.',
    notACommand: 'I understand commands only for now: send /help to see them.',
    suggest: (usage) => `I understand commands only. You may want: ${usage}\nSend /help to see them all.`,
    unknown: (word) => `Unknown command /${word}. Send /help to see what I can do.`,
  },
  customerArg: {
    none: (query) => `No customer matches "${query}".`,
    didYouMean: 'Did you mean:',
    many: (query) => `Several customers match "${query}"; name one by number, e.g. #12:`,
  },
  staffArg: {
    none: (ref) => `No staff member "${ref}". Use a name, @username or platform:userId (e.g. telegram:111).`,
    many: (ref, list) => `"${ref}" names several staff: ${list}. Use @username or platform:userId.`,
  },
};

export const common = { zh, en };
