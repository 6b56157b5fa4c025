/**
 * Certificates for the TLS scenarios of the fault campaign, made with the openssl command line into a temporary
 * directory: two CAs of our own (one signs the servers' certificates, the other signs nothing the servers use)
 * and server certificates signed by the first, for 127.0.0.1 / localhost or for a host name we never connect to.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { execFileSync } from 'child_process';

export interface TestCertificates {
  dir: string;
  /** The CA that signed serverCert and wrongHostCert. */
  caFile: string;
  /** A CA that signed neither. */
  otherCaFile: string;
  /** For IP 127.0.0.1 and DNS localhost. */
  serverCert: string;
  serverKey: string;
  /** Signed by the same CA, for DNS db.pg2graph.invalid only. */
  wrongHostCert: string;
  wrongHostKey: string;
  /** A directory with private.key and public.crt (the server certificate), as the Neo4j launcher takes it. */
  neo4jDir: string;
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=pg2graph test ${name}`,
  ]);
}

function makeServer(dir: string, name: string, ca: string, altNames: string): void {
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  fs.writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${altNames}\n`);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
}

/** Makes the CAs and certificates (a second or so); remove() deletes them. */
export function makeTestCertificates(): TestCertificates {
  // readable by the postgres OS user that the throwaway cluster runs as (it gets copies, but the Neo4j launcher reads these)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg2graph-tls-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeServer(dir, 'server', 'ca', 'IP:127.0.0.1,DNS:localhost');
  makeServer(dir, 'wrong-host', 'ca', 'DNS:db.pg2graph.invalid');
  const neo4jDir = path.join(dir, 'neo4j');
  fs.mkdirSync(neo4jDir);
  fs.copyFileSync(path.join(dir, 'server.key'), path.join(neo4jDir, 'private.key'));
  fs.copyFileSync(path.join(dir, 'server.crt'), path.join(neo4jDir, 'public.crt'));
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    caFile: file('ca.crt'),
    otherCaFile: file('other-ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    wrongHostCert: file('wrong-host.crt'),
    wrongHostKey: file('wrong-host.key'),
    neo4jDir,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
