import type { Messages } from './catalogue.ts';

/** How a message that is not plain text reads: `[位置] …`, `[File] quote.pdf (1.2 MB)`. */
const zh = {
  messageKinds: {
    photo: '图片',
    image: '图片',
    video: '视频',
    voice: '语音',
    audio: '语音',
    file: '文件',
    sticker: '表情',
    location: '位置',
    contact: '名片',
    poll: '投票',
    story: '动态',
    link: '链接',
    mini_program: '小程序',
    card: '卡片',
    forwarded: '聊天记录',
    post: '图文',
    other: '消息',
    unsupported: (type: string) => `暂不支持的消息类型：${type}`,
    pollOptions: (options: string) => `选项：${options}`,
    storyFrom: (from: string) => `来自 ${from}`,
    images: (n: number) => `[图片×${n}]`,
    moreForwarded: (n: number) => `……另有 ${n} 条`,
    /** A mention of everyone in a group (Feishu `@_all`), after the `@`. */
    mentionAll: '所有人',
  },
};

const en: Messages<typeof zh> = {
  messageKinds: {
    photo: 'Photo',
    image: 'Photo',
    video: 'Video',
    voice: 'Voice',
    audio: 'Audio',
    file: 'File',
    sticker: 'Sticker',
    location: 'Location',
    contact: 'Contact',
    poll: 'Poll',
    story: 'Story',
    link: 'Link',
    mini_program: 'Mini program',
    card: 'Card',
    forwarded: 'Chat history',
    post: 'Post',
    other: 'Message',
    unsupported: (type: string) => `Unsupported message type: ${type}`,
    pollOptions: (options: string) => `options: ${options}`,
    storyFrom: (from: string) => `from ${from}`,
    images: (n: number) => `[${n} photo${n === 1 ? '' : 's'}]`,
    moreForwarded: (n: number) => `…and ${n} more`,
    mentionAll: 'all',
  },
};

export const messageKinds = { zh, en };
