import crypto, { type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../server/audit/canonical-json';
import { MEDIA_TYPES } from './layout';

export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  /** 1, 2, 3… over the whole package, in the order of the case. */
  seq: number;
  path: string;
  mediaType: (typeof MEDIA_TYPES)[number];
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

/** manifest.json; manifest.sig is the platform key's Ed25519 signature over its canonical JSON (RFC 8785), base64. */
export interface Manifest {
  version: typeof MANIFEST_VERSION;
  archiveId: string;
  /** ISO 8601 */
  createdAt: string;
  files: ManifestFile[];
  metadataSha256: string;
}

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lower-case hex digits');

/** Loose on media types on purpose: an unknown one is a security finding about that file, not an unreadable manifest. */
export const manifestSchema = z.strictObject({
  version: z.literal(MANIFEST_VERSION),
  archiveId: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  files: z.array(
    z.strictObject({
      seq: z.int().positive(),
      path: z.string().min(1),
      mediaType: z.string(),
      size: z.int().nonnegative(),
      sha256: SHA256,
    }),
  ),
  metadataSha256: SHA256,
});

export type ParsedManifest = z.infer<typeof manifestSchema>;

/** The bytes the signature covers: the manifest's canonical JSON, UTF-8. */
export const signedBytes = (manifest: Manifest | ParsedManifest) => Buffer.from(canonicalJson(manifest), 'utf8');

/** Something that signs with the platform key: PlatformKey does. */
export interface ManifestSigner {
  sign(data: Buffer): string;
}

/** The platform's public key (a KeyObject or SPKI PEM), or a function checking a base64 signature (PlatformKey.verify). */
export type PlatformPublicKey = KeyObject | string | ((data: Buffer, signature: string) => boolean);

export type SignatureCheck = (data: Buffer, signature: string) => boolean;

/** Throws TypeError when the key is not an Ed25519 public key: a configuration mistake, not a finding about a package. */
export function signatureCheck(key: PlatformPublicKey): SignatureCheck {
  if (typeof key === 'function') return key;
  const publicKey = typeof key === 'string' ? crypto.createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`the platform key must be an Ed25519 key, not ${publicKey.asymmetricKeyType}`);
  }
  return (data, signature) => {
    const bytes = Buffer.from(signature, 'base64');
    // As PlatformKey.verify: only the canonical base64 spelling is accepted.
    if (bytes.toString('base64') !== signature) return false;
    try {
      return crypto.verify(null, data, publicKey, bytes);
    } catch {
      return false;
    }
  };
}
