import type { Messages } from './catalogue.ts';

/**
 * Why a value of an imported row (or of a customer written through the API) is refused, said to the person fixing
 * the file. The English texts are also what the command line and the API say.
 */
const zh = {
  phone_masked: '号码被打码了（是给销售导出的文件吗？）',
  phone_shortened: '表格把号码缩成了科学计数法（请把这一列设为文本格式）',
  not_phone: '不是电话号码',
  phone_length: '电话号码应为7到15位数字',
  email_masked: '邮箱被打码了（是给销售导出的文件吗？）',
  not_email: '不是邮箱地址',
  /** `stages`: the stages written out, `key/中文名, …`. */
  not_stage: (stages: string) => `不是客户阶段（可选：${stages}）`,
  tag_too_long: (tag: string) => `标签「${tag}」超过30个字`,
  bad_unionid: 'unionid 应为6到64位字母、数字、- 或 _',
  too_long: (max: number) => `超过${max}个字`,
  empty_name: '为空：客户需要姓名',
  no_staff: '没有这个名字或编号的在职员工',
  many_staff: (count: number) => `有${count}位员工匹配：请写成 平台:用户ID（如 wecom:zhangsan）`,
  owner_out_of_reach: '负责人不是你管理的员工',
  customer_out_of_reach: '与其他团队的客户重复',
};

const en: Messages<typeof zh> = {
  phone_masked: 'the number is masked (an export made for a rep?)',
  phone_shortened: 'the spreadsheet shortened the number (format the column as text)',
  not_phone: 'not a phone number',
  phone_length: 'a phone number has 7 to 15 digits',
  email_masked: 'the address is masked (an export made for a rep?)',
  not_email: 'not an email address',
  not_stage: (stages) => `not a stage (one of ${stages})`,
  tag_too_long: (tag) => `tag "${tag}" is longer than 30 characters`,
  bad_unionid: 'a unionid is 6–64 letters, digits, - or _',
  too_long: (max) => `longer than ${max} characters`,
  empty_name: 'empty: a customer needs a name',
  no_staff: 'no active staff member by that name or id',
  many_staff: (count) => `${count} staff members match: name one as platform:userId (e.g. wecom:zhangsan)`,
  owner_out_of_reach: 'the owner is not staff you manage',
  customer_out_of_reach: "matches a customer outside your team's",
};

export const importProblems = { zh, en };
