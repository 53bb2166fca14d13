import { ARCHIVE_SECRET, archiveHeaders } from '../helpers/wecom-archive.ts';
import {
  type CorpusContext,
  corpus,
  FUTURE_S,
  nonUtf8,
  OTHER_METHODS,
  oversize,
  type PlatformCorpus,
  type Rng,
  request,
  tamper,
  wrongSecret,
} from './forgery-corpus.ts';

const PATH = '/webhooks/wecom-archive';

/** The chat archive's pushes: Standard Webhooks HMAC over id, timestamp and body; five minutes either way. */
export function archiveCorpus(ctx: CorpusContext): PlatformCorpus {
  const push = (id: number) =>
    JSON.stringify({
      records: [
        {
          msgid: `forged-${id}_external`,
          action: 'send',
          from: 'wmForgeryCorpusCustomer000000001',
          tolist: ['zhangsan'],
          roomid: '',
          msgtime: ctx.now(),
          msgtype: 'text',
          text: { content: `hello ${id}` },
        },
      ],
    });
  const nowS = () => Math.floor(ctx.now() / 1000);
  const signed = (body: string | Buffer, o: Parameters<typeof archiveHeaders>[2] = {}, method = 'POST') =>
    request(
      PATH,
      archiveHeaders(body.toString(), ctx.now(), { id: `msg_${body.length}`, ...o }),
      body,
      method,
    );
  const kinds = {
    'missing-header': (id: number, rng: Rng) =>
      signed(push(id), { omit: [rng.pick(['webhook-id', 'webhook-timestamp', 'webhook-signature'])] }),
    'wrong-secret': (id: number, rng: Rng) => {
      const secret = `whsec_${Buffer.from(wrongSecret(rng, ARCHIVE_SECRET)).toString('base64')}`;
      return signed(push(id), { secret });
    },
    'tampered-body': (id: number, rng: Rng) => {
      const body = push(id);
      const r = signed(body);
      r.body = Buffer.from(tamper(rng, body));
      return r;
    },
    'stale-timestamp': (id: number, rng: Rng) =>
      signed(push(id), { timestamp: nowS() - FUTURE_S - rng.int(86_400) }),
    'future-timestamp': (id: number, rng: Rng) =>
      signed(push(id), { timestamp: nowS() + FUTURE_S + rng.int(86_400) }),
    'other-scheme': (id: number, rng: Rng) => {
      const r = signed(push(id));
      r.headers['webhook-signature'] = (r.headers['webhook-signature'] ?? '').replace(
        'v1,',
        rng.pick(['v2,', 'v1a,', ',', 'V1,']),
      );
      return r;
    },
    'signature-elsewhere': (id: number) => {
      const r = signed(push(id));
      r.path += `?signature=${encodeURIComponent(r.headers['webhook-signature'] ?? '')}`;
      delete r.headers['webhook-signature'];
      return r;
    },
    'not-a-push': (id: number, rng: Rng) =>
      signed(rng.pick(['{}', '{"records":{}}', `{"records":[{"msgid":""}]}`, '[]', 'null', `${id}`, ''])),
    'non-utf8-wrong-secret': (id: number, rng: Rng) =>
      signed(nonUtf8(rng, Buffer.from(push(id))), { signature: `v1,${Buffer.alloc(32).toString('base64')}` }),
    'other-method': (id: number, rng: Rng) => signed(push(id), {}, rng.pick(OTHER_METHODS)),
    'get-method': () => signed('', {}, 'GET'),
    oversize: (_: number, rng: Rng) => signed(oversize(rng)),
  };
  return corpus('wecom-archive', kinds, (n) => signed(push(n)), 3_000_000);
}
