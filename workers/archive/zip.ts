import { inflateSync, zipSync, type Zippable } from 'fflate';
import zlib from 'node:zlib';

/** The DOS epoch, built from local fields because zip times are local: every entry gets it, so the same files give the same bytes. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** A zip of these files, entries sorted by name; `stored` names are kept uncompressed (formats that are compressed already). */
export function writeZip(files: Map<string, Uint8Array>, stored: (name: string) => boolean): Buffer {
  const zippable: Zippable = {};
  for (const name of [...files.keys()].sort()) {
    zippable[name] = [files.get(name)!, { level: stored(name) ? 0 : 6, mtime: FIXED_MTIME }];
  }
  const bytes = zipSync(zippable);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export interface ZipEntry {
  name: string;
  /** Absent when the entry could not be read (the problem says why). */
  data?: Uint8Array;
}

export type ZipProblemKind = 'security' | 'integrity' | 'usability';

export interface ZipProblem {
  kind: ZipProblemKind;
  name?: string;
  reason: string;
}

export interface ZipReading {
  /** In central directory order, the first of any duplicate name only. */
  entries: ZipEntry[];
  problems: ZipProblem[];
}

/** The zip's structure cannot be read: nothing in it can be trusted to be what it says. */
export class ZipUnreadable extends Error {}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_END = 0x06064b50;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a zip by its central directory, checking what an unpacker could be fooled by: a local header naming the
 * entry differently, duplicate names, encryption, unknown compression, sizes past the limit. Structural damage
 * throws ZipUnreadable; a problem of one entry is reported and the others are still read.
 */
export function readZip(input: Uint8Array, options: { maxUncompressedBytes: number }): ZipReading {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const u32 = (at: number) => {
    if (at < 0 || at + 4 > bytes.length) throw new ZipUnreadable('a zip record runs past the end of the file');
    return bytes.readUInt32LE(at);
  };
  const u16 = (at: number) => {
    if (at < 0 || at + 2 > bytes.length) throw new ZipUnreadable('a zip record runs past the end of the file');
    return bytes.readUInt16LE(at);
  };
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === SIG_END) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipUnreadable('no end of central directory record: not a zip, or cut short');
  let count = u16(end + 10);
  let offset = u32(end + 16);
  if (end >= 20 && u32(end - 20) === SIG_ZIP64_LOCATOR) {
    const zip64End = Number(bytes.readBigUInt64LE(end - 12));
    if (u32(zip64End) !== SIG_ZIP64_END) throw new ZipUnreadable('the zip64 end record is missing');
    count = Number(bytes.readBigUInt64LE(zip64End + 32));
    offset = Number(bytes.readBigUInt64LE(zip64End + 48));
  }
  const problems: ZipProblem[] = [];
  if (count > 0 && u32(0) !== SIG_LOCAL) {
    problems.push({
      kind: 'security',
      reason: 'the package does not begin with a zip entry: something is prepended to it (压缩包前附加了其他内容)',
    });
  }
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let declared = 0;
  for (let i = 0; i < count; i++) {
    if (u32(offset) !== SIG_CENTRAL) throw new ZipUnreadable(`central directory entry ${i + 1} of ${count} is damaged`);
    const flags = u16(offset + 8);
    const method = u16(offset + 10);
    const crc = u32(offset + 16);
    let compressedSize = u32(offset + 20);
    let size = u32(offset + 24);
    const nameLength = u16(offset + 28);
    const extraLength = u16(offset + 30);
    let localOffset = u32(offset + 42);
    const rawName = bytes.subarray(offset + 46, offset + 46 + nameLength);
    if (rawName.length !== nameLength) throw new ZipUnreadable('a zip record runs past the end of the file');
    ({ compressedSize, size, localOffset } = zip64Sizes(bytes.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength), {
      compressedSize,
      size,
      localOffset,
    }));
    offset += 46 + nameLength + extraLength + u16(offset + 32);
    const name = entryName(rawName, flags);
    if (seen.has(name)) {
      problems.push({
        kind: 'security',
        name,
        reason: 'the zip holds two entries of this name; unpackers differ on which one wins (文件重名)',
      });
      continue;
    }
    seen.add(name);
    const entry: ZipEntry = { name };
    entries.push(entry);
    if (u32(localOffset) !== SIG_LOCAL) {
      problems.push({ kind: 'integrity', name, reason: 'its local header is missing or damaged (本地文件头损坏)' });
      continue;
    }
    const localName = bytes.subarray(localOffset + 30, localOffset + 30 + u16(localOffset + 26));
    if (!localName.equals(rawName)) {
      problems.push({
        kind: 'security',
        name,
        reason: `its local header names it "${localName.toString('latin1')}": unpackers would disagree on the path (文件名不一致)`,
      });
      continue;
    }
    if (flags & 1) {
      problems.push({ kind: 'security', name, reason: 'the entry is encrypted (加密)' });
      continue;
    }
    declared += size;
    if (declared > options.maxUncompressedBytes) {
      problems.push({
        kind: 'security',
        name,
        reason: `the entries declare more than ${options.maxUncompressedBytes} bytes uncompressed: a zip bomb is suspected (疑似压缩炸弹)`,
      });
      continue;
    }
    const start = localOffset + 30 + localName.length + u16(localOffset + 28);
    if (start + compressedSize > bytes.length) throw new ZipUnreadable(`the data of ${name} runs past the end of the file`);
    const raw = bytes.subarray(start, start + compressedSize);
    if (method === 0) entry.data = raw;
    else if (method === 8) {
      try {
        entry.data = inflateSync(raw, { out: new Uint8Array(size) });
      } catch (error) {
        problems.push({ kind: 'integrity', name, reason: `its compressed data is damaged: ${(error as Error).message} (压缩数据损坏)` });
        continue;
      }
    } else {
      problems.push({
        kind: 'usability',
        name,
        reason: `it is compressed with zip method ${method}; only stored and deflated entries open (压缩方式不支持)`,
      });
      continue;
    }
    if (entry.data.length !== size) {
      problems.push({
        kind: 'integrity',
        name,
        reason: `it unpacks to ${entry.data.length} bytes, not the ${size} its header declares (大小不符)`,
      });
      delete entry.data;
    } else if (zlib.crc32(entry.data) !== crc) {
      problems.push({
        kind: 'integrity',
        name,
        reason: 'its CRC-32 differs from its zip header: unpacking tools will reject it (校验码不符)',
      });
    }
  }
  return { entries, problems };
}

function entryName(raw: Buffer, flags: number): string {
  if (flags & 0x800) {
    try {
      return utf8.decode(raw);
    } catch {
      return raw.toString('latin1');
    }
  }
  return raw.toString('latin1');
}

interface Sizes {
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Values of 0xFFFFFFFF are in the zip64 extra field (id 1), in this order, only those that overflowed. */
function zip64Sizes(extra: Buffer, sizes: Sizes): Sizes {
  const MAX = 0xffffffff;
  if (sizes.size !== MAX && sizes.compressedSize !== MAX && sizes.localOffset !== MAX) return sizes;
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== 1) continue;
    let field = at + 4;
    const next = () => {
      if (field + 8 > extra.length) throw new ZipUnreadable('the zip64 extra field is too short');
      const value = Number(extra.readBigUInt64LE(field));
      field += 8;
      return value;
    };
    const size = sizes.size === MAX ? next() : sizes.size;
    const compressedSize = sizes.compressedSize === MAX ? next() : sizes.compressedSize;
    const localOffset = sizes.localOffset === MAX ? next() : sizes.localOffset;
    return { size, compressedSize, localOffset };
  }
  throw new ZipUnreadable('an entry needs a zip64 extra field and has none');
}
