import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createValidators, loadContract } from '../schemas/index.ts';
import { ConfigError, deliveryPolicy } from '../gateway/index.ts';
import { loadAppConfig } from './config.ts';
import { DEMO_PARTICIPANTS } from '../demo/participants.ts';

const validators = createValidators(loadContract().document);
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('gives each gateway its own queue names: by folder for embedded data, by database otherwise, unless set', () => {
    const prefix = (env: Record<string, string>) => loadAppConfig({ validators, env }).queuePrefix;
    // Two checkouts on one machine (one Redis): different folders, different queues.
    expect(prefix({ RG_DATA_DIR: '/srv/a/var' })).not.toBe(prefix({ RG_DATA_DIR: '/srv/b/var' }));
    expect(prefix({ RG_DATA_DIR: '/srv/a/var' })).toBe(prefix({ RG_DATA_DIR: '/srv/a/./var' }));
    expect(prefix({ RG_DATA_DIR: '/srv/a/var' })).toMatch(/^rg-[a-z0-9-]+-[0-9a-f]{8}$/);
    // Processes of one gateway scaled out share a database, so they share queues; another database, another gateway.
    const db = 'postgres://gw@db.example/referrals';
    expect(prefix({ RG_DATABASE_URL: db, RG_DATA_DIR: '/srv/a/var' })).toBe(prefix({ RG_DATABASE_URL: db, RG_DATA_DIR: '/srv/b/var' }));
    expect(prefix({ RG_DATABASE_URL: db })).not.toBe(prefix({ RG_DATABASE_URL: `${db}-test` }));
    expect(loadAppConfig({ validators, env: {}, overrides: { queuePrefix: 'rg-prod' } }).queuePrefix).toBe('rg-prod');
  });

  it('starts on embedded defaults: port 8443, ./var, PGlite, demo participants', () => {
    const config = loadAppConfig({ validators, env: {} });
    expect(config.port).toBe(8443);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\/var$/);
    expect(config.publicUrl).toBe('https://localhost:8443');
    expect(config.participants.map((p) => p.id)).toEqual(DEMO_PARTICIPANTS.map((p) => p.id));
  });

  it('has a certificate policy by default and lets each part be changed', () => {
    expect(loadAppConfig({ validators, env: {} }).trust).toEqual({
      validityDays: { participant: 397, adapter: 397, administrator: 90 },
      expiryWarningDays: 30, rotationOverlapDays: 14, crlValidityHours: 24, clockSkewSeconds: 300, revocationRefreshMs: 1000,
    });
    expect(loadAppConfig({ validators, overrides: { trust: { validityDays: { administrator: 30 } } } }).trust.validityDays).toEqual({ participant: 397, adapter: 397, administrator: 30 });
    expect(problemsOf(() => loadAppConfig({ validators, overrides: { trust: { validityDays: { participant: 5000 } } } }))).toEqual(['/trust/validityDays/participant must be <= 825']);
  });

  it('needs the CA key and the seal certificate with production TLS files', () => {
    const tls = { caFile: 'ca.pem', certFile: 's.pem', keyFile: 's-key.pem', clientCertFile: 'c.pem', clientKeyFile: 'c-key.pem' };
    expect(problemsOf(() => loadAppConfig({ validators, overrides: { tls } }))).toEqual([
      "/tls must have required property 'caKeyFile'", "/tls must have required property 'sealCertFile'", "/tls must have required property 'sealKeyFile'",
    ]);
  });

  it('refuses a child-protection participant that is not configured', () => {
    expect(problemsOf(() => loadAppConfig({ validators, overrides: { childProtectionParticipant: 'BG-NOBODY' } }))).toEqual([
      'childProtectionParticipant BG-NOBODY is not a configured participant (every case about a child goes to it)',
    ]);
    expect(loadAppConfig({ validators, env: {} }).childProtectionParticipant).toBe('BG-SACP');
  });

  it('is frozen, nested objects too', () => {
    const config = loadAppConfig({ validators, env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.participants[0])).toBe(true);
  });

  it('reads RG_* variables over the RG_CONFIG file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-config-'));
    const file = join(dir, 'gateway.json');
    writeFileSync(file, JSON.stringify({ port: 9000, logLevel: 'warn' }));
    const config = loadAppConfig({ validators, env: { RG_CONFIG: file, RG_PORT: '9443', RG_DATABASE_URL: 'postgres://db/rg' } });
    expect(config.port).toBe(9443);
    expect(config.logLevel).toBe('warn');
    expect(config.databaseUrl).toBe('postgres://db/rg');
  });

  it('stops on an unknown key and names it', () => {
    expect(problemsOf(() => loadAppConfig({ validators, overrides: { prot: 8443 } }))).toEqual(['unknown key "prot"']);
  });

  it('stops on a port that is not a number', () => {
    expect(problemsOf(() => loadAppConfig({ validators, env: { RG_PORT: 'eighty' } }))[0]).toMatch(/^\/port must be integer/);
  });

  it('checks participants against the contract and refuses duplicates', () => {
    const broken = { ...DEMO_PARTICIPANTS[0], kind: 'police' };
    const problems = problemsOf(() => loadAppConfig({ validators, overrides: { participants: [broken, DEMO_PARTICIPANTS[1], DEMO_PARTICIPANTS[1]] } }));
    expect(problems).toContain('/participants/0/kind must be equal to one of the allowed values');
    expect(problems).toContain('participant BG-NCCTHB is listed twice');
  });

  it('adds a participant to the demo ones (or the configured ones) without restating them, checked alike', () => {
    const shelter = { id: 'BG-NGO-NADEZHDA', name: 'Nadezhda Shelter (invented)', kind: 'ngo', country: 'BG', accepts: [], sends: ['case-update'] };
    const config = loadAppConfig({ validators, overrides: { addParticipants: [shelter] } });
    expect(config.participants.map((p) => p.id)).toEqual([...DEMO_PARTICIPANTS.map((p) => p.id), 'BG-NGO-NADEZHDA']);
    expect(loadAppConfig({ validators, overrides: { participants: [DEMO_PARTICIPANTS[0], DEMO_PARTICIPANTS[2]], childProtectionParticipant: 'BG-SACP', addParticipants: [shelter] } }).participants.map((p) => p.id))
      .toEqual(['BG-MOI', 'BG-SACP', 'BG-NGO-NADEZHDA']);
    expect(problemsOf(() => loadAppConfig({ validators, overrides: { addParticipants: [{ ...shelter, id: 'BG-MOI' }] } }))).toContain('participant BG-MOI is listed twice');
  });

  it('refuses a push participant without an endpoint, and delivery settings for an unknown participant', () => {
    const noEndpoint = problemsOf(() => loadAppConfig({ validators, overrides: { delivery: { participants: { 'BG-MOI': { mode: 'push' } } } } }));
    expect(noEndpoint).toContain('/delivery/participants/BG-MOI must have required property \'endpoint\'');
    const unknown = problemsOf(() => loadAppConfig({ validators, overrides: { delivery: { participants: { 'BG-NOBODY': { mode: 'pull' } } } } }));
    expect(unknown).toEqual(['/delivery/participants/BG-NOBODY is not a configured participant']);
  });

  it('checks each adapter\'s settings against its own schema, filling in its defaults', () => {
    const saa = (settings: object) => ({ delivery: { participants: { 'BG-SAA': { mode: 'push', adapter: 'saa', endpoint: 'sftp://saa.example/exchange', settings } } } });
    expect(problemsOf(() => loadAppConfig({ validators, overrides: saa({ username: 'gateway', privateKeyFile: '/k' }) })))
      .toEqual(["/delivery/participants/BG-SAA/settings must have required property 'hostKeySha256'"]);
    expect(problemsOf(() => loadAppConfig({ validators, overrides: saa({ username: 'gateway', privateKeyFile: '/k', hostKeySha256: 'SHA256:' + 'A'.repeat(43), colour: 'red' }) })))
      .toEqual(['/delivery/participants/BG-SAA/settings must NOT have additional properties (colour)']);
    const config = loadAppConfig({ validators, overrides: saa({ username: 'gateway', privateKeyFile: '/k', hostKeySha256: 'SHA256:' + 'A'.repeat(43) }) });
    expect(config.delivery.participants['BG-SAA']!.settings).toMatchObject({ pollIntervalMs: 5000 });
    expect(problemsOf(() => loadAppConfig({ validators, overrides: { delivery: { participants: { 'BG-MOI': { mode: 'push', adapter: 'fax', endpoint: 'https://x' } } } } })))
      .toEqual([expect.stringMatching(/^\/delivery\/participants\/BG-MOI\/adapter names no registered adapter \(fax\); registered: https-json, moi/)]);
  });

  it('reaches participants abroad through their peer gateway, and refuses a peer naming unknown participants or this gateway', () => {
    const peer = { name: 'hu-nrm', caFile: '/etc/hu-ca.pem', endpoint: 'https://gateway.hu.example', participants: ['HU-NBI'] };
    const config = loadAppConfig({ validators, overrides: { gatewayName: 'bg-nrm', peers: [peer] } });
    expect(config.delivery.participants['HU-NBI']).toEqual({ mode: 'push', adapter: 'peer', endpoint: 'https://gateway.hu.example', settings: {} });
    expect(problemsOf(() => loadAppConfig({ validators, overrides: { gatewayName: 'hu-nrm', peers: [{ ...peer, participants: ['HU-NOBODY'] }] } })))
      .toEqual(['peer hu-nrm has this gateway\'s own name', 'peer hu-nrm: HU-NOBODY is not a configured participant']);
  });

  it('gives each participant its own delivery policy over the defaults', () => {
    const config = loadAppConfig({ validators, overrides: { delivery: { attempts: 4, participants: { 'BG-MOI': { mode: 'push', endpoint: 'https://moi.example/in', attempts: 9 } } } } });
    expect(deliveryPolicy(config, 'BG-MOI').attempts).toBe(9);
    expect(deliveryPolicy(config, 'BG-SAA').attempts).toBe(4);
    expect(deliveryPolicy(config, 'BG-SAA').ttlSeconds).toBe(604_800);
  });

  it('reads the process roles from RG_ROLES and refuses an unknown role', () => {
    expect(loadAppConfig({ validators, env: { RG_ROLES: 'relay, worker' } }).roles).toEqual(['relay', 'worker']);
    expect(problemsOf(() => loadAppConfig({ validators, env: { RG_ROLES: 'api,cron' } }))[0]).toMatch(/^\/roles\/1 must be equal to one of the allowed values/);
  });

  it('says when the RG_CONFIG file is missing or not JSON', () => {
    expect(problemsOf(() => loadAppConfig({ validators, env: { RG_CONFIG: '/nonexistent/gateway.json' } }))[0]).toMatch(/cannot read/);
    const dir = mkdtempSync(join(tmpdir(), 'rg-config-'));
    writeFileSync(join(dir, 'bad.json'), '{ port: 1 ');
    expect(problemsOf(() => loadAppConfig({ validators, env: { RG_CONFIG: join(dir, 'bad.json') } }))[0]).toMatch(/is not a JSON object/);
  });
});
