import { z } from 'zod';
import { AiReviewError } from './errors';
import { parseFindings } from './findings';
import { PROMPT_VERSION, reviewMessages } from './prompt';
import type { AdvisoryAnswer, AdvisoryModel, CaseForReview } from './types';

export interface ChatCompletionsOptions {
  /** The API's base (`https://api.deepseek.com/v1`, `http://127.0.0.1:11434/v1`) or its `/chat/completions` address. */
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

const completionSchema = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

/** The endpoint of an OpenAI-compatible API, from its base or its full address. */
export function chatCompletionsUrl(url: string): URL {
  if (/\/chat\/completions\/?$/.test(url)) return new URL(url);
  return new URL('chat/completions', url.endsWith('/') ? url : `${url}/`);
}

/**
 * An `AdvisoryModel` behind an OpenAI-compatible chat-completions endpoint (OpenAI, DeepSeek, Qwen, vLLM, Ollama): one
 * request per case, temperature 0, a JSON answer asked for, the whole exchange within `timeoutMs`.
 */
export class ChatCompletionsModel implements AdvisoryModel {
  readonly model: string;
  private readonly endpoint: URL;

  constructor(private readonly options: ChatCompletionsOptions) {
    this.model = options.model;
    this.endpoint = chatCompletionsUrl(options.url);
  }

  async review(input: CaseForReview): Promise<AdvisoryAnswer> {
    const content = await this.complete(reviewMessages(input));
    const known = { points: input.reviewPoints.map((p) => p.id), fields: input.form.map((f) => f.key) };
    return { ...parseFindings(content.text, known), model: content.model, promptVersion: PROMPT_VERSION };
  }

  private async complete(messages: { role: string; content: string }[]): Promise<{ text: string; model: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const body = JSON.stringify({ model: this.model, messages, temperature: 0, stream: false, response_format: { type: 'json_object' } });
    // The address without its query: a key passed in it stays out of messages that reach the logs.
    const target = `${this.endpoint.origin}${this.endpoint.pathname}`;
    let status: number;
    let text: string;
    try {
      const response = await fetch(this.endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new AiReviewError('timeout', `no answer within ${this.options.timeoutMs} ms (${target})`, { cause: error });
      const detail = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      throw new AiReviewError('unavailable', `${detail} (${target})`, { cause: error });
    }
    if (status < 200 || status > 299) throw new AiReviewError('status', `answered ${status} (${target})`);
    let completion: z.infer<typeof completionSchema>;
    try {
      const parsed = completionSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.issues[0].message);
      completion = parsed.data;
    } catch (error) {
      throw new AiReviewError('malformed', `answered something other than a chat completion (${target})`, { cause: error });
    }
    return { text: completion.choices[0].message.content, model: completion.model || this.model };
  }
}
