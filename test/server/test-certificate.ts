import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TestCertificate {
  key: string;
  cert: string;
}

let made: Promise<TestCertificate> | undefined;

/**
 * A self-signed certificate for 127.0.0.1, valid for a day, made at run time with openssl (Node's
 * crypto cannot sign an X.509 certificate), so no key is checked in. Browsers negotiate h2 only
 * over TLS; tests make them accept this one (Playwright's ignoreHTTPSErrors, WebDriver's
 * acceptInsecureCerts). One per process: key generation takes a moment.
 */
export function testCertificate(): Promise<TestCertificate> {
  return (made ??= create());
}

async function create(): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'sse-test-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', key, '-out', cert,
    ]);
    return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
