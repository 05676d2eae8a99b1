import crypto from 'node:crypto';
import { expect } from 'chai';
import { anchorMessage } from '../../../server/audit/anchors';
import { GENESIS_HASH, rowHash } from '../../../server/audit/chain';

const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

describe('audit chain hashing', () => {
  const fields = {
    seq: '1',
    at: '2026-11-22T08:30:00.123Z',
    actor: 'clerk.health',
    action: 'task.completed',
    entityType: 'task',
    entityId: '42',
    data: { decision: 'approve', 意见: '材料齐全', score: 1.5 },
  };

  it('hashes the prev_hash hex followed by the canonical JSON of the row, seq as a string', () => {
    const json =
      '{"action":"task.completed","actor":"clerk.health","at":"2026-11-22T08:30:00.123Z",' +
      '"data":{"decision":"approve","score":1.5,"意见":"材料齐全"},"entityId":"42","entityType":"task","seq":"1"}';
    expect(rowHash(GENESIS_HASH, fields)).to.equal(sha256('0'.repeat(64) + json));
  });

  it('writes entityId null when there is none', () => {
    const hash = rowHash(GENESIS_HASH, { ...fields, entityId: null, data: {} });
    expect(hash).to.equal(
      sha256('0'.repeat(64) + '{"action":"task.completed","actor":"clerk.health","at":"2026-11-22T08:30:00.123Z","data":{},"entityId":null,"entityType":"task","seq":"1"}'),
    );
  });

  it('changes with the previous hash, so rows cannot be reordered', () => {
    expect(rowHash('f'.repeat(64), fields)).not.to.equal(rowHash(GENESIS_HASH, fields));
  });

  it('ignores properties beyond the chained fields (prevHash and hash of a read row)', () => {
    const read = { ...fields, prevHash: GENESIS_HASH, hash: 'x' };
    expect(rowHash(GENESIS_HASH, read)).to.equal(rowHash(GENESIS_HASH, fields));
  });

  it('signs anchors over seq, hash and time together', () => {
    const message = anchorMessage({ seq: '1000', hash: 'ab'.repeat(32), signedAt: '2026-11-22T08:30:00.000Z' });
    expect(message.toString('utf8')).to.equal(
      `{"hash":"${'ab'.repeat(32)}","seq":"1000","signedAt":"2026-11-22T08:30:00.000Z","type":"audit-anchor"}`,
    );
  });
});
