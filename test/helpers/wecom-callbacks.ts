import { readFileSync } from 'node:fs';
import { encrypt, getSignature } from '@wecom/crypto';
import { WECOM_ENV } from './harness.ts';

export const wecomFile = (name: string): string =>
  readFileSync(new URL(`../fixtures/wecom/${name}`, import.meta.url), 'utf8');
export const wecomRequest = (name: string) =>
  JSON.parse(wecomFile(name)) as {
    rawQuery: string;
    rawQueryEncoded?: string;
    body?: string;
    expectedResponseBody?: string;
  };

/** A plaintext callback XML file as WeCom encrypts it: the file's content without its final newline. */
export const wecomXml = (name: string): string => wecomFile(name).replace(/\n$/, '');

export interface CallbackOptions {
  timestamp?: number;
  nonce?: string;
  /** Encrypt for another corp (the receive id check must catch it). */
  receiveId?: string;
  /** Sign with another token (the signature check must catch it). */
  token?: string;
}

/** An encrypted, signed callback as WeCom posts it: the query string and the XML envelope. */
export function signedCallback(plaintext: string, timestampMs: number, o: CallbackOptions = {}) {
  const timestamp = String(o.timestamp ?? Math.floor(timestampMs / 1000));
  const nonce = o.nonce ?? String(Math.floor(Math.random() * 1e9));
  const ciphertext = encrypt(
    WECOM_ENV.WECOM_ENCODING_AES_KEY,
    plaintext,
    o.receiveId ?? WECOM_ENV.WECOM_CORP_ID,
  );
  const signature = getSignature(o.token ?? WECOM_ENV.WECOM_TOKEN, timestamp, nonce, ciphertext);
  return {
    query: `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
    body: `<xml><ToUserName><![CDATA[${WECOM_ENV.WECOM_CORP_ID}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${ciphertext}]]></Encrypt></xml>`,
  };
}

/** Replaces one field of a plaintext callback (e.g. ChangeType, MsgId), for variants of the fixture events. */
export function withField(xml: string, field: string, value: string): string {
  return xml.replace(
    new RegExp(`<${field}>(<!\\[CDATA\\[)?[^<\\]]*(\\]\\]>)?</${field}>`),
    `<${field}><![CDATA[${value}]]></${field}>`,
  );
}

/** Posts a plaintext callback to the app, encrypted and signed at the app's current time. */
export function postWecom(
  h: { url: string; clock: { now(): number } },
  plaintext: string,
  o: CallbackOptions = {},
) {
  const { query, body } = signedCallback(plaintext, h.clock.now(), o);
  return fetch(`${h.url}/webhooks/wecom?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body,
  });
}
