/**
 * A self-signed certificate for 127.0.0.1, valid for a day, made with `openssl`: for HTTPS servers
 * of the tests, trusted (or not) through NODE_EXTRA_CA_CERTS.
 *
 *   const { key, cert } = await selfSignedCertificate(dir); // the two PEM files' paths
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export async function selfSignedCertificate(dir: string): Promise<{ key: string; cert: string }> {
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ]); // prettier-ignore
  return { key, cert };
}
