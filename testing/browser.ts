/**
 * Test harness: real Chromium (Debian's `chromium`) driven by playwright-core, signing in to
 * the console with a client certificate as a browser with a smart card would. Not used in production.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { KeyedCertificate } from '../certs/index.ts';

/** Where Chromium is: `CHROMIUM_PATH`, or Debian's package (`.ci/run` installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts headless Chromium; fails with what to install when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The console's browser tests need Chromium at ${CHROMIUM}: apt-get install -y chromium (what .ci/run does), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    // Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A browser profile holding `certificate` for the gateway at `origin`, in Bulgarian, on Sofia's clock. */
export async function signedIn(browser: Browser, origin: string, certificate: KeyedCertificate): Promise<BrowserContext> {
  return browser.newContext({
    clientCertificates: [{ origin, cert: Buffer.from(certificate.certPem), key: Buffer.from(certificate.keyPem) }],
    // The development CA is not in Chromium's trust store; the client certificate is what is under test.
    ignoreHTTPSErrors: true,
    locale: 'bg-BG',
    timezoneId: 'Europe/Sofia',
    viewport: { width: 1280, height: 900 },
  });
}
