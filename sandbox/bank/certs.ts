/**
 * Test certificates for the bank sandbox, made with Debian's `openssl` CLI:
 * a test CA, a server certificate for localhost/127.0.0.1, a client QWAC and a
 * QSealC whose subject carries the PSD2 organisation identifier (OID 2.5.4.97).
 * Never use these outside tests and demos.
 */
import { execFile } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  dir: string;
  caCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  qwacCertPath: string;
  qwacKeyPath: string;
  qsealCertPath: string;
  qsealKeyPath: string;
  /** `https://certs.stetpay.test/qseal_<sha-256 fingerprint of the QSealC, 64 lowercase hex>.pem` */
  qsealKeyId: string;
  organisationId: string;
}

export interface MakeTestCertificatesOptions {
  /** The PSD2 organisation identifier put in the QWAC and QSealC subjects (and used as `client_id`).
   * @defaultValue 'PSDFR-ACPR-12345' */
  organisationId?: string;
}

const FILES = {
  ca: 'ca.crt',
  caKey: 'ca.key',
  server: 'server.crt',
  serverKey: 'server.key',
  qwac: 'qwac.crt',
  qwacKey: 'qwac.key',
  qseal: 'qseal.crt',
  qsealKey: 'qseal.key',
} as const;
const MARKER = 'complete.json';

/** The `_<fingerprint>` keyId the STET framework describes for a QSealC certificate. */
export function qsealKeyIdFor(certPem: string | Buffer): string {
  return `https://certs.stetpay.test/qseal_${sha256Fingerprint(certPem)}.pem`;
}

/** SHA-256 fingerprint of a PEM certificate: 64 lowercase hex, no colons. */
export function sha256Fingerprint(certPem: string | Buffer): string {
  return new X509Certificate(certPem).fingerprint256.replace(/:/g, '').toLowerCase();
}

/** Creates the certificates in `dir`, or reuses them when a complete set is already there for the same organisation. */
export async function makeTestCertificates(dir: string, opts: MakeTestCertificatesOptions = {}): Promise<TestCertificates> {
  const organisationId = opts.organisationId ?? 'PSDFR-ACPR-12345';
  if (!/^[A-Za-z0-9-]{1,64}$/.test(organisationId)) throw new Error(`organisationId "${organisationId}" must be letters, digits and hyphens`);
  await mkdir(dir, { recursive: true });
  const marker = join(dir, MARKER);
  if (existsSync(marker)) {
    const made = JSON.parse(await readFile(marker, 'utf8')) as { organisationId?: string };
    if (made.organisationId === organisationId && Object.values(FILES).every((f) => existsSync(join(dir, f)))) {
      return describe(dir, organisationId);
    }
  }
  // Build in a private folder, then move into place, so concurrent makers never see half a set.
  const work = await mkdtemp(join(dir, '.making-'));
  try {
    await generate(work, organisationId);
    for (const f of Object.values(FILES)) await rename(join(work, f), join(dir, f));
    await writeFile(marker, JSON.stringify({ organisationId, madeAt: new Date().toISOString() }));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return describe(dir, organisationId);
}

async function describe(dir: string, organisationId: string): Promise<TestCertificates> {
  const qsealCertPath = join(dir, FILES.qseal);
  return {
    dir,
    caCertPath: join(dir, FILES.ca),
    serverCertPath: join(dir, FILES.server),
    serverKeyPath: join(dir, FILES.serverKey),
    qwacCertPath: join(dir, FILES.qwac),
    qwacKeyPath: join(dir, FILES.qwacKey),
    qsealCertPath,
    qsealKeyPath: join(dir, FILES.qsealKey),
    qsealKeyId: qsealKeyIdFor(await readFile(qsealCertPath)),
    organisationId,
  };
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed (is Debian's openssl on PATH?): ${(e.stderr ?? e.message).trim().slice(-400)}`);
  }
}

async function issue(cwd: string, name: string, key: string, subject: string, extensions: string): Promise<void> {
  await openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', `${name}.csr`, '-subj', subject], cwd);
  await writeFile(join(cwd, `${name}.ext`), extensions);
  await openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', FILES.ca, '-CAkey', FILES.caKey, '-set_serial', '0x' + randomBytes(8).toString('hex'),
      '-days', '825', '-sha256', '-extfile', `${name}.ext`, '-out', name],
    cwd,
  );
}

async function generate(cwd: string, organisationId: string): Promise<void> {
  await openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', FILES.caKey, '-out', FILES.ca, '-days', '3650', '-sha256',
      '-subj', '/C=FR/O=stetpay test/CN=stetpay test CA (not for production)',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    cwd,
  );
  await issue(cwd, FILES.server, FILES.serverKey, '/C=FR/O=stetpay test bank/CN=localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n');
  await issue(cwd, FILES.qwac, FILES.qwacKey, `/C=FR/O=stetpay test PISP/organizationIdentifier=${organisationId}/CN=stetpay test QWAC`,
    'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
  await issue(cwd, FILES.qseal, FILES.qsealKey, `/C=FR/O=stetpay test PISP/organizationIdentifier=${organisationId}/CN=stetpay test QSealC`,
    'keyUsage=critical,digitalSignature,nonRepudiation\n');
}
