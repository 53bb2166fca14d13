import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const telegram = {
  TELEGRAM_BOT_TOKEN: '7012345678:AAFc2cZobEi_KzGY6YNpjFBL2Btszpwqk_X',
  TELEGRAM_WEBHOOK_SECRET: 'tgwh_VrUjrssnHGPazCFo_edJM9h8Yba',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs with nothing configured: SQLite in ./data, every adapter and the API off', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      host: '0.0.0.0',
      databaseUrl: './data/liaison.sqlite',
      apiToken: null,
      adminIds: [],
      telegram: null,
    });
  });

  it('treats empty values as unset, as .env files write them', () => {
    expect(
      loadConfig({ PORT: '', API_TOKEN: '', TELEGRAM_BOT_TOKEN: '', TELEGRAM_WEBHOOK_SECRET: '' }).telegram,
    ).toBeNull();
  });

  it('turns Telegram on with a token and a secret, defaulting to the public Bot API', () => {
    expect(loadConfig(telegram).telegram).toEqual({
      ...toSettings(telegram),
      apiRoot: 'https://api.telegram.org',
    });
  });

  it('refuses a bot token without a webhook secret, naming the missing variable', () => {
    expect(problems({ TELEGRAM_BOT_TOKEN: telegram.TELEGRAM_BOT_TOKEN })).toEqual([
      expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET is required/),
    ]);
    expect(problems({ TELEGRAM_WEBHOOK_SECRET: telegram.TELEGRAM_WEBHOOK_SECRET })).toEqual([
      expect.stringMatching(/^TELEGRAM_BOT_TOKEN is required/),
    ]);
  });

  it('lists every problem at once, each naming its variable', () => {
    const found = problems({
      PORT: 'eighty',
      API_TOKEN: 'short',
      ADMIN_IDS: 'telegram:111,bob,myspace:1',
      TELEGRAM_BOT_TOKEN: 'not-a-token',
      TELEGRAM_WEBHOOK_SECRET: 'has spaces in it!!',
      LOG_LEVEL: 'loud',
    });
    for (const name of ['PORT', 'API_TOKEN', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'LOG_LEVEL']) {
      expect(found.some((p) => p.startsWith(name))).toBe(true);
    }
    expect(found.filter((p) => p.startsWith('ADMIN_IDS'))).toHaveLength(2);
  });

  it('turns WeCom and Feishu on only with every required variable, naming the missing ones', () => {
    expect(problems({ WECOM_CORP_ID: 'wx5823bf96d3bd56c7', WECOM_TOKEN: 'QDG6eK' })).toEqual([
      'WECOM_ENCODING_AES_KEY, WECOM_AGENT_ID, WECOM_AGENT_SECRET are required when WECOM_CORP_ID, WECOM_TOKEN are set',
    ]);
    expect(
      problems({
        FEISHU_APP_ID: 'cli_a7c2e9f4b1d3500e',
        FEISHU_APP_SECRET: 'WTzZnHp5ZGH3ooJYNDkoF0eQfDk3UAtH',
        FEISHU_VERIFICATION_TOKEN: 'wIjqFEVlgNZOxnRMDrBqpR74QkCdOJAM',
      }),
    ).toEqual([expect.stringMatching(/^FEISHU_ENCRYPT_KEY is required when/)]);
    const feishu = {
      FEISHU_APP_ID: 'cli_a7c2e9f4b1d3500e',
      FEISHU_APP_SECRET: 'WTzZnHp5ZGH3ooJYNDkoF0eQfDk3UAtH',
      FEISHU_ENCRYPT_KEY: 'KvQI5CPswWKY1BBBmq4euNFgOUGGk8lB',
      FEISHU_VERIFICATION_TOKEN: 'wIjqFEVlgNZOxnRMDrBqpR74QkCdOJAM',
    };
    expect(loadConfig(feishu).feishu?.domain).toBe('feishu');
    expect(loadConfig({ ...feishu, FEISHU_DOMAIN: 'lark' }).feishu?.domain).toBe('lark');
    expect(problems({ ...feishu, FEISHU_DOMAIN: 'larksuite' })).toEqual([
      expect.stringContaining('FEISHU_DOMAIN must be'),
    ]);
  });

  it('rejects a webhook secret too short to be a secret', () => {
    expect(problems({ ...telegram, TELEGRAM_WEBHOOK_SECRET: 'abc' })).toEqual([
      expect.stringContaining('TELEGRAM_WEBHOOK_SECRET must be at least 16 characters'),
    ]);
  });

  it('reads ADMIN_IDS as platform:userId pairs', () => {
    expect(loadConfig({ ADMIN_IDS: ' telegram:111 , wecom:zhangsan' }).adminIds).toEqual([
      { platform: 'telegram', userId: '111' },
      { platform: 'wecom', userId: 'zhangsan' },
    ]);
  });

  it('selects PostgreSQL from a postgres:// DATABASE_URL and keeps a trailing-slash-free PUBLIC_URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db/liaison',
      PUBLIC_URL: 'https://crm.example.com/',
    });
    expect(config.databaseUrl).toBe('postgres://u@db/liaison');
    expect(config.publicUrl).toBe('https://crm.example.com');
  });

  it('refuses a DATABASE_URL naming another database or a misspelt scheme, without repeating its password', () => {
    for (const url of ['mysql://root:hunter2@db/liaison', 'postgress://u:hunter2@db/liaison']) {
      const found = problems({ DATABASE_URL: url });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^DATABASE_URL: "(mysql|postgress):" is not a database Liaison opens/);
      expect(found[0]).not.toContain('hunter2');
    }
    for (const url of [
      './data/x.sqlite',
      'sqlite:./x.sqlite',
      'file:x.sqlite',
      'postgresql://u@db/x',
      'C:\\data\\x.sqlite',
    ])
      expect(problems({ DATABASE_URL: url }), url).toEqual([]);
  });

  it('sizes the PostgreSQL pool from DATABASE_POOL_SIZE (default 10, 1–100)', () => {
    expect(loadConfig({}).databasePoolSize).toBe(10);
    expect(loadConfig({ DATABASE_POOL_SIZE: '25' }).databasePoolSize).toBe(25);
    for (const wrong of ['0', '101', '2.5', 'many']) {
      expect(() => loadConfig({ DATABASE_POOL_SIZE: wrong })).toThrow(/DATABASE_POOL_SIZE/);
    }
  });

  it('runs named statements on PostgreSQL unless DATABASE_PREPARED_STATEMENTS is off', () => {
    expect(loadConfig({}).databaseNamedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'OFF' }).databaseNamedStatements).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it('reads the organisation: time zone, stages, hours, SLA, acknowledgement, LLM and the API token’s staff member', () => {
    const config = loadConfig({
      TIMEZONE: 'Europe/Berlin',
      LIFECYCLE_STAGES: 'new:新客户:new, hot:热:hot',
      DEAL_STAGES: 'open:开放:open:20,done:成交:done:100',
      BUSINESS_HOURS: 'Mon-Fri 09:00-18:00',
      CUSTOMER_AUTO_REPLY: '稍后回复您',
      REPLY_SLA_MINUTES: '15',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1/',
      AUTO_TAG_LLM: 'off',
      API_TOKEN_STAFF: 'telegram:111',
    });
    expect(config.org.timeZone).toBe('Europe/Berlin');
    expect(config.org.stages.map((s) => s.key)).toEqual(['new', 'hot']);
    expect(config.org.dealStages).toEqual([
      { key: 'open', zh: '开放', en: 'open', probability: 20 },
      { key: 'done', zh: '成交', en: 'done', probability: 100 },
    ]);
    expect(config.org.businessHours).toEqual({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080 });
    expect(config.org.autoReply).toMatchObject({
      text: { zh: '稍后回复您', en: '稍后回复您' },
      outsideHoursOnly: true,
    });
    expect(config.org.replySlaMs).toBe(15 * 60_000);
    expect(config.llm).toEqual({
      apiKey: 'sk-test',
      baseUrl: 'http://127.0.0.1:9999/v1',
      model: 'gpt-4o-mini',
    });
    expect(config.autoTagLlm).toBe(false);
    expect(config.apiTokenStaff).toEqual({ platform: 'telegram', userId: '111' });
  });

  it('names each wrong organisation setting', () => {
    const found = problems({
      TIMEZONE: 'Mars/Olympus',
      LIFECYCLE_STAGES: 'Lead',
      DEAL_STAGES: 'x:一:x:150',
      BUSINESS_HOURS: 'weekdays',
      REPLY_SLA_MINUTES: '0',
      AUTO_TAG_LLM: 'maybe',
      API_TOKEN_STAFF: 'someone',
    }).join('\n');
    for (const name of [
      'TIMEZONE',
      'LIFECYCLE_STAGES',
      'DEAL_STAGES',
      'BUSINESS_HOURS',
      'REPLY_SLA_MINUTES',
      'AUTO_TAG_LLM',
      'API_TOKEN_STAFF',
    ]) {
      expect(found).toContain(name);
    }
  });
});

function toSettings(env: typeof telegram) {
  return { botToken: env.TELEGRAM_BOT_TOKEN, webhookSecret: env.TELEGRAM_WEBHOOK_SECRET };
}
