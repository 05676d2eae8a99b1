import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, tooLarge } from './errors';

export interface StoredFile {
  sha256: string;
  size: number;
}

/** Files addressed by the SHA-256 of their bytes; the same bytes are stored once. */
export interface Storage {
  put(content: Buffer | Readable, options?: { maxBytes?: number }): Promise<StoredFile>;
  get(sha256: string): Promise<Buffer>;
  stream(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class FileStorage implements Storage {
  constructor(
    private readonly root: string,
    private readonly defaultMaxBytes: number,
  ) {
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  }

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new AppError(400, 'INVALID_FILE_ID', 'A file id is 64 lower-case hex characters');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(content: Buffer | Readable, options: { maxBytes?: number } = {}): Promise<StoredFile> {
    const maxBytes = options.maxBytes ?? this.defaultMaxBytes;
    const temp = path.join(this.root, 'tmp', `${process.pid}-${crypto.randomUUID()}`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > maxBytes) throw tooLarge(maxBytes);
            hash.update(chunk);
            yield chunk;
          }
        },
        fs.createWriteStream(temp, { flags: 'wx' }),
      );
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const handle = await fs.promises.open(temp, 'r');
      await handle.sync();
      await handle.close();
      await fs.promises.rename(temp, target);
      return { sha256, size };
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
  }

  async get(sha256: string): Promise<Buffer> {
    try {
      return await fs.promises.readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError(404, 'NOT_FOUND', `file ${sha256} not found`);
      throw error;
    }
  }

  stream(sha256: string): Readable {
    return fs.createReadStream(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    return fs.promises.access(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }
}
