import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The HS256 secret of a development install: made once and kept in `<dataDir>/keys/jwt-secret`
 * (readable by the owner only), so tokens survive a restart without anyone setting JWT_SECRET.
 */
export function loadOrCreateJwtSecret(dataDir: string): string {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, 'jwt-secret');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) {
    // Written aside and linked into place, so a second process starting at the same moment never reads half a file.
    const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temp, crypto.randomBytes(48).toString('base64url'), { mode: 0o600 });
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters; delete the file to make a new one.`);
  return secret;
}
