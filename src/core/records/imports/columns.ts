/** The customer fields an import fills, and the columns an export writes (the same names, so exports import back). */
export const IMPORT_FIELDS = [
  'name',
  'company',
  'phone',
  'email',
  'stage',
  'owner',
  'tags',
  'unionid',
  'note',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** A column read but not imported (export-only facts such as the customer id). */
export const IGNORED = 'ignore';
export type ColumnTarget = ImportField | typeof IGNORED;

/** Headers recognised without `--map`, compared after `normalizeHeader`. */
const KNOWN_HEADERS: Record<ColumnTarget, string[]> = {
  name: [
    'name',
    '姓名',
    '名字',
    '客户',
    '客户姓名',
    '客户名称',
    '客户名',
    '联系人',
    '联系人姓名',
    'customer',
    'customername',
    'fullname',
    'contact',
    'contactname',
    'displayname',
  ],
  company: [
    'company',
    '公司',
    '公司名称',
    '公司名',
    '单位',
    '企业',
    '企业名称',
    '所属公司',
    'companyname',
    'organization',
    'organisation',
    'org',
    'account',
  ],
  phone: [
    'phone',
    'mobile',
    '手机',
    '手机号',
    '手机号码',
    '电话',
    '电话号码',
    '联系电话',
    '联系方式',
    '移动电话',
    'phonenumber',
    'mobilephone',
    'mobilenumber',
    'tel',
    'telephone',
    'cell',
    'cellphone',
  ],
  email: ['email', 'e-mail', 'mail', '邮箱', '电子邮箱', '邮件', '电子邮件', 'emailaddress'],
  stage: ['stage', '阶段', '客户阶段', '生命周期', '生命周期阶段', 'lifecycle', 'lifecyclestage'],
  owner: [
    'owner',
    '负责人',
    '跟进人',
    '销售',
    '所属销售',
    '归属销售',
    '客户经理',
    'sales',
    'rep',
    'salesrep',
    'accountowner',
    'assignedto',
  ],
  tags: ['tags', 'tag', '标签', '客户标签', 'labels', 'label'],
  unionid: ['unionid', 'wechatunionid', '微信unionid'],
  note: ['note', 'notes', '备注', '说明', '备注信息', 'remark', 'remarks', 'comment', 'comments', 'memo'],
  ignore: ['id', 'ownername', 'source', 'firstcontactat', 'lastcontactat', 'createdat'],
};

/** Lower-cased, without spaces, underscores, dots and bracketed hints: `手机号码（必填）` → `手机号码`. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s_.\-*:：]/g, '')
    .toLowerCase();
}

const byHeader = new Map<string, ColumnTarget>(
  Object.entries(KNOWN_HEADERS).flatMap(([target, names]) =>
    names.map((n) => [normalizeHeader(n), target as ColumnTarget] as const),
  ),
);

export interface ColumnMapping {
  /** Column index → field, for the columns that are imported. */
  fields: Map<number, ImportField>;
  /** Headers neither recognised nor mapped: left out (and said so). */
  unknown: string[];
  /** What is wrong with the mapping itself: nothing can be imported until it is fixed. */
  problems: string[];
}

/**
 * Decides which column fills which field: `overrides` (from `--map "列名=field,…"`) first, then the recognised
 * headers. Two columns for one field, an unknown field or a mapped header missing from the file are problems.
 */
export function mapColumns(headers: string[], overrides: Map<string, ColumnTarget>): ColumnMapping {
  const fields = new Map<number, ImportField>();
  const unknown: string[] = [];
  const problems: string[] = [];
  const seen = new Map<ImportField, string>();
  for (const header of overrides.keys()) {
    if (!headers.some((h) => h.trim() === header))
      problems.push(`--map names column "${header}", which the file does not have`);
  }
  for (const [index, raw] of headers.entries()) {
    const header = raw.trim();
    if (!header) continue;
    const target = overrides.get(header) ?? byHeader.get(normalizeHeader(header));
    if (!target) {
      unknown.push(header);
      continue;
    }
    if (target === IGNORED) continue;
    const earlier = seen.get(target);
    if (earlier !== undefined) {
      problems.push(
        `columns "${earlier}" and "${header}" both map to ${target}: map one with --map "${header}=ignore"`,
      );
      continue;
    }
    seen.set(target, header);
    fields.set(index, target);
  }
  if (!seen.has('name') && problems.length === 0)
    problems.push(`no column holds the customer's name (姓名/name): name it with --map "<column>=name"`);
  return { fields, unknown, problems };
}

/** Parses `--map "列名=field,…"`; throws with the reason on a bad entry. */
export function parseColumnMap(spec: string): Map<string, ColumnTarget> {
  const map = new Map<string, ColumnTarget>();
  for (const entry of spec
    .split(/[,，]/)
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const header = entry.slice(0, at).trim();
    const field = entry
      .slice(at + 1)
      .trim()
      .toLowerCase();
    if (at <= 0 || !header) throw new Error(`--map entry "${entry}" is not <column>=<field>`);
    const target = field === '-' || field === 'skip' ? IGNORED : field;
    if (target !== IGNORED && !(IMPORT_FIELDS as readonly string[]).includes(target))
      throw new Error(
        `--map entry "${entry}": unknown field "${field}" (one of ${IMPORT_FIELDS.join(', ')}, ignore)`,
      );
    map.set(header, target as ColumnTarget);
  }
  return map;
}
