import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A client certificate for Graph, as msal-node signs with it (`GRAPH_CLIENT_CERTIFICATE_PATH`). */
export interface ClientCertificate {
  /** SHA-256 thumbprint (hex): msal-node then signs with PS256 (`x5t#S256`). */
  thumbprintSha256: string;
  /** The private key, PKCS#8 PEM. */
  privateKey: string;
  /** When the certificate expires (ISO). */
  notAfter: string;
}

/**
 * The Graph client certificate: one PEM file with the private key and the certificate (as Key
 * Vault exports it). msal signs its client assertion with the key and names the certificate by
 * its SHA-256 thumbprint (`x5t#S256`), which is computed here. Problems name the setting and
 * never include the key.
 */
export function readClientCertificate(file: string, problems: string[]): ClientCertificate | undefined {
  const fail = (what: string) => {
    problems.push(`GRAPH_CLIENT_CERTIFICATE_PATH: ${what}`);
    return undefined;
  };
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    return fail(
      `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}) — check the path and that the bot may read it`,
    );
  }
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyPem =
    /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!certPem)
    return fail(
      `${file} holds no certificate (-----BEGIN CERTIFICATE-----) — put the certificate and its private key in one PEM file`,
    );
  if (!keyPem)
    return fail(
      `${file} holds no unencrypted private key (-----BEGIN PRIVATE KEY-----) — put the certificate and its private key in one PEM file`,
    );
  let cert: X509Certificate;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    cert = new X509Certificate(certPem);
    key = createPrivateKey(keyPem);
  } catch {
    return fail(`${file} is not a readable PEM certificate and private key`);
  }
  if (!cert.checkPrivateKey(key)) {
    return fail(`the private key in ${file} does not belong to its certificate`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return fail(
      'Entra signs in apps with RSA certificates only — create an RSA certificate (2048 bits or more)',
    );
  }
  const notAfter = new Date(cert.validTo);
  if (!(notAfter.getTime() > Date.now())) {
    return fail(
      `the certificate in ${file} expired on ${notAfter.toISOString().slice(0, 10)} — upload a new one to the app registration and replace the file`,
    );
  }
  return {
    thumbprintSha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    notAfter: notAfter.toISOString(),
  };
}
