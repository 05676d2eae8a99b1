import crypto from 'node:crypto';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { canonicalJson } from '../../../server/audit/canonical-json';
import type { Manifest } from '../../../workers/archive/index';

/** A manifest as a tamperer may write it: any media type. */
export type LooseManifest = Omit<Manifest, 'files'> & { files: (Omit<Manifest['files'][number], 'mediaType'> & { mediaType: string })[] };

export interface Unpacked {
  files: Map<string, Uint8Array>;
  manifest: LooseManifest;
}

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

export const json = (value: unknown) => Buffer.from(canonicalJson(value), 'utf8');

/**
 * A package changed as a tamperer (or a careless insider) would: `edit` changes files and manifest; then, unless
 * told not to, the manifest's sizes and hashes are recomputed and it is signed again by `signer`.
 */
export function repack(
  bytes: Uint8Array,
  edit: (unpacked: Unpacked) => void,
  options: { rehash?: boolean; signer?: { sign(data: Buffer): string } } = {},
): Buffer {
  const files = new Map(Object.entries(unzipSync(bytes)));
  const manifest = JSON.parse(Buffer.from(files.get('manifest.json')!).toString('utf8')) as LooseManifest;
  edit({ files, manifest });
  if (options.rehash ?? true) {
    for (const file of manifest.files) {
      const data = files.get(file.path);
      if (data) Object.assign(file, { size: data.length, sha256: sha256(data) });
    }
    const metadata = files.get('metadata.json');
    if (metadata) manifest.metadataSha256 = sha256(metadata);
  }
  files.set('manifest.json', json(manifest));
  if (options.signer) files.set('manifest.sig', Buffer.from(options.signer.sign(json(manifest))));
  return zip(files);
}

export function zip(files: Map<string, Uint8Array>): Buffer {
  const zippable: Zippable = {};
  for (const [name, data] of files) zippable[name] = data;
  return Buffer.from(zipSync(zippable, { level: 0 }));
}
