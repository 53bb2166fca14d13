import type { FakeWecom, Json } from './fake-wecom.ts';

/** A mass-send task (企业群发) as the fake WeCom keeps it. */
export interface FakeTask {
  msgid: string;
  sender: string;
  /** The customers the task went to (the ones the sender holds as contacts). */
  customers: string[];
  failList: string[];
  body: Json;
  /** 0 not yet sent by the member, 2 sent. */
  status: 0 | 2;
  sendTime: number;
  /** Per customer: 0 unsent, 1 sent, 2 not a contact, 3 monthly limit reached. */
  results: Map<string, 0 | 1 | 2 | 3>;
}

const texts = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const error = (errcode: number, errmsg: string): Json => ({ errcode, errmsg });

/**
 * The WeCom customer-contact mass-send endpoints on the fake: `add_msg_template` (customers who are not the sender's
 * contacts in the fake's externalcontact store go to `fail_list`), `get_groupmsg_task` and a paged
 * `get_groupmsg_send_result`. `confirm()` plays the member sending the task in their client.
 */
export class FakeMassSend {
  readonly tasks: FakeTask[] = [];
  /** Results per page of get_groupmsg_send_result (small, so paging is exercised). */
  pageSize = 2;
  private seq = 0;

  constructor(private readonly wecom: FakeWecom) {
    wecom.route('/cgi-bin/externalcontact/add_msg_template', (b) => this.add(b));
    wecom.route('/cgi-bin/externalcontact/get_groupmsg_task', (b) => {
      const task = this.byMsgid(b.msgid);
      if (!task) return error(41063, 'msgid not exist');
      return {
        task_list: [
          {
            userid: task.sender,
            status: task.status,
            ...(task.status === 2 ? { send_time: task.sendTime } : {}),
          },
        ],
        next_cursor: '',
      };
    });
    wecom.route('/cgi-bin/externalcontact/get_groupmsg_send_result', (b) => {
      const task = this.byMsgid(b.msgid);
      if (!task || b.userid !== task.sender) return error(41063, 'msgid not exist');
      const all = [...task.results].map(([external_userid, status]) => ({
        external_userid,
        userid: task.sender,
        status,
        ...(status === 1 ? { send_time: task.sendTime } : {}),
      }));
      const from = Number(b.cursor || 0);
      const size = Math.min(Number(b.limit || 500), this.pageSize);
      const page = all.slice(from, from + size);
      return { send_list: page, next_cursor: from + size < all.length ? String(from + size) : '' };
    });
  }

  /** The tasks created for one member. */
  tasksOf(sender: string): FakeTask[] {
    return this.tasks.filter((t) => t.sender === sender);
  }

  /** The member sends their task in the WeCom client; customers get 1 (sent) unless `results` says otherwise. */
  confirm(
    sender: string,
    results: Record<string, 0 | 1 | 2 | 3> = {},
    sendTime = Math.floor(Date.now() / 1000),
  ): void {
    const task = this.tasksOf(sender).at(-1);
    if (!task) throw new Error(`no mass-send task of ${sender}`);
    task.status = 2;
    task.sendTime = sendTime;
    for (const c of task.customers) task.results.set(c, results[c] ?? 1);
  }

  private byMsgid(msgid: unknown): FakeTask | undefined {
    return this.tasks.find((t) => t.msgid === msgid);
  }

  private add(b: Json): Json {
    const sender = typeof b.sender === 'string' ? b.sender : '';
    const ids = texts(b.external_userid);
    if (b.chat_type !== 'single') return error(40058, 'invalid chat_type');
    if (ids.length === 0 || ids.length > 10_000) return error(40058, 'invalid external_userid');
    const content = (b.text as { content?: unknown } | undefined)?.content;
    if (typeof content !== 'string' || Buffer.byteLength(content) > 4000) return error(40058, 'invalid text');
    for (const a of Array.isArray(b.attachments) ? (b.attachments as Json[]) : []) {
      const mediaId = (a.image as { media_id?: string } | undefined)?.media_id;
      if (a.msgtype === 'image' && !this.wecom.media.has(mediaId ?? ''))
        return error(40007, 'invalid media_id');
    }
    const isContact = (id: string) => {
      const follow = (this.wecom.contacts.get(id) as { follow_user?: Array<{ userid: string }> } | undefined)
        ?.follow_user;
      return (follow ?? []).some((f) => f.userid === sender);
    };
    const customers = ids.filter(isContact);
    const failList = ids.filter((id) => !isContact(id));
    const task: FakeTask = {
      msgid: `msgGAT${++this.seq}`,
      sender,
      customers,
      failList,
      body: b,
      status: 0,
      sendTime: 0,
      results: new Map(customers.map((c) => [c, 0 as const])),
    };
    this.tasks.push(task);
    return { msgid: task.msgid, fail_list: failList };
  }
}
