import { Der, TAG, context } from './der';

const NAME_OIDS: Record<string, string> = {
  '2.5.4.3': 'commonName',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'country',
  '2.5.4.7': 'locality',
  '2.5.4.8': 'province',
  '2.5.4.10': 'organization',
  '2.5.4.11': 'organizationalUnit',
  '2.5.4.97': 'organizationIdentifier',
};

export type NameAttributes = Partial<Record<string, string>>;

/** The attributes of an X.501 Name, by their usual names (the first value of each). */
export function nameAttributes(name: Der): NameAttributes {
  const out: NameAttributes = {};
  for (const rdn of name.children()) {
    for (const attribute of rdn.children()) {
      const type = attribute.child(0).oid();
      const key = NAME_OIDS[type] ?? type;
      if (!(key in out)) out[key] = attribute.child(1).text();
    }
  }
  return out;
}

/** What CMS needs of a certificate, as byte-exact slices of its DER. */
export interface CertificateFields {
  der: Buffer;
  /** INTEGER TLV */
  serial: Buffer;
  /** Upper-case hex, no leading zero byte, as `X509Certificate.serialNumber`. */
  serialHex: string;
  /** Name TLV */
  issuer: Buffer;
  subject: NameAttributes;
}

export function certificateFields(der: Buffer): CertificateFields {
  const tbs = Der.parse(der).child(0, TAG.sequence);
  const items = tbs.children();
  const first = items[0].tag === context(0) ? 1 : 0;
  const serial = items[first];
  if (serial.tag !== TAG.integer) throw new Error('certificate without a serial number');
  let hex = serial.content.toString('hex').toUpperCase();
  while (hex.startsWith('00') && hex.length > 2) hex = hex.slice(2);
  return {
    der,
    serial: serial.bytes,
    serialHex: hex,
    issuer: items[first + 2].bytes,
    subject: nameAttributes(items[first + 4]),
  };
}
