/**
 * Just enough DER to write and read CMS: raw slices stay byte-exact (a certificate, the signed attributes), which
 * re-encoding by a general ASN.1 library does not promise.
 */
export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

/** A constructed context-specific tag `[n]`. */
export const context = (n: number): number => 0xa0 | n;

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(TAG.sequence, ...items);

/** A DER SET OF: its elements in the order of their encodings. */
export const setOf = (...items: Buffer[]): Buffer => tlv(TAG.set, ...[...items].sort(Buffer.compare));

export const octetString = (bytes: Buffer): Buffer => tlv(TAG.octetString, bytes);

export const NULL = Buffer.from([TAG.null, 0]);

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const group: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) group.unshift((rest & 0x7f) | 0x80);
    bytes.push(...group);
  }
  return tlv(TAG.oid, Buffer.from(bytes));
}

export class DerError extends Error {}

/** One TLV of a DER buffer, by offsets into it. */
export class Der {
  private constructor(
    readonly buffer: Buffer,
    readonly tag: number,
    readonly start: number,
    readonly contentStart: number,
    readonly end: number,
  ) {}

  static parse(buffer: Buffer, offset = 0, limit = buffer.length): Der {
    if (offset + 2 > limit) throw new DerError(`DER element cut short at ${offset}`);
    const tag = buffer[offset];
    if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte DER tag at ${offset}`);
    let length = buffer[offset + 1];
    let contentStart = offset + 2;
    if (length === 0x80) throw new DerError(`indefinite length (BER, not DER) at ${offset}`);
    if (length > 0x80) {
      const count = length & 0x7f;
      if (count > 4 || contentStart + count > limit) throw new DerError(`bad DER length at ${offset}`);
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + buffer[contentStart + i];
      contentStart += count;
    }
    const end = contentStart + length;
    if (end > limit) throw new DerError(`DER element at ${offset} runs past its container`);
    return new Der(buffer, tag, offset, contentStart, end);
  }

  /** The whole encoding, tag and length included. */
  get bytes(): Buffer {
    return this.buffer.subarray(this.start, this.end);
  }

  get content(): Buffer {
    return this.buffer.subarray(this.contentStart, this.end);
  }

  children(): Der[] {
    const out: Der[] = [];
    for (let at = this.contentStart; at < this.end;) {
      const child = Der.parse(this.buffer, at, this.end);
      out.push(child);
      at = child.end;
    }
    return out;
  }

  child(index: number, tag?: number): Der {
    const found = this.children()[index];
    if (!found) throw new DerError(`missing element ${index} in DER tag 0x${this.tag.toString(16)}`);
    if (tag !== undefined && found.tag !== tag) {
      throw new DerError(`expected DER tag 0x${tag.toString(16)}, found 0x${found.tag.toString(16)}`);
    }
    return found;
  }

  oid(): string {
    if (this.tag !== TAG.oid) throw new DerError(`expected an OID, found tag 0x${this.tag.toString(16)}`);
    const bytes = this.content;
    const arcs = [Math.floor(bytes[0] / 40), bytes[0] % 40];
    let value = 0;
    for (const b of bytes.subarray(1)) {
      value = value * 128 + (b & 0x7f);
      if (!(b & 0x80)) {
        arcs.push(value);
        value = 0;
      }
    }
    return arcs.join('.');
  }

  /** A string of any of the X.500 string types, decoded. */
  text(): string {
    const bytes = this.content;
    switch (this.tag) {
      case TAG.bmpString:
        return Buffer.from(bytes).swap16().toString('utf16le');
      case TAG.universalString: {
        let out = '';
        for (let i = 0; i + 3 < bytes.length; i += 4) out += String.fromCodePoint(bytes.readUInt32BE(i));
        return out;
      }
      case TAG.t61String:
        return bytes.toString('latin1');
      default:
        return bytes.toString('utf8');
    }
  }

  /** UTCTime or GeneralizedTime. */
  time(): Date {
    const s = this.content.toString('latin1');
    const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
    if (!m) throw new DerError(`unreadable time "${s}"`);
    let year = Number(m[1]);
    if (m[1].length === 2) year += year < 50 ? 2000 : 1900;
    return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
  }
}
