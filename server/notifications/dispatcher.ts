import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { NoticeChannel } from './channels';

const BATCH = 50;

/**
 * Sends the outbox's `sms` notices through the channel, each once: claimed (marked sent) before sending, given back
 * when the channel fails, for the next pass (the process that asked for it has long moved on). Inbox notices are
 * read on the platform and need no sending.
 */
export class NoticeDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly deps: { knex: Knex; clock: Clock; log: Logger; channel: NoticeChannel }) {}

  async dispatch(): Promise<number> {
    const rows = await this.deps
      .knex('notifications')
      .where({ channel: 'sms' })
      .whereNull('sent_at')
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'recipient', 'text', 'template');
    let sent = 0;
    for (const row of rows) {
      // Claimed before sending: another pass (or another server) skips it; a failed send gives it back.
      const claimed = await this.deps
        .knex('notifications')
        .where({ id: row.id })
        .whereNull('sent_at')
        .update({ sent_at: this.deps.clock.now() });
      if (!claimed) continue;
      try {
        await this.deps.channel.send({ id: String(row.id), recipient: row.recipient, text: row.text, template: row.template });
      } catch (error) {
        await this.deps.knex('notifications').where({ id: row.id }).update({ sent_at: null });
        this.deps.log.error('notice not sent; retried later', {
          notificationId: String(row.id),
          channel: this.deps.channel.name,
          error: String(error),
        });
        break;
      }
      sent++;
    }
    return sent;
  }

  start(intervalMs = 2000): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.dispatch()
        .catch((error) => (this.deps.log.error('notice dispatch failed', { error: String(error) }), 0))
        .finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.deps.channel.close?.();
  }
}
