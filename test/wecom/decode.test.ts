import { describe, expect, it } from 'vitest';
import { decodeWecom, parseWecomXml } from '../../adapters/wecom/decode.ts';
import { dedupKey } from '../../adapters/wecom/verify.ts';
import { wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const CORP = 'wx5823bf96d3bd56c7';
const decode = (xml: string) => decodeWecom(xml, CORP);

describe('WeCom XML', () => {
  it('reads CDATA and plain fields exactly, keeping 64-bit ids as strings', () => {
    const x = parseWecomXml(wecomXml('msg-text-member.xml'));
    expect(x).toMatchObject({
      FromUserName: 'zhangsan',
      Content: '跟进 王芳 已发报价单，周五回访',
      MsgId: '7477281932010385410',
      CreateTime: '1772417700',
    });
  });

  it('keeps markup inside CDATA as text and decodes the predefined entities outside it', () => {
    const x = parseWecomXml('<xml><A><![CDATA[<b>&amp;</b>]]></A><B>a &amp; b &lt;c&gt;</B></xml>');
    expect(x).toEqual({ A: '<b>&amp;</b>', B: 'a & b <c>' });
  });

  it('refuses anything that declares: DOCTYPE, ENTITY; and what is not a WeCom document', () => {
    expect(
      parseWecomXml('<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><A>&e;</A></xml>'),
    ).toBeNull();
    expect(parseWecomXml('<xml><A>1</A></xml><!ENTITY x "y">')).toBeNull();
    expect(parseWecomXml('<root><A>1</A></root>')).toBeNull();
    expect(parseWecomXml('{"json": true}')).toBeNull();
    expect(parseWecomXml('<?xml version="1.0"?><xml><A>1</A></xml>')).toEqual({ A: '1' });
  });
});

describe('WeCom decoding', () => {
  it('makes a member’s text a command for the bot, from the brand side', () => {
    expect(decode(wecomXml('msg-text-member.xml'))).toEqual([
      expect.objectContaining({
        kind: 'message',
        messageId: '7477281932010385410',
        occurredAt: 1772417700_000,
        chat: { key: 'member:zhangsan', kind: 'private', platformChatId: 'zhangsan' },
        sender: { externalId: 'zhangsan', workspace: CORP, side: 'brand' },
        botCommandText: '跟进 王芳 已发报价单，周五回访',
      }),
    ]);
  });

  it('reads every customer-contact change, with the channel and the reason', () => {
    const add = decode(wecomXml('event-add-external-contact.xml'))[0];
    expect(add).toMatchObject({
      kind: 'contact',
      change: 'added',
      channel: 'expo2026',
      member: { externalId: 'zhangsan' },
      customer: { externalId: 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA', side: 'customer' },
    });
    const base = wecomXml('event-del-follow-user.xml');
    const changes = [
      'add_half_external_contact',
      'edit_external_contact',
      'del_external_contact',
      'del_follow_user',
      'transfer_fail',
    ];
    expect(
      changes.map((c) => (decode(withField(base, 'ChangeType', c))[0] as { change: string }).change),
    ).toEqual(['added', 'updated', 'removed_by_staff', 'removed_by_customer', 'transfer_failed']);
    const byTransfer = base.replace('</xml>', '<Source><![CDATA[DELETE_BY_TRANSFER]]></Source></xml>');
    expect(decode(withField(byTransfer, 'ChangeType', 'del_external_contact'))[0]).toMatchObject({
      reason: 'DELETE_BY_TRANSFER',
    });
  });

  it('reads groups, tag catalogue changes and 微信客服 announcements; ignores the rest', () => {
    expect(decode(wecomXml('event-change-external-chat.xml'))[0]).toMatchObject({
      kind: 'group',
      change: 'updated',
      detail: 'add_member',
      chat: { kind: 'external_group', platformChatId: 'wrEAlECwAAx8Vb2nQm5pZtYcK3jHqRAA' },
    });
    expect(decode(wecomXml('event-kf-msg-or-event.xml'))[0]).toMatchObject({
      kind: 'service_pull',
      accountId: 'wkEAlECwAAqzJ5vCgVFTbRw1Xh3jFmAA',
      token: 'ENC23GCQnlPteEGAjashC9izRnJWxVH4ZdK7JKdknpOLfy3',
    });
    expect(
      decode(
        '<xml><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event><FromUserName>zhangsan</FromUserName></xml>',
      ),
    ).toEqual([]);
    expect(() => decode('not xml')).toThrow();
  });

  it('keys redeliveries by MsgId, and contact events by time, change, member and customer', () => {
    const contact = parseWecomXml(wecomXml('event-add-external-contact.xml'));
    expect(dedupKey(parseWecomXml(wecomXml('msg-text-member.xml')) ?? {})).toBe('msg:7477281932010385410');
    expect(dedupKey(contact ?? {})).toBe(
      'contact:1772417760:add_external_contact:zhangsan:wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA',
    );
    expect(dedupKey(parseWecomXml(wecomXml('event-kf-msg-or-event.xml')) ?? {})).toBe(
      'kf:wkEAlECwAAqzJ5vCgVFTbRw1Xh3jFmAA:ENC23GCQnlPteEGAjashC9izRnJWxVH4ZdK7JKdknpOLfy3',
    );
  });
});
