import type { Messages } from './catalogue.ts';

/** What a refused staff change is explained with. */
type StaffRefusal = { platform: string; team: string };

/** Commands for managers and admins, and `/help`. */
const zh = {
  help: {
    usage: '/help 帮助',
    summary: '显示可用命令',
    heading: 'Liaison 客户助手，可用命令：',
    footer: '只发命令名（例如 /reply）可看用法。',
    /** One command in the list; `alias`: its Chinese word. */
    line: (name: string, alias: string, summary: string) => `/${name} ${alias} — ${summary}`,
  },
  digest: {
    usage: '/digest 日报 on|off|now，/digest weekly on|off，/digest robot <Webhook> on|off',
    summary: '本群订阅客户日报（经理及以上）',
    repRefused: '只有经理及以上可以订阅日报。',
    otherTeam: '本群的这项订阅属于另一个团队，你不能更改。',
    changed: (weekly: boolean, on: boolean) =>
      `本群已${on ? '订阅' : '取消'}客户${weekly ? '周报' : '日报'}。`,
    robotUsage: '/digest 日报 [weekly] robot <群机器人 Webhook 地址> on|off',
    robotInPrivate: '群机器人的 Webhook 地址含有密钥：请在与我的私聊中设置，不要发在群里。',
    badRobot: (why: string) => `这个 Webhook 不能用：${why}`,
    robotChanged: (weekly: boolean, on: boolean) =>
      `该群机器人已${on ? '订阅' : '取消'}客户${weekly ? '周报' : '日报'}（你的范围）。`,
  },
  report: { usage: '/report 报表 [week|month]', summary: '近7天或30天的报表' },
  team: {
    usage: '/team 团队 add <名称> [上级团队] | list',
    summary: '团队（树状）',
    none: '还没有团队。',
    notAllowed: '只有总监和管理员可以建团队。',
    tooLong: (maxChars: number) => `团队名最长${maxChars}字。`,
    noParent: (parent: string) => `没有「${parent}」这个团队。`,
    exists: (name: string) => `团队「${name}」已存在。`,
    /** `parent` may be empty. */
    created: (name: string, parent: string) => `已建团队「${name}」${parent ? `，隶属「${parent}」` : ''}。`,
  },
  staff: {
    usage: '/staff 员工 add <平台:用户ID> <销售|经理|总监|管理员> [团队] | list',
    summary: '员工与角色',
    noTeam: '未分组',
    /** `team` may be empty. */
    set: (ref: string, role: string, team: string) =>
      `${ref} 现在是${role}${team ? `，属于「${team}」` : ''}。`,
    refusals: {
      not_allowed: (_: StaffRefusal) => '只有经理及以上可以管理员工。',
      platform_off: ({ platform }: StaffRefusal) => `${platform} 未启用。`,
      no_team: ({ team }: StaffRefusal) => `没有「${team}」这个团队。`,
      role_or_team_refused: (_: StaffRefusal) => '你不能授予这个角色或团队。',
      outside_scope: (_: StaffRefusal) => '这位员工不在你的管理范围内。',
      at_or_above: (_: StaffRefusal) => '你不能更改角色不低于你的员工。',
      last_admin: (_: StaffRefusal) => '这是最后一位管理员，不能降级。请先任命另一位管理员。',
      race: (_: StaffRefusal) => '这个账号刚被同时登记，请再试一次。',
    },
  },
};

const en: Messages<typeof zh> = {
  help: {
    usage: '/help',
    summary: 'show what I can do',
    heading: 'Liaison, your CRM assistant. Commands:',
    footer: 'Send a command alone (e.g. /reply) for its usage.',
    line: (name, _alias, summary) => `/${name} — ${summary}`,
  },
  digest: {
    usage: '/digest on|off|now, /digest weekly on|off, /digest robot <webhook> on|off',
    summary: 'subscribe this group to the digest (managers+)',
    repRefused: 'Only managers and above subscribe digests.',
    otherTeam: 'This group’s subscription belongs to another team; you cannot change it.',
    changed: (weekly, on) =>
      `This group is ${on ? 'subscribed to' : 'unsubscribed from'} the ${weekly ? 'weekly report' : 'daily digest'}.`,
    robotUsage: '/digest [weekly] robot <group robot webhook URL> on|off',
    robotInPrivate: 'A group robot’s webhook holds its key: set it here in our private chat, not in a group.',
    badRobot: (why) => `That webhook cannot be used: ${why}`,
    robotChanged: (weekly, on) =>
      `The group robot is ${on ? 'subscribed to' : 'unsubscribed from'} the ${weekly ? 'weekly report' : 'daily digest'} (your scope).`,
  },
  report: { usage: '/report [week|month]', summary: 'a report of the last 7 or 30 days' },
  team: {
    usage: '/team add <name> [parent] | list',
    summary: 'teams (a tree)',
    none: 'No teams yet.',
    notAllowed: 'Only directors and admins create teams.',
    tooLong: (maxChars) => `A team name is at most ${maxChars} characters.`,
    noParent: (parent) => `There is no team "${parent}".`,
    exists: (name) => `Team "${name}" exists already.`,
    created: (name, parent) => `Team "${name}" created${parent ? ` under "${parent}"` : ''}.`,
  },
  staff: {
    usage: '/staff add <platform:userId> <rep|manager|director|admin> [team] | list',
    summary: 'staff and roles',
    noTeam: 'no team',
    set: (ref, role, team) => `${ref} is now ${role}${team ? ` in "${team}"` : ''}.`,
    refusals: {
      not_allowed: (_) => 'Only managers and above manage staff.',
      platform_off: ({ platform }) => `${platform} is not on.`,
      no_team: ({ team }) => `There is no team "${team}".`,
      role_or_team_refused: (_) => 'You cannot grant that role or team.',
      outside_scope: (_) => 'That staff member is outside your scope.',
      at_or_above: (_) => 'You cannot change the role of someone at or above your own role.',
      last_admin: (_) => 'This is the last admin and cannot be demoted. Make someone else admin first.',
      race: (_) => 'That account was registered at the same moment; try again.',
    },
  },
};

export const adminCommands = { zh, en };
