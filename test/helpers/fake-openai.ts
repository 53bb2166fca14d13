import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat completions request as the SDK sent it. */
export interface CompletionRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  tools?: Array<{ type: string; function: { name: string; description: string; parameters: unknown } }>;
  [key: string]: unknown;
}

/** What the fake answers: tool calls, text, or an HTTP error. */
export type FakeAnswer =
  | { toolCalls: Array<{ name: string; arguments: unknown }>; text?: string }
  | { text: string }
  | { status: number; error?: string };

/**
 * An OpenAI-compatible chat completions endpoint on loopback (`POST /chat/completions`, which the SDK appends to
 * its baseURL). Answers from a queue of scripted answers, then from `respond`; records every request body, so tests
 * can check exactly what the model was shown.
 */
export class FakeOpenAi {
  readonly requests: CompletionRequest[] = [];
  private readonly queue: FakeAnswer[] = [];
  /** The answer when nothing is queued. */
  respond: (req: CompletionRequest) => FakeAnswer = () => ({ text: 'OK' });
  private server = createServer((req, res) => void this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The base URL to configure (`OPENAI_BASE_URL`). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Answers for the next requests, in order. */
  script(...answers: FakeAnswer[]): void {
    this.queue.push(...answers);
  }

  /** Every text the model was shown, across all requests (system prompts, user messages). */
  allContent(): string {
    return this.requests.flatMap((r) => r.messages.map((m) => m.content)).join('\n');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return send(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CompletionRequest;
    this.requests.push(body);
    const answer = this.queue.shift() ?? this.respond(body);
    if ('status' in answer) {
      return send(res, answer.status, {
        error: { message: answer.error ?? 'scripted failure', type: 'server_error' },
      });
    }
    const toolCalls = 'toolCalls' in answer ? answer.toolCalls : [];
    send(res, 200, {
      id: `chatcmpl-${this.requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [
        {
          index: 0,
          finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
          message: {
            role: 'assistant',
            content: answer.text ?? null,
            ...(toolCalls.length
              ? {
                  tool_calls: toolCalls.map((c, i) => ({
                    id: `call_${this.requests.length}_${i}`,
                    type: 'function',
                    function: {
                      name: c.name,
                      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
                    },
                  })),
                }
              : {}),
          },
        },
      ],
      usage: { prompt_tokens: 321, completion_tokens: 23, total_tokens: 344 },
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
