import { expect } from 'chai';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '../../support/server';

interface Received {
  to: string[];
  body: string;
}

/** A loopback SMTP relay that keeps what it is given, or refuses everything. */
async function smtpRelay(refuse = false): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      callback(refuse ? new Error('relay refused') : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), body: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('SMS notices through the SMTP channel (loopback relay)', function () {
  this.timeout(60_000);
  let relay: Awaited<ReturnType<typeof smtpRelay>>;
  let server: TestServer;

  before(async () => {
    relay = await smtpRelay();
    server = await startTestServer({
      smtp: { url: `smtp://127.0.0.1:${relay.port}`, from: 'notice@approvals.test', recipientPattern: '{phone}@sms.approvals.test' },
    });
  });
  after(async () => {
    await server?.close();
    await relay?.close();
  });

  it('sends each SMS notice once to the gateway address of the number, and marks it sent', async () => {
    const knex = server.running.platform.db.knex;
    const [row] = await knex('notifications')
      .insert({
        template: 'approved',
        recipient: '13912345678',
        channel: 'sms',
        text: '您申请的公共场所卫生许可已准予许可。',
        created_at: new Date(),
      })
      .returning('id');
    // The background pass may take it first; either way it goes once.
    await server.running.platform.notices.dispatch();
    expect(relay.received.map((m) => m.to)).to.deep.include(['13912345678@sms.approvals.test']);
    const mail = relay.received.find((m) => m.to[0] === '13912345678@sms.approvals.test')!;
    expect(mail.body.toLowerCase()).to.include(`x-notice-id: ${row.id}`);
    const sent = await knex('notifications').where({ id: row.id }).first('sent_at');
    expect(sent.sent_at).to.not.equal(null);
    const before = relay.received.length;
    await server.running.platform.notices.dispatch();
    expect(relay.received.length).to.equal(before);
  });

  it('leaves a notice the relay refused for the next pass', async () => {
    const refusing = await smtpRelay(true);
    const other = await startTestServer({
      smtp: { url: `smtp://127.0.0.1:${refusing.port}`, from: 'notice@approvals.test', recipientPattern: '{phone}@sms.approvals.test' },
    });
    try {
      const knex = other.running.platform.db.knex;
      const [row] = await knex('notifications')
        .insert({ template: 'returned', recipient: '13800001111', channel: 'sms', text: '请补正。', created_at: new Date() })
        .returning('id');
      await other.running.platform.notices.dispatch();
      expect((await knex('notifications').where({ id: row.id }).first('sent_at')).sent_at).to.equal(null);
    } finally {
      await other.close();
      await refusing.close();
    }
  });
});
