import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body's SHA-256 (hex), to compare with the signed `x-amz-content-sha256`. */
  bodySha256: string;
}

/**
 * A tiny S3-compatible object store on loopback (path-style `/<bucket>/<key>`): PUT, GET, DELETE, objects in memory
 * with their content type. Records every call with its headers; refuses a request without a SigV4 Authorization.
 */
export class FakeS3 {
  readonly calls: S3Call[] = [];

  /** The key pair requests must be signed with (AWS Signature V4, checked here independently of the app). */
  constructor(
    readonly accessKeyId: string,
    private readonly secretAccessKey: string,
  ) {}
  readonly objects = new Map<string, { bytes: Buffer; contentType: string }>();
  private server = createServer((req, res) => void this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    this.calls.push({
      method: req.method ?? 'GET',
      path,
      headers,
      bodySha256: createHash('sha256').update(body).digest('hex'),
    });
    const rawPath = new URL(req.url ?? '/', 'http://x').pathname;
    if (!this.signedRight(req.method ?? 'GET', rawPath, headers, body)) return this.end(res, 403);
    if (req.method === 'PUT') {
      this.objects.set(path, { bytes: body, contentType: headers['content-type'] ?? 'binary/octet-stream' });
      return this.end(res, 200);
    }
    if (req.method === 'DELETE') {
      this.objects.delete(path);
      return this.end(res, 204);
    }
    const object = this.objects.get(path);
    if (!object) return this.end(res, 404);
    res.writeHead(200, { 'content-type': object.contentType, 'content-length': object.bytes.length });
    res.end(object.bytes);
  }

  /** Recomputes the SigV4 signature from the request as received; the payload hash must be the body's. */
  private signedRight(method: string, path: string, headers: Record<string, string>, body: Buffer): boolean {
    const auth =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        headers.authorization ?? '',
      );
    if (!auth) return false;
    const [, keyId, date, region, signed, signature] = auth as unknown as string[];
    const payloadHash = headers['x-amz-content-sha256'] ?? '';
    const bodyHash = createHash('sha256').update(body).digest('hex');
    if (keyId !== this.accessKeyId || (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== bodyHash))
      return false;
    const names = (signed as string).split(';');
    if (!names.includes('host') || !names.includes('x-amz-date')) return false;
    const canonical = [
      method,
      path,
      '',
      ...names.map((n) => `${n}:${(headers[n] ?? '').trim()}`),
      '',
      signed,
      payloadHash,
    ].join('\n');
    const scope = `${date}/${region}/s3/aws4_request`;
    const toSign = [
      'AWS4-HMAC-SHA256',
      headers['x-amz-date'],
      scope,
      createHash('sha256').update(canonical).digest('hex'),
    ].join('\n');
    const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
    let key = hmac(`AWS4${this.secretAccessKey}`, date as string);
    for (const part of [region as string, 's3', 'aws4_request']) key = hmac(key, part);
    return createHmac('sha256', key).update(toSign).digest('hex') === signature;
  }

  private end(res: ServerResponse, status: number): void {
    res.writeHead(status);
    res.end();
  }
}
