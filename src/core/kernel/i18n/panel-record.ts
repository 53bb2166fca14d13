import type { Messages } from './catalogue.ts';

/** The panel's words for a record's parts beyond the quick edits: tag sources, files, duplicates and merging. */
const zh = {
  /** Who set a tag: shown beside it (a person's own tag shows no source). */
  tagSources: { manual: '手动', rule: '规则', llm: 'AI' },
  file: '附件',
  download: '下载',
  fileNotKept: '附件未保存',
  filePending: '附件获取中',
  duplicates: '可能重复的客户',
  noDuplicates: '没有发现重复。',
  evidence: '依据',
  previewMerge: '预览合并到当前客户',
  confirmMerge: '确认合并',
  cancel: '取消',
  merged: '已合并。可在聊天里用 /unmerge 撤销。',
  mergeBusy: '其中一位客户正在被合并，请稍后再试。',
  /** The hot list on the panel's first screen (the same as /mine's). */
  hotLeads: '高意向客户（近7天）',
  hotLeadsMore: '更多见聊天里的 /mine',
};

const en: Messages<typeof zh> = {
  tagSources: { manual: 'by hand', rule: 'rule', llm: 'AI' },
  file: 'Attachment',
  download: 'Download',
  fileNotKept: 'attachment not kept',
  filePending: 'attachment being fetched',
  duplicates: 'Possible duplicates',
  noDuplicates: 'No duplicates found.',
  evidence: 'Why',
  previewMerge: 'Preview merging into this customer',
  confirmMerge: 'Merge',
  cancel: 'Cancel',
  merged: 'Merged. /unmerge in the chat undoes it.',
  mergeBusy: 'One of them is being merged right now; try again in a moment.',
  hotLeads: 'Hot leads (last 7 days)',
  hotLeadsMore: 'More with /mine in the chat',
};

export const panelRecord = { zh, en };
