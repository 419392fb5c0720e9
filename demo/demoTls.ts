import selfsigned from 'selfsigned';

/** A certificate authority and a loopback server certificate it signed, all PEM. */
export interface DemoTls {
  /** The CA certificate: what clients must trust (as `ca`, or through NODE_EXTRA_CA_CERTS). */
  caCert: string;
  /** Server certificate for `localhost` and `127.0.0.1`, and its key. */
  cert: string;
  key: string;
}

/**
 * Makes a throw-away CA and a server certificate for the demo tenant's HTTPS simulators.
 * Generated fresh per process (never committed, never reused): the real client libraries only
 * take their production paths against `https://` (FACTS.md), so the simulators must speak TLS.
 */
export async function createDemoTls(now: Date = new Date()): Promise<DemoTls> {
  const notBeforeDate = new Date(now.getTime() - 60_000);
  const notAfterDate = new Date(now.getTime() + 30 * 86_400_000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'jamf-compliance-bot demo CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { caCert: ca.cert, cert: leaf.cert, key: leaf.private };
}
