import { createDecipheriv, createHash, createHmac } from 'node:crypto';

/** `encrypt` = base64(IV ‖ AES-256-CBC(JSON)) with key sha256(Encrypt Key). Throws on anything else. */
export function decryptFeishu(encryptKey: string, encrypted: string): string {
  const data = Buffer.from(encrypted, 'base64');
  if (data.length < 32 || data.length % 16 !== 0) throw new Error('not a Feishu ciphertext');
  const key = createHash('sha256').update(encryptKey).digest();
  const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}

/** X-Lark-Signature: sha256 over timestamp + nonce + Encrypt Key + the body exactly as received. */
export function feishuSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: string,
): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + rawBody)
    .digest('hex');
}

/** Custom bot signature: HMAC-SHA256 keyed by `timestamp\nsecret` over an empty message, base64. */
export function customBotSign(timestampSeconds: string, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}
