import { X509Certificate, createPublicKey } from 'node:crypto';
import fs from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { ArchiveVerification } from './report';
import { verifyArchivePackage } from './verify';

export interface ThreadSetup {
  platformPublicKeyPem: string;
  trustAnchorsPem?: string[];
  maxUncompressedBytes?: number;
}

export type ThreadSource = { bytes: Uint8Array } | { path: string };
export type ThreadRequest = { id: number } & ThreadSource;
export type ThreadResponse = { id: number; result: ArchiveVerification } | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  const setup = workerData as ThreadSetup;
  const options = {
    platformPublicKey: createPublicKey(setup.platformPublicKeyPem),
    trustAnchors: setup.trustAnchorsPem?.map((pem) => new X509Certificate(pem)),
    maxUncompressedBytes: setup.maxUncompressedBytes,
  };
  port.on('message', async (request: ThreadRequest) => {
    try {
      const bytes = 'path' in request ? await fs.readFile(request.path) : request.bytes;
      port.postMessage({ id: request.id, result: await verifyArchivePackage(bytes, options) } satisfies ThreadResponse);
    } catch (error) {
      port.postMessage({ id: request.id, error: (error as Error).message } satisfies ThreadResponse);
    }
  });
}
