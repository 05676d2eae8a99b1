import { createKeyStore } from '../../../workers/esign/index';
import { HEALTH } from '../../unit/esign/fixtures';

/** Run as a process of its own: makes (or loads) the keys under argv[2] and prints the fingerprints. */
const keys = createKeyStore({ devCaDir: process.argv[2] });
const signer = await keys.signerFor(HEALTH);
const [root] = await keys.trustAnchors();
process.stdout.write(JSON.stringify({ root: root.fingerprint256, health: signer.certificate.fingerprint256 }) + '\n');
