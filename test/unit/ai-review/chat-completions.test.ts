import { expect } from 'chai';
import {
  AiReviewError,
  ChatCompletionsModel,
  chatCompletionsUrl,
  PROMPT_VERSION,
  type CaseForReview,
} from '../../../workers/ai-review/index';
import { ChatCompletionsServer, type ChatAnswer } from '../../support/chat-completions-server';

const CASE: CaseForReview = {
  matter: '公共场所卫生许可',
  action: '变更',
  reviewPoints: [
    { id: 'HP-R03', text: '变更后的单位名称、法定代表人（负责人）与企业登记信息一致' },
    { id: 'HP-R12', text: '新任法定代表人身份证与登记信息一致' },
  ],
  form: [
    { key: 'hygieneManager', label: '卫生管理员', value: '陈晓东' },
    { key: 'contactPhone', label: '联系电话', value: '13912345678' },
  ],
  materials: [
    {
      code: 'HP-13',
      name: '法定代表人身份证',
      documentType: 'id-card-front',
      fields: { name: '王建国', idNumber: '11010519491231002X' },
      text: '姓名 王建国\n公民身份号码 11010519491231002X',
    },
  ],
};

describe('AI review: the chat-completions connector against a loopback server speaking the protocol', () => {
  let server: ChatCompletionsServer;
  const model = (options: { timeoutMs?: number; apiKey?: string } = {}) =>
    new ChatCompletionsModel({ url: server.url, model: 'qwen-test', timeoutMs: options.timeoutMs ?? 2000, apiKey: options.apiKey });
  const answering = (answer: ChatAnswer) => (server.answer = () => answer);
  const failure = async (promise: Promise<unknown>): Promise<AiReviewError> => {
    const error = await promise.then(
      () => expect.fail('the review should have failed'),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AiReviewError);
    return error as AiReviewError;
  };

  before(async () => {
    server = await ChatCompletionsServer.start();
  });
  after(() => server.close());
  beforeEach(() => (server.requests.length = 0));

  it('given a valid answer, returns its warnings with the model that answered and the prompt version', async () => {
    answering({
      model: 'qwen-test-2026-11',
      content: {
        findings: [{ point: 'HP-R12', severity: 'warn', message: '身份证姓名王建国与登记的法定代表人不一致', field: 'hygieneManager' }],
      },
    });
    const answer = await model({ apiKey: 'sk-test' }).review(CASE);
    expect(answer).to.deep.equal({
      findings: [{ point: 'HP-R12', severity: 'warn', message: '身份证姓名王建国与登记的法定代表人不一致', field: 'hygieneManager' }],
      model: 'qwen-test-2026-11',
      promptVersion: PROMPT_VERSION,
      downgraded: 0,
      dropped: 0,
    });
    const [request] = server.requests;
    expect(request.headers.authorization).to.equal('Bearer sk-test');
    expect(request.body).to.deep.include({ model: 'qwen-test', temperature: 0, stream: false, response_format: { type: 'json_object' } });
    expect(request.body.messages.map((m) => m.role)).to.deep.equal(['system', 'user']);
    expect(JSON.parse(request.body.messages[1].content)).to.deep.equal(CASE);
  });

  it('sends no authorization header without an API key (a local Ollama or vLLM)', async () => {
    await model().review(CASE);
    expect(server.requests[0].headers).to.not.have.property('authorization');
  });

  it('accepts an answer wrapped in a ```json fence, and an empty list of findings', async () => {
    answering({ content: '```json\n{"findings": []}\n```' });
    expect((await model().review(CASE)).findings).to.deep.equal([]);
  });

  it('downgrades a `block` (or any other severity) to `warn`: the model never blocks', async () => {
    answering({
      content: {
        findings: [
          { point: 'HP-R03', severity: 'block', message: '法定代表人与登记信息不一致，应当不予许可' },
          { point: 'HP-R12', severity: 'error', message: '身份证号码可疑' },
          { point: 'HP-R12', message: '未说明严重程度的提示' },
        ],
      },
    });
    const answer = await model().review(CASE);
    expect(answer.findings.map((f) => f.severity)).to.deep.equal(['warn', 'warn', 'warn']);
    expect(answer.downgraded).to.equal(3);
  });

  it('names a point or field the case does not have as general, and drops what is not a finding', async () => {
    answering({
      content: {
        findings: [
          { point: 'XX-R99', severity: 'warn', message: '其他提示', field: 'noSuchField' },
          { point: 'HP-R03', severity: 'warn', message: '   ' },
          'not a finding',
          { point: 'HP-R03', severity: 'warn', message: '长'.repeat(400) },
        ],
      },
    });
    const answer = await model().review(CASE);
    expect(answer.findings[0]).to.deep.equal({ point: 'AI', severity: 'warn', message: '其他提示' });
    expect(answer.findings[1].message).to.have.length(301);
    expect(answer.dropped).to.equal(2);
  });

  const failures: { when: string; answer: ChatAnswer; code: AiReviewError['code'] }[] = [
    { when: 'content that is not JSON', answer: { content: '我认为该申请没有问题。' }, code: 'malformed' },
    { when: 'a body that is not a chat completion', answer: { status: 200, body: '{"result": "ok"}' }, code: 'malformed' },
    { when: 'a body that is not JSON', answer: { status: 200, body: '<html>gateway</html>' }, code: 'malformed' },
    { when: 'JSON of another schema (no findings list)', answer: { content: { issues: ['姓名不一致'] } }, code: 'schema' },
    { when: 'findings that are not a list', answer: { content: { findings: '姓名不一致' } }, code: 'schema' },
    { when: 'an HTTP 500', answer: { status: 500, body: '{"error": {"message": "internal error"}}' }, code: 'status' },
    { when: 'an HTTP 429 (rate limited)', answer: { status: 429, body: '{"error": {"message": "rate limit"}}' }, code: 'status' },
  ];
  for (const { when, answer, code } of failures) {
    it(`fails with ${code} given ${when}`, async () => {
      answering(answer);
      expect((await failure(model().review(CASE))).code).to.equal(code);
    });
  }

  it('fails with timeout when the model does not answer within the limit, without waiting longer', async () => {
    answering('hang');
    const started = performance.now();
    const error = await failure(model({ timeoutMs: 300 }).review(CASE));
    expect(error.code).to.equal('timeout');
    expect(error.message).to.include('300 ms');
    expect(performance.now() - started).to.be.below(2000);
  });

  it('fails with unavailable when nothing listens, the key never in the message', async () => {
    const closed = await ChatCompletionsServer.start();
    const url = closed.url;
    await closed.close();
    const error = await failure(new ChatCompletionsModel({ url: `${url}?key=secret`, model: 'm', timeoutMs: 2000 }).review(CASE));
    expect(error.code).to.equal('unavailable');
    expect(error.message).to.not.include('secret');
  });

  it('posts to <base>/chat/completions, or to the full address when given', () => {
    expect(String(chatCompletionsUrl('https://api.deepseek.com/v1'))).to.equal('https://api.deepseek.com/v1/chat/completions');
    expect(String(chatCompletionsUrl('http://127.0.0.1:11434/v1/'))).to.equal('http://127.0.0.1:11434/v1/chat/completions');
    expect(String(chatCompletionsUrl('https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions'))).to.equal(
      'https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions',
    );
  });
});
