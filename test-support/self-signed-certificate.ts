/**
 * A self-signed certificate for 127.0.0.1, and for the host `names` given, valid for a day, made
 * with `openssl`: for HTTPS servers of the tests, trusted (or not) through NODE_EXTRA_CA_CERTS.
 * A name (`ghcr.io`) lets a server reached through test-support/forward-proxy.ts's `hosts` stand
 * in for that host.
 *
 *   const { key, cert } = await selfSignedCertificate(dir); // the two PEM files' paths
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export async function selfSignedCertificate(
  dir: string,
  names: readonly string[] = [],
): Promise<{ key: string; cert: string }> {
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  const alternatives = ['IP:127.0.0.1', ...names.map((name) => `DNS:${name}`)].join(',');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', `subjectAltName=${alternatives}`,
  ]); // prettier-ignore
  return { key, cert };
}
