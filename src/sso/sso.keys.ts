// The IdP's signing identity: an RSA key pair made with Node's crypto and a self-signed X.509
// certificate around its public key. node-forge builds the certificate only (Node 20 can parse
// certificates but not issue them; @peculiar/x509 needs a global reflect-metadata polyfill).
import crypto from 'node:crypto';
import forge from 'node-forge';

export type IdpKeys = {
  readonly privateKeyPem: string;
  readonly certPem: string;
};

export function createIdpKeys(commonName: string, now: Date, validYears = 10): IdpKeys {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial: a leading 01 keeps the top bit clear.
  cert.serialNumber = `01${crypto.randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime());
  cert.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + validYears);
  const name = [
    { name: 'commonName', value: commonName.slice(0, 64) },
    { name: 'organizationName', value: 'sesame-bridge' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { privateKeyPem: privateKey, certPem: forge.pki.certificateToPem(cert) };
}

/** True when the certificate holds the public half of the private key (a stored pair not mixed up). */
export function keysMatch(keys: IdpKeys): boolean {
  const cert = new crypto.X509Certificate(keys.certPem);
  const pub = crypto.createPublicKey(crypto.createPrivateKey(keys.privateKeyPem));
  return cert.publicKey.equals(pub);
}
