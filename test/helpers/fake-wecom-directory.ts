import type { FakeWecom, Json } from './fake-wecom.ts';

/** One member's view of a customer, as batch/get_by_user's `follow_info` gives it. */
export interface DirectoryFollower {
  userid: string;
  remark?: string;
  remark_mobiles?: string[];
  tag_id?: string[];
  createtime?: number;
  state?: string;
}

/** A customer in the fake's book, with every member who holds them. */
export interface DirectoryContact {
  external_userid: string;
  name: string;
  type?: number;
  unionid?: string;
  corp_name?: string;
  followers: DirectoryFollower[];
}

export interface FakeDirectory {
  /** Members with 客户联系 on (get_follow_user_list), in order. */
  members: string[];
  /** The book, by external_userid, in insertion order. */
  contacts: Map<string, DirectoryContact>;
  /** Customers of departed members awaiting 离职继承 (get_unassigned_list), in order. */
  unassigned: Array<{ handover_userid: string; external_userid: string; dimission_time: number }>;
  /** Adds a customer group (groupchat/get and groupchat/list both see it). */
  addGroup(
    chatId: string,
    owner: string,
    name: string,
    members: Array<{ userid: string; type: 1 | 2; name?: string }>,
  ): void;
}

const texts = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/**
 * Adds WeCom's bulk directory endpoints to a fake WeCom, answering like WeCom: `get_follow_user_list`,
 * `batch/get_by_user` (one entry per customer and follower, members in the order asked, ≤ 100 members and a limit of
 * 1–100, default 50, with an opaque cursor), `groupchat/list` (groups of the owners asked, limit ≤ 1000), and the
 * 离职继承 calls `get_unassigned_list` (page_size ≤ 1000, `is_last`) and `groupchat/transfer` (1–100 chat ids).
 */
export function installDirectory(fake: FakeWecom): FakeDirectory {
  const dir: FakeDirectory = {
    members: [],
    contacts: new Map(),
    unassigned: [],
    addGroup(chatId, owner, name, members) {
      fake.groups.set(chatId, {
        chat_id: chatId,
        name,
        owner,
        create_time: 1772000000,
        member_list: members.map((m) => ({ ...m, join_time: 1772000000, join_scene: 1 })),
      });
    },
  };
  let snapshot: { key: string; entries: Json[] } | undefined;
  const listing = (users: string[]): Json[] => {
    const byMember = new Map<string, Json[]>(users.map((u) => [u, []]));
    for (const c of dir.contacts.values()) {
      const { followers, ...contact } = c;
      for (const f of followers)
        byMember.get(f.userid)?.push({
          external_contact: { avatar: '', gender: 0, type: 1, ...contact },
          follow_info: {
            remark: '',
            description: '',
            createtime: 1772000000,
            tag_id: [],
            remark_corp_name: '',
            remark_mobiles: [],
            add_way: 1,
            oper_userid: f.userid,
            ...f,
          },
        });
    }
    return users.flatMap((u) => byMember.get(u) ?? []);
  };
  const cursorOf = (offset: number) => Buffer.from(`off:${offset}`).toString('base64url');
  const offsetOf = (cursor: unknown) =>
    typeof cursor === 'string' && cursor ? Number(Buffer.from(cursor, 'base64url').toString().slice(4)) : 0;

  fake.route('/cgi-bin/externalcontact/get_follow_user_list', (): Json => ({ follow_user: dir.members }));
  fake.route('/cgi-bin/externalcontact/batch/get_by_user', (body): Json => {
    const users = texts(body.userid_list);
    const limit = body.limit === undefined ? 50 : Number(body.limit);
    if (users.length === 0 || users.length > 100)
      return { errcode: 40058, errmsg: 'userid_list size invalid' };
    if (!(limit >= 1 && limit <= 100)) return { errcode: 40058, errmsg: 'limit invalid' };
    // The whole answer set, in a stable order (member by member, customers in the order added), taken when a
    // listing starts and paged from after, as WeCom's cursor does.
    const key = users.join(',');
    if (!body.cursor || snapshot?.key !== key) snapshot = { key, entries: listing(users) };
    const entries = snapshot.entries;
    const offset = offsetOf(body.cursor);
    const page = entries.slice(offset, offset + limit);
    const end = offset + page.length;
    return { external_contact_list: page, next_cursor: end < entries.length ? cursorOf(end) : '' };
  });
  fake.route('/cgi-bin/externalcontact/groupchat/list', (body): Json => {
    const owners = texts((body.owner_filter as Json | undefined)?.userid_list);
    const limit = Number(body.limit ?? 0);
    if (!(limit >= 1 && limit <= 1000)) return { errcode: 40058, errmsg: 'limit invalid' };
    const all = [...fake.groups.values()]
      .map((g) => g as Json)
      .filter((g) => owners.length === 0 || owners.includes(String(g.owner)));
    const offset = offsetOf(body.cursor);
    const page = all.slice(offset, offset + limit);
    const end = offset + page.length;
    return {
      group_chat_list: page.map((g) => ({ chat_id: g.chat_id, status: 0 })),
      next_cursor: end < all.length ? cursorOf(end) : '',
    };
  });
  fake.route('/cgi-bin/externalcontact/get_unassigned_list', (body): Json => {
    const size = body.page_size === undefined ? 1000 : Number(body.page_size);
    if (!(size >= 1 && size <= 1000)) return { errcode: 40058, errmsg: 'page_size invalid' };
    const offset = offsetOf(body.cursor);
    const info = dir.unassigned.slice(offset, offset + size);
    const end = offset + info.length;
    const last = end >= dir.unassigned.length;
    return { info, is_last: last, next_cursor: last ? '' : cursorOf(end) };
  });
  // 离职继承 of groups: each group known gets its new owner; unknown ones come back in failed_chat_list.
  fake.route('/cgi-bin/externalcontact/groupchat/transfer', (body): Json => {
    const ids = texts(body.chat_id_list);
    if (ids.length === 0 || ids.length > 100) return { errcode: 40058, errmsg: 'chat_id_list size invalid' };
    const failed: Json[] = [];
    for (const id of ids) {
      const g = fake.groups.get(id) as Json | undefined;
      if (g) g.owner = body.new_owner;
      else failed.push({ chat_id: id, errcode: 90501, errmsg: 'chat is not external group chat' });
    }
    return { failed_chat_list: failed };
  });
  return dir;
}

/** A book of `contacts` customers spread over `members` members (every 10th held by two), for paging and benches. */
export function seedDirectory(
  fake: FakeWecom,
  dir: FakeDirectory,
  o: { members: number; contacts: number; tags?: string[] },
): void {
  const names = o.tags ?? ['A级', 'B级'];
  const tags = fake
    .addCorpTagGroup('同步等级', names)
    .tag.filter((t) => names.includes(t.name))
    .map((t) => t.id);
  dir.members = Array.from({ length: o.members }, (_, i) => `rep${String(i + 1).padStart(2, '0')}`);
  for (let i = 0; i < o.contacts; i++) {
    const id = `wmSYNC${String(i).padStart(8, '0')}`;
    const owner = dir.members[i % o.members] as string;
    const second = dir.members[(i + 1) % o.members] as string;
    const followers: DirectoryFollower[] = [
      {
        userid: owner,
        remark: `客户${i}`,
        remark_mobiles: [`139${String(i).padStart(8, '0')}`],
        tag_id: [tags[i % tags.length] as string],
      },
      ...(i % 10 === 0 && second !== owner ? [{ userid: second, remark: `共享${i}` }] : []),
    ];
    dir.contacts.set(id, { external_userid: id, name: `客户${i}`, followers });
  }
}
