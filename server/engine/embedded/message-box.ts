import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import { badRequest } from '../../errors';
import type { MessagePublished, PublishMessage } from '../port';

type Vars = Record<string, unknown>;
type Deliver = (
  instanceKey: string,
  executionId: string,
  variables: Vars,
  claim: (trx: Knex.Transaction) => Promise<void>,
) => Promise<boolean>;

class AlreadyTaken extends Error {}

/**
 * Messages as Zeebe correlates them: to every instance with an open subscription of that name and correlation key,
 * else buffered for its time to live and given to the first subscription that opens in that time.
 */
export class MessageBox {
  constructor(
    private readonly knex: Knex,
    private readonly clock: Clock,
    private readonly deliver: Deliver,
  ) {}

  async publish(message: PublishMessage): Promise<MessagePublished> {
    if (!message.name?.trim()) throw badRequest('a message needs a name', [{ field: 'name', message: 'required' }]);
    const now = this.clock.now();
    const sandbox = Boolean(message.sandbox);
    if (message.messageId) {
      const existing = await this.knex('messages')
        .where({ name: message.name, message_id: message.messageId })
        .where('expires_at', '>', now)
        .first();
      if (existing) return { key: String(existing.key), correlatedInstanceKeys: [], buffered: true };
    }
    const subscriptions = await this.knex('message_subscriptions')
      .where({ message_name: message.name, correlation_key: message.correlationKey, state: 'open', sandbox })
      .orderBy('key');
    const correlated: string[] = [];
    for (const subscription of subscriptions) {
      const instanceKey = String(subscription.instance_key);
      if (correlated.includes(instanceKey)) continue;
      const delivered = await this.tryDeliver(instanceKey, subscription.element_instance_id, message.variables ?? {}, async (trx) => {
        const updated = await trx('message_subscriptions').where({ key: subscription.key, state: 'open' }).update({ state: 'correlated' });
        if (!updated) throw new AlreadyTaken();
      });
      if (delivered) correlated.push(instanceKey);
    }
    const ttl = Math.max(0, message.timeToLiveMs ?? 0);
    const [row] = await this.knex('messages')
      .insert({
        name: message.name,
        correlation_key: message.correlationKey,
        message_id: message.messageId ?? null,
        variables: JSON.stringify(message.variables ?? {}),
        sandbox,
        published_at: now,
        expires_at: new Date(now.getTime() + (correlated.length ? 0 : ttl)),
        correlated_instance_key: correlated[0] ?? null,
      })
      .onConflict(this.knex.raw('(name, message_id) where message_id is not null'))
      .ignore()
      .returning('key');
    return { key: row ? String(row.key) : '', correlatedInstanceKeys: correlated, buffered: !correlated.length && ttl > 0 };
  }

  /** A subscription just opened: the oldest buffered message for it, if one is still alive. */
  async deliverBuffered(
    instanceKey: string,
    subscription: { key: string; messageName: string; correlationKey: string; executionId: string },
    sandbox: boolean,
  ): Promise<void> {
    const buffered = await this.knex('messages')
      .where({ name: subscription.messageName, correlation_key: subscription.correlationKey, sandbox })
      .whereNull('correlated_instance_key')
      .where('expires_at', '>', this.clock.now())
      .orderBy('key')
      .first();
    if (!buffered) return;
    await this.tryDeliver(instanceKey, subscription.executionId, buffered.variables, async (trx) => {
      const taken = await trx('messages')
        .where({ key: buffered.key })
        .whereNull('correlated_instance_key')
        .update({ correlated_instance_key: instanceKey });
      const opened = await trx('message_subscriptions').where({ key: subscription.key, state: 'open' }).update({ state: 'correlated' });
      if (!taken || !opened) throw new AlreadyTaken();
    });
  }

  /** Forgets messages that expired a day ago (kept that long for idempotent re-publishing and for inspection). */
  async expire(): Promise<void> {
    await this.knex('messages')
      .where('expires_at', '<', new Date(this.clock.now().getTime() - 86_400_000))
      .delete();
  }

  private async tryDeliver(
    instanceKey: string,
    executionId: string,
    variables: Vars,
    claim: (trx: Knex.Transaction) => Promise<void>,
  ): Promise<boolean> {
    try {
      return await this.deliver(instanceKey, executionId, variables, claim);
    } catch (error) {
      if (error instanceof AlreadyTaken) return false;
      throw error;
    }
  }
}
