import { expect } from 'chai';
import { hashPassword, verifyPassword } from '../../../server/auth/passwords';

describe('auth: password hashing (scrypt)', () => {
  it('stores the parameters and a salt in the hash, and verifies the right password only', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).to.match(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse', hash)).to.equal(true);
    expect(await verifyPassword('correct horsf', hash)).to.equal(false);
    expect(await verifyPassword('', hash)).to.equal(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('demo'), hashPassword('demo')]);
    expect(a).not.to.equal(b);
    expect(await verifyPassword('demo', a)).to.equal(true);
    expect(await verifyPassword('demo', b)).to.equal(true);
  });

  it('verifies with the parameters read from the hash, not the current defaults', async () => {
    const hash = await hashPassword('demo');
    const [, , r, p, salt] = hash.split('$');
    const crypto = await import('node:crypto');
    const cheaper = crypto.scryptSync('demo', Buffer.from(salt, 'base64url'), 32, { N: 1024, r: Number(r), p: Number(p) });
    const stored = ['scrypt', 1024, r, p, salt, cheaper.toString('base64url')].join('$');
    expect(await verifyPassword('demo', stored)).to.equal(true);
  });

  it('treats a NFC and a NFD spelling of the same password alike', async () => {
    const hash = await hashPassword('café');
    expect(await verifyPassword('cafe\u0301', hash)).to.equal(true);
  });

  it('refuses, without throwing, hashes that are malformed or ask for too much memory', async () => {
    const good = await hashPassword('demo');
    const parts = good.split('$');
    const variants = [
      '',
      'demo',
      'bcrypt$2b$10$abc',
      parts.slice(0, 5).join('$'),
      [...parts.slice(0, 5), parts[5].slice(0, 10)].join('$'),
      ['scrypt', 1000, ...parts.slice(2)].join('$'),
      ['scrypt', 2 ** 24, ...parts.slice(2)].join('$'),
      ['scrypt', parts[1], 0, ...parts.slice(3)].join('$'),
    ];
    for (const stored of variants) {
      expect(await verifyPassword('demo', stored), stored).to.equal(false);
    }
  });
});
