import { describe, expect, it } from 'vitest';
import {
  checkRobotTarget,
  checkRobotUrl,
  parseRobotHostsAllow,
  robotHosts,
} from '../../adapters/robot-urls.ts';
import { isIpAddress, isLocalName, refusedAddressClass } from '../../src/lib/ip-addresses.ts';

describe('address classes', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.7', 'documentation'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['::127.0.0.1', 'reserved'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['fe80::1%eth0', 'link-local (cloud metadata)'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['not an address', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(refusedAddressClass(address)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '101.126.88.10',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '64:ff9b::808:808',
    '2408:8000::1',
  ])('%s is public', (address) => {
    expect(refusedAddressClass(address)).toBeNull();
  });

  it('tells addresses from names, and local names from public ones', () => {
    expect(['1.2.3.4', '[::1]', '::ffff:1.2.3.4'].map(isIpAddress)).toEqual([true, true, true]);
    expect(['1.2.3', 'open.feishu.cn', '01.2.3.4'].map(isIpAddress)).toEqual([false, false, false]);
    expect(
      ['localhost', 'a.localhost', 'metadata.google.internal', 'nas', 'printer.local'].map(isLocalName),
    ).toEqual([true, true, true, true, true]);
    expect(isLocalName('open.feishu.cn')).toBe(false);
  });
});

describe('robot webhook policy', () => {
  const feishu = robotHosts('feishu', {
    base: 'http://127.0.0.1:4000/feishu',
    extra: [{ platform: 'feishu', hostname: 'bots.example.com', port: '8443' }],
  });

  it('takes the platform hosts over https, the configured base as set, and extra hosts on their port', () => {
    for (const ref of [
      'https://open.feishu.cn/open-apis/bot/v2/hook/8938e499-5e13',
      'https://OPEN.larksuite.com:443/open-apis/bot/v2/hook/abc',
      'http://127.0.0.1:4000/feishu/open-apis/bot/v2/hook/abc',
      'https://bots.example.com:8443/open-apis/bot/v2/hook/abc',
    ])
      expect(checkRobotUrl('feishu', ref, feishu).ok, ref).toBe(true);
    for (const ref of [
      'http://127.0.0.1:4001/feishu/open-apis/bot/v2/hook/abc',
      'http://127.0.0.1:4000/open-apis/bot/v2/hook/abc',
      'https://bots.example.com/open-apis/bot/v2/hook/abc',
      'https://open.feishu.cn/open-apis/bot/v2/hook/abc?x=1',
      'https://open.feishu.cn/open-apis/bot/v2/hook/abc#x',
      'https://open.feishu.cn/open-apis/bot/v2/hook/a%2F..%2Fb',
      'https://user:pw@open.feishu.cn/open-apis/bot/v2/hook/abc',
      'javascript:alert(1)',
      'open.feishu.cn/open-apis/bot/v2/hook/abc',
    ])
      expect(checkRobotUrl('feishu', ref, feishu).ok, ref).toBe(false);
  });

  it('reads a WeCom key from its URL, or takes the bare key', () => {
    const wecom = robotHosts('wecom', { base: 'https://qyapi.weixin.qq.com' });
    const url = checkRobotUrl(
      'wecom',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7x',
      wecom,
    );
    expect(url).toMatchObject({ ok: true, key: '693a91f6-7x' });
    expect(checkRobotUrl('wecom', '693a91f6-7x', wecom)).toMatchObject({
      ok: true,
      key: '693a91f6-7x',
      url: null,
    });
    expect(
      checkRobotUrl('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a%26b', wecom).ok,
    ).toBe(false);
    expect(checkRobotUrl('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/other?key=abc', wecom).ok).toBe(false);
  });

  it('checks every resolved address, except for the configured base, and calls a failed lookup transient', async () => {
    const answers: Record<string, string[]> = {
      'open.feishu.cn': ['101.126.88.10', '10.0.0.1'],
      'open.larksuite.com': ['2606:4700::1111'],
    };
    const asked: string[] = [];
    const resolve = async (name: string) => {
      asked.push(name);
      const answer = answers[name];
      if (!answer) throw new Error('ENOTFOUND');
      return answer;
    };
    const hook = '/open-apis/bot/v2/hook/abc';
    expect(await checkRobotTarget('feishu', `https://open.feishu.cn${hook}`, feishu, resolve)).toMatchObject({
      ok: false,
      reason: 'open.feishu.cn resolves to a private address (10.0.0.1)',
    });
    expect((await checkRobotTarget('feishu', `https://open.larksuite.com${hook}`, feishu, resolve)).ok).toBe(
      true,
    );
    expect(
      await checkRobotTarget('feishu', `https://bots.example.com:8443${hook}`, feishu, resolve),
    ).toMatchObject({ ok: false, transient: true });
    expect(
      (await checkRobotTarget('feishu', `http://127.0.0.1:4000/feishu${hook}`, feishu, resolve)).ok,
    ).toBe(true);
    expect(asked).toEqual(['open.feishu.cn', 'open.larksuite.com', 'bots.example.com']);
  });

  it('reads ROBOT_HOSTS_ALLOW, refusing addresses and local names', () => {
    const problems: string[] = [];
    const hosts = parseRobotHostsAllow(
      'feishu:open.feishu-boe.cn, wecom:WECOM.example.com:8443,feishu:127.0.0.1,feishu:localhost,telegram:x.org,feishu:a.b:70000',
      problems,
    );
    expect(hosts).toEqual([
      { platform: 'feishu', hostname: 'open.feishu-boe.cn', port: '' },
      { platform: 'wecom', hostname: 'wecom.example.com', port: '8443' },
    ]);
    expect(problems).toEqual([
      'ROBOT_HOSTS_ALLOW: "feishu:127.0.0.1" must name a host, not an IP address',
      'ROBOT_HOSTS_ALLOW: "feishu:localhost" names a local host',
      expect.stringMatching(/^ROBOT_HOSTS_ALLOW: "telegram:x.org" is not platform:host/),
      'ROBOT_HOSTS_ALLOW: "feishu:a.b:70000" has a port outside 1-65535',
    ]);
  });
});
