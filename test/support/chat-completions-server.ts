import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the loopback model received: its headers and its JSON body. */
export interface ChatRequest {
  headers: IncomingMessage['headers'];
  body: { model: string; messages: { role: string; content: string }[]; [key: string]: unknown };
}

export type ChatAnswer =
  /** A chat completion whose message content is `content` (a string, else JSON-encoded). */
  | { content: unknown; model?: string }
  /** A raw HTTP answer. */
  | { status: number; body: string }
  /** No answer at all, until the server closes. */
  | 'hang';

/**
 * A loopback server speaking OpenAI's chat-completions protocol (`POST /v1/chat/completions`): each request gets what
 * `answer` says, and is kept in `requests`.
 */
export class ChatCompletionsServer {
  readonly requests: ChatRequest[] = [];
  answer: (request: ChatRequest) => ChatAnswer = () => ({ content: { findings: [] } });
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<ChatCompletionsServer> {
    const server = new ChatCompletionsServer();
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** The API's base, as AI_REVIEW_URL names it. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const request: ChatRequest = { headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
    this.requests.push(request);
    const answer = this.answer(request);
    if (answer === 'hang') return;
    if ('status' in answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      return;
    }
    const content = typeof answer.content === 'string' ? answer.content : JSON.stringify(answer.content);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: answer.model ?? request.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
      }),
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
