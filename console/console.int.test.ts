/**
 * The console in real Chromium, signed in with each role's client certificate, against a
 * running system (PostgreSQL, Redis, queues, simulated agencies): each page's main task end
 * to end, what a participant's certificate sees, and a cross-site request refused.
 * `CONSOLE_SCREENSHOTS=<dir>` also saves a picture of each page (docs/console.md's).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../certs/index.ts';
import { launchChromium, signedIn } from '../testing/browser.ts';
import { clientFor } from '../testing/test-gateway.ts';
import { runAuditorProcedure } from '../testing/auditor-procedure.ts';
import { startTestSystem, type TestSystem } from '../testing/test-system.ts';
import { generateYear, storeGeneratedYear } from '../testing/statistics-cases.ts';
import { DEMO_PARTICIPANTS } from '../demo/participants.ts';

const ADMINISTRATORS = [
  { name: 'gateway-admin', roles: ['certificate-officer', 'consent-officer', 'operator', 'auditor'] },
  { name: 'operator-petrova', roles: ['operator'] },
  { name: 'certificates-ivanov', roles: ['certificate-officer'] },
  { name: 'consents-georgieva', roles: ['consent-officer'] },
  { name: 'auditor-dimitrov', roles: ['auditor'] },
  { name: 'statistician-koleva', roles: ['statistician'] },
];
/** An invented person. */
const PERSON = { givenName: 'Радостина', familyName: 'Примерова', dateOfBirth: '2001-05-17' };

const screenshots = process.env.CONSOLE_SCREENSHOTS;
async function picture(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

let system: TestSystem;
let browser: Browser;
let origin: string;
const contexts: BrowserContext[] = [];

/** A page in a browser holding `who`'s certificate (an administrator's name or a participant id). */
async function as(who: string, path = ''): Promise<Page> {
  const context = await signedIn(browser, origin, system.certificate(who));
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${origin}/console${path}`);
  return page;
}

beforeAll(async () => {
  // Attempts enough that a recipient that answers 503 keeps the delivery retrying for the test's length.
  system = await startTestSystem({ delivery: { attempts: 100 }, overrides: { devAdministrators: ADMINISTRATORS } });
  origin = system.running.url.replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await system?.close();
});

describe('the console', () => {
  it('is served behind the certificate check with headers that keep it from being framed or loading anything foreign', async () => {
    const { client, agent } = clientFor(origin, readFileSync(join(system.running.devCertsDir!, 'ca.pem'), 'utf8'));
    const anonymous = await client.get('/console');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('GW_CLIENT_CERT_MISSING');
    await agent.close();
    const response = await system.as('gateway-admin').get('/console');
    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('speaks Bulgarian first, shows who is signed in, and switches to English', async () => {
    const page = await as('gateway-admin');
    await expect.poll(() => page.getByTestId('who').innerText()).toContain('gateway-admin');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('bg');
    expect(await page.getByRole('navigation', { name: 'Основна навигация' }).getByRole('link').allInnerTexts())
      .toEqual(['Обзор', 'Обмени', 'Недоставени', 'Участници', 'Сертификати', 'Съгласия', 'Справка за лице', 'Одит', 'Оттегляне с код']);
    await page.getByLabel('Език').selectOption('en');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByLabel('Language').selectOption('bg');
    await page.getByRole('heading', { name: 'Обзор', level: 1 }).waitFor();
  });

  it('works with the keyboard alone: skip to the content, the navigation, a dialog that Escape closes', async () => {
    const page = await as('operator-petrova', '#/participants');
    await page.getByTestId('participants').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Към съдържанието');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Tab from the page to the first row's "Спри", open its dialog with Enter, close it with Escape.
    const suspend = page.getByTestId('participant-BG-MOI').getByRole('button', { name: 'Спри' });
    for (let i = 0; i < 30 && !(await suspend.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await system.as('gateway-admin').get('/v1/admin/participants/BG-MOI')).body.suspension).toBeUndefined();
  });

  it('shows an operator the overview: deliveries per status and each recipient with its queue', async () => {
    const sent = await system.submit('Referral');
    await system.settle(sent.id, 'BG-NCCTHB', ['acknowledged']);
    const page = await as('operator-petrova');
    await page.getByRole('heading', { name: 'Обзор', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('by-status').innerText()).toMatch(/потвърдена\s+\d+/);
    await expect.poll(() => page.getByTestId('recipients').innerText()).toContain('BG-NGO-ANIMUS');
    // An operator sees the pages of operators only.
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(['Обзор', 'Обмени', 'Недоставени', 'Участници']);
    await picture(page, 'overview');
  });
});

describe('a consent officer', () => {
  let consentId: string;

  it('records a consent from the signed form and prints the receipt in Bulgarian and in Arabic, right to left', async () => {
    const page = await as('consents-georgieva', '#/consents/new');
    await page.getByRole('heading', { name: 'Запис на съгласие от подписания формуляр' }).waitFor();
    await page.getByLabel('Собствено име').fill(PERSON.givenName);
    await page.getByLabel('Фамилия').fill(PERSON.familyName);
    await page.getByLabel('Дата на раждане').fill(PERSON.dateOfBirth);
    await page.getByRole('group', { name: 'За кого' }).getByLabel(/BG-NGO-ANIMUS/).check();
    await page.getByLabel('Подписан формуляр (сканиран файл)').setInputFiles({ name: 'form.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 invented scanned consent form') });
    await page.getByLabel('Език на формуляра и на лицето').selectOption('ar');
    await page.getByLabel('С преводач').check();
    await picture(page, 'consent-record');
    await page.getByRole('button', { name: 'Запиши и отпечатай разписка' }).click();

    const arabic = page.getByTestId('receipt-ar');
    await arabic.waitFor();
    consentId = /#\/consents\/([0-9a-f-]{36})\/receipt/.exec(page.url())![1]!;
    const bulgarian = page.getByTestId('receipt-bg');
    expect(await bulgarian.innerText()).toContain('Разписка за дадено съгласие');
    expect(await bulgarian.innerText()).toContain('Animus');
    expect(await arabic.getAttribute('dir')).toBe('rtl');
    expect(await arabic.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await arabic.innerText()).toContain('إيصال موافقتك');
    const code = await bulgarian.getByTestId('withdrawal-code').innerText();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(await arabic.getByTestId('withdrawal-code').innerText()).toBe(code);
    // The code says nothing about the person: it is not the pseudonym, nor any part of the name.
    const consent = await system.as('gateway-admin').get(`/v1/consents/${consentId}`);
    expect(consent.body.subject).not.toContain(code.replace(/-/g, ''));
    expect(JSON.stringify(consent.body)).not.toContain(code);
    await picture(page, 'consent-receipt');
    // Printed, the page is the two receipts and nothing of the console around them.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    expect(await arabic.isVisible()).toBe(true);
    expect((await page.pdf()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('withdraws it, and the delivery waiting on it is withheld', async () => {
    const shelter = system.agency('BG-NGO-ANIMUS');
    shelter.behave({ fail: { status: 503 } });
    try {
      const sent = await system.submit('Referral', (m) => {
        m.legalBasis = { consentId };
        m.payload.subject.identity = { ...PERSON };
      });
      await system.settle(sent.id, 'BG-NCCTHB', ['retrying']);
      const page = await as('consents-georgieva', '#/consents');
      await page.getByLabel('Собствено име').fill(PERSON.givenName);
      await page.getByLabel('Фамилия').fill(PERSON.familyName);
      await page.getByLabel('Дата на раждане').fill(PERSON.dateOfBirth);
      await page.getByRole('button', { name: 'Търси' }).click();
      const row = page.getByTestId(`consent-${consentId}`);
      await row.waitFor();
      expect(await row.innerText()).toContain('в сила');
      await picture(page, 'consents');
      await row.getByRole('button', { name: 'Оттегли' }).click();
      const dialog = page.getByRole('dialog', { name: 'Оттегляне на съгласието' });
      await dialog.getByLabel('Причина').fill('Лицето оттегли съгласието си устно пред служител');
      await dialog.getByRole('button', { name: 'Оттегли' }).click();
      await page.getByText('Съгласието е оттеглено').waitFor();
      await expect.poll(() => row.innerText()).toContain('оттеглено');
      const settled = await system.settle(sent.id, 'BG-NCCTHB', ['withheld']);
      expect(settled.deliveries[0].status).toBe('withheld');
    } finally {
      shelter.behave({});
    }
  });
});

describe('withdrawing with the receipt\'s code', () => {
  it('lets an NGO that did not record the consent withdraw it, learning nothing about the person', async () => {
    // The child-protection agency's system records a consent and prints its receipt.
    const recorded = await system.as('BG-SACP').post('/v1/consents', {
      subject: { identity: { givenName: 'Калина', familyName: 'Измислена', dateOfBirth: '2010-02-03' } },
      givenBy: { kind: 'guardian', organisation: 'Дирекция „Социално подпомагане“ (демо)' },
      scope: [{ recipients: ['BG-NGO-ANIMUS'], purposes: ['protection-and-assistance'], categories: ['identity'] }],
      validFrom: new Date().toISOString(),
      evidence: { formDigest: `sha256:${'ab'.repeat(32)}`, signedOn: new Date().toISOString().slice(0, 10), language: 'uk', interpreter: true },
    });
    expect(recorded.status).toBe(201);
    const { id, withdrawalCode } = recorded.body;
    // The shelter may not withdraw it by id: it is not its consent.
    expect((await system.as('BG-NGO-ANIMUS').post(`/v1/consents/${id}/withdraw`, { reason: 'по молба на лицето' })).status).toBe(404);

    const page = await as('BG-NGO-ANIMUS', '#/withdraw');
    await page.getByRole('heading', { name: 'Оттегляне на съгласие с код' }).waitFor();
    // A participant's certificate opens its cases, its own figures and the withdrawal page, and nothing else.
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(['Случаи', 'Статистика', 'Оттегляне с код']);
    await page.getByLabel('Код за оттегляне').fill(withdrawalCode.toLowerCase().replace(/-/g, ' '));
    await page.getByLabel('Причина').fill('Лицето поиска оттегляне в приюта');
    await picture(page, 'withdraw-by-code');
    await page.getByRole('button', { name: 'Оттегли съгласието' }).click();
    await page.getByText(/Съгласието е оттеглено на/).waitFor();
    expect(await page.locator('main').innerText()).not.toContain('Измислена');

    const consent = await system.as('BG-SACP').get(`/v1/consents/${id}`);
    expect(consent.body.status).toBe('withdrawn');
    const audit = await system.running.db.query<{ actor: string; details: Record<string, string> }>(
      `SELECT actor, details FROM audit_log WHERE action = 'consent.withdrawn' AND details->>'consentId' = $1`, [id]);
    expect(audit.rows).toEqual([{ actor: 'participant:BG-NGO-ANIMUS', details: expect.objectContaining({ via: 'withdrawal-code' }) }]);

    // A code no receipt carries is refused, saying so.
    await page.getByLabel('Код за оттегляне').fill('0000-0000-0000-0000');
    await page.getByLabel('Причина').fill('проба');
    await page.getByRole('button', { name: 'Оттегли съгласието' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('GW_WITHDRAWAL_CODE_UNKNOWN');
  });
});

describe('a case\'s parties and the coordinator', () => {
  it('shows the coordinator its referrals with their state, and a case thread with each referral\'s path', async () => {
    const sent = await system.submit('Referral');
    const correlationId = (await system.track(sent.id, 'BG-NCCTHB')).correlationId as string;
    await expect.poll(async () => (await system.as('BG-NCCTHB').get(`/v1/referrals?correlationId=${correlationId}`)).body.items[0]?.state, { timeout: 15_000 }).toBe('received');

    const page = await as('BG-NCCTHB', '#/cases?state=received');
    const table = page.getByTestId('referrals');
    await expect.poll(() => table.innerText()).toContain(correlationId);
    expect(await table.innerText()).toMatch(/BG-NCCTHB\s+BG-NGO-ANIMUS\s+получено/);
    await page.getByRole('link', { name: correlationId }).click();
    await page.getByRole('heading', { name: `Случай ${correlationId}` }).waitFor();
    expect(await page.getByTestId('case-holder').innerText()).toContain('Никой още не води случая');
    const referral = page.getByTestId('referral-BG-NGO-ANIMUS');
    expect(await referral.getByRole('list', { name: 'Път на насочването' }).getByRole('listitem').allInnerTexts())
      .toEqual([expect.stringContaining('изпратено'), expect.stringContaining('получено')]);
    expect(await page.getByTestId('measures').innerText()).toMatch(/1\.1 идентификация\s+изпълнена\s+BG-NCCTHB/);

    // Nobody answered: once its respond-by time has passed, the coordinator is alerted, and takes it up.
    await system.running.gateway.coordination.fireDue(new Date(Date.now() + 30 * 86_400_000));
    await page.reload();
    await expect.poll(() => page.getByTestId('clocks').innerText()).toMatch(/няма отговор на насочване.*BG-NGO-ANIMUS\s+просрочен/s);
    await picture(page, 'case-thread');
    await page.goto(`${origin}/console#/cases`);
    // Its reflection period ends soon too (the example states one): that alert stays.
    const rows = page.getByTestId('alerts').getByRole('row').filter({ hasText: correlationId });
    const kinds = async () => (await rows.allInnerTexts()).map((text) => (text.includes('няма отговор на насочване') ? 'response' : text.includes('изтича периодът за размисъл') ? 'reflection' : text)).sort();
    await expect.poll(kinds).toEqual(['reflection', 'response']);
    await picture(page, 'alerts');
    await rows.filter({ hasText: 'няма отговор на насочване' }).getByRole('button', { name: 'Разгледан' }).click();
    await expect.poll(kinds).toEqual(['reflection']);

    // A participant that is no party to the case is told there is none it may see.
    const stranger = await as('BG-MOI', `#/cases/${correlationId}`);
    await expect.poll(() => stranger.getByRole('alert').innerText()).toContain('GW_CASE_UNKNOWN');
  });
});

describe('a certificate officer', () => {
  it('issues a certificate from a CSR file, and after revoking it the next request with it is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-console-csr-'));
    const { privateKeyPem } = generateKeyPair();
    writeFileSync(join(dir, 'saa-key.pem'), privateKeyPem);
    const csr = execFileSync('openssl', ['req', '-new', '-key', join(dir, 'saa-key.pem'), '-subj', '/CN=ignored'], { encoding: 'utf8' });

    const page = await as('certificates-ivanov', '#/certificates');
    await page.getByText('Издай сертификат').first().click();
    await page.getByLabel('Заявка за сертификат (CSR, PEM)').setInputFiles({ name: 'saa.csr', mimeType: 'text/plain', buffer: Buffer.from(csr) });
    await page.getByLabel('За', { exact: true }).selectOption('participant');
    await page.getByLabel('Участник').selectOption('BG-SAA');
    await picture(page, 'certificates');
    await page.getByRole('button', { name: 'Издай сертификат' }).click();
    const issued = await page.getByText(/Сертификатът е издаден: [0-9a-f]+\./).innerText();
    const serial = /: ([0-9a-f]+)\./.exec(issued)![1]!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Изтегли сертификата/ }).click()]);
    const certPem = readFileSync((await download.path())!, 'utf8');
    expect(certPem).toContain('BEGIN CERTIFICATE');

    const ca = readFileSync(join(system.running.devCertsDir!, 'ca.pem'), 'utf8');
    const saa = clientFor(origin, ca, { certPem, keyPem: privateKeyPem });
    expect((await saa.client.get('/v1/participants')).status).toBe(200);

    const row = page.getByTestId(`certificate-${serial}`);
    await row.getByRole('button', { name: 'Отнеми' }).click();
    const dialog = page.getByRole('dialog', { name: `Отнемане на сертификат ${serial}` });
    await dialog.getByLabel('Основание').selectOption('keyCompromise');
    await dialog.getByRole('button', { name: 'Отнеми' }).click();
    await page.getByText('Сертификатът е отнет').waitFor();
    await expect.poll(() => row.innerText()).toContain('отнет');
    const refused = await saa.client.get('/v1/participants');
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('GW_CLIENT_CERT_REVOKED');
    await saa.agent.close();
  });
});

describe('an operator', () => {
  it('retries a dead letter once the recipient is back, and sees it acknowledged', async () => {
    const shelter = system.agency('BG-NGO-ANIMUS');
    shelter.failNext('refuse');
    const sent = await system.submit('Referral');
    await system.settle(sent.id, 'BG-NCCTHB', ['failed']);
    const page = await as('operator-petrova', '#/dead-letters');
    const row = page.getByTestId(`dead-${sent.deliveries[0]!.id}`);
    await row.waitFor();
    await picture(page, 'dead-letters');
    await row.getByRole('button', { name: 'Повтори' }).click();
    await page.getByText('Доставката е върната в опашката.').waitFor();
    const settled = await system.settle(sent.id, 'BG-NCCTHB', ['acknowledged']);
    expect(settled.deliveries[0].status).toBe('acknowledged');
    // The exchange's timeline shows the way there: failed, queued again, acknowledged with the receipt.
    await page.goto(`${origin}/console#/exchanges/${sent.id}`);
    const delivery = page.getByTestId('delivery-BG-NGO-ANIMUS');
    await expect.poll(() => delivery.locator('.timeline').innerText()).toMatch(/неуспешна[\s\S]*в опашка[\s\S]*потвърдена/);
    expect(await delivery.innerText()).not.toContain('Още няма разписка.');
  });

  it('follows an exchange\'s timeline live as the recipient recovers', async () => {
    const shelter = system.agency('BG-NGO-ANIMUS');
    shelter.behave({ fail: { status: 503 } });
    const sent = await system.submit('Referral');
    await system.settle(sent.id, 'BG-NCCTHB', ['retrying']);
    const page = await as('operator-petrova', '#/exchanges');
    await page.getByLabel('Случай (correlationId)').fill((await system.track(sent.id, 'BG-NCCTHB')).correlationId);
    await page.getByRole('button', { name: 'Търси' }).click();
    await page.getByTestId('exchanges').getByRole('link', { name: new RegExp(sent.messageId) }).click();
    await expect.poll(() => page.getByTestId('live').innerText()).toContain('На живо');
    const delivery = page.getByTestId('delivery-BG-NGO-ANIMUS');
    await expect.poll(() => delivery.getByRole('heading', { level: 2 }).innerText()).toContain('нов опит');
    await picture(page, 'exchange');
    const reloads: string[] = [];
    page.on('framenavigated', (frame) => reloads.push(frame.url()));
    shelter.behave({});
    // No reload: the stream moves the page.
    await expect.poll(() => delivery.getByRole('heading', { level: 2 }).innerText(), { timeout: 20_000 }).toContain('потвърдена');
    expect(await delivery.locator('.timeline').innerText()).toMatch(/нов опит[\s\S]*потвърдена/);
    expect(reloads).toEqual([]);
  });

  it('adds a participant and suspends it', async () => {
    const page = await as('operator-petrova', '#/participants/new');
    await page.getByLabel('Идентификатор').fill('BG-NGO-NADEZHDA');
    await page.getByLabel('Наименование').fill('Фондация „Надежда“ (демо приют)');
    await page.getByLabel('Вид').selectOption('ngo');
    await page.getByRole('group', { name: 'Получава' }).getByLabel('насочване', { exact: true }).check();
    await page.getByRole('group', { name: 'Изпраща' }).getByLabel('отговор на насочване').check();
    await picture(page, 'participant-add');
    await page.getByRole('button', { name: 'Запази' }).click();
    const row = page.getByTestId('participant-BG-NGO-NADEZHDA');
    await row.waitFor();
    expect(await row.innerText()).toContain('активен');
    await picture(page, 'participants');
    await row.getByRole('button', { name: 'Спри' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Причина').fill('Договорът за участие е изтекъл');
    await dialog.getByRole('button', { name: 'Спри' }).click();
    await expect.poll(() => row.innerText()).toContain('спрян');
    const record = await system.as('gateway-admin').get('/v1/admin/participants/BG-NGO-NADEZHDA');
    expect(record.body.suspension).toMatchObject({ by: 'admin:operator-petrova', reason: 'Договорът за участие е изтекъл' });
    expect(record.body.participant).toMatchObject({ kind: 'ngo', accepts: [{ type: 'referral', schemaVersions: ['1.0'] }], sends: ['referral-response'] });
  });

  it('is refused, with the same certificate, a state-changing request a page of another site makes', async () => {
    const foreign: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><form method="post" enctype="text/plain" action="${origin}/v1/admin/participants/BG-SAA/suspend">
        <input name='{"reason":"forged","x":"' value='"}'><button>go</button></form>`);
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    try {
      const page = await as('operator-petrova');
      await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
      await page.getByRole('button', { name: 'go' }).click();
      await page.waitForURL(`${origin}/v1/admin/participants/BG-SAA/suspend`);
      expect(await page.locator('body').innerText()).toContain('GW_CROSS_SITE_REQUEST');
      const record = await system.as('gateway-admin').get('/v1/admin/participants/BG-SAA');
      expect(record.body.suspension).toBeUndefined();
    } finally {
      foreign.close();
    }
  });
});

describe('the auditor\'s tools', () => {
  it('checks the whole log with progress, and names the entry someone changed behind the database\'s back', async () => {
    await system.running.gateway.audit.maintain({ checkpoint: 'now' });
    const page = await as('auditor-dimitrov', '#/audit');
    await page.getByRole('heading', { name: 'Одитен дневник' }).waitFor();
    await page.getByTestId('checkpoints').waitFor();
    await page.getByRole('button', { name: 'Провери целия дневник' }).click();
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toMatch(/^✔ Дневникът е цял: \d+ записа, \d+ подписани контролни точки/);
    await picture(page, 'audit');

    const { rows: [target] } = await system.running.db.query<{ seq: string; actor: string }>('SELECT c.seq, a.actor FROM audit_chain c JOIN audit_log a ON a.seq = c.seq ORDER BY c.position OFFSET 3 LIMIT 1');
    const edit = (actor: string) => system.running.db.transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query('UPDATE audit_log SET actor = $2 WHERE seq = $1', [target!.seq, actor]);
    });
    await edit('admin:somebody-else');
    try {
      await page.getByRole('button', { name: 'Провери целия дневник' }).click();
      await expect.poll(() => page.getByTestId('verify-result').innerText()).toBe(`✘ Запис № ${target!.seq} (позиция 3) е променен: съдържанието му не отговаря на хеша.`);
    } finally {
      await edit(target!.actor);
    }
  });

  it('searches entries, places a legal hold on a case thread and releases it with a reason', async () => {
    const page = await as('auditor-dimitrov', '#/audit');
    await page.getByLabel('Действие').selectOption('exchange.accepted');
    await page.getByRole('button', { name: 'Търси' }).click();
    const entries = page.getByTestId('audit-entries');
    await entries.waitFor();
    expect(await entries.innerText()).toMatch(/exchange\.accepted[\s\S]*в контролна точка \d+/);

    await page.getByLabel('Случай').fill('case-2026-BG-0417');
    await page.getByLabel('Причина').fill('Софийски градски съд, дело 1234/2026');
    await page.getByRole('button', { name: 'Задръж случая' }).click();
    await page.getByText('Случаят case-2026-BG-0417 е задържан.').waitFor();
    const holds = page.getByTestId('legal-holds');
    expect(await holds.innerText()).toContain('Софийски градски съд, дело 1234/2026');
    await holds.getByRole('button', { name: 'Освободи' }).click();
    const dialog = page.getByRole('dialog', { name: 'Освобождаване на задържането на case-2026-BG-0417' });
    await dialog.getByLabel('Причина').fill('Производството приключи с влязло в сила решение');
    await dialog.getByRole('button', { name: 'Освободи' }).click();
    await page.getByText('Задържането на case-2026-BG-0417 е освободено.').waitFor();
    await page.getByText('Няма задържания в сила.').waitFor();
  });

  it('downloads an exchange\'s evidence bundle that the auditors\' procedure verifies offline', async () => {
    const sent = await system.submit('Referral');
    await system.settle(sent.id, 'BG-NCCTHB', ['acknowledged']);
    await system.running.gateway.audit.maintain({ checkpoint: 'now' });
    const page = await as('auditor-dimitrov', `#/exchanges/${sent.id}`);
    const files = new Map<string, string>();
    page.on('download', async (download) => files.set(download.suggestedFilename(), readFileSync(await download.path(), 'utf8')));
    await page.getByRole('button', { name: 'Доказателствен пакет' }).click();
    await page.getByText(`Пакетът е изтеглен: evidence-${sent.id}.json`).waitFor();
    await expect.poll(() => files.size).toBe(2);
    const checked = runAuditorProcedure({
      'bundle.json': files.get(`evidence-${sent.id}.json`)!, 'bundle.json.jws': files.get(`evidence-${sent.id}.json.jws`)!,
      'ca.pem': readFileSync(join(system.running.devCertsDir!, 'ca.pem'), 'utf8'),
    });
    expect(checked.ok, checked.output).toBe(true);
  });

  it('gives a consent officer the person\'s subject access report, with what was withheld', async () => {
    const page = await as('consents-georgieva', '#/subject-access');
    await page.getByLabel('Собствено име').fill(PERSON.givenName);
    await page.getByLabel('Фамилия').fill(PERSON.familyName);
    await page.getByLabel('Дата на раждане').fill(PERSON.dateOfBirth);
    await page.getByRole('button', { name: 'Изготви справката' }).click();
    const table = page.getByTestId('sar-disclosures');
    await table.waitFor();
    // The referral waiting on the consent withdrawn above never reached the shelter.
    expect(await table.innerText()).toMatch(/BG-NCCTHB\s+BG-NGO-ANIMUS\s+насочване\s+задържана/);
    expect(await page.getByTestId('sar-report').innerText()).toContain('оттеглено');
    await picture(page, 'subject-access');
  });
});

describe('what each certificate sees', () => {
  it('shows an auditor what auditors read, with nothing to change', async () => {
    const page = await as('auditor-dimitrov', '#/participants');
    await page.getByTestId('participants').waitFor();
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(['Обзор', 'Обмени', 'Участници', 'Сертификати', 'Съгласия', 'Справка за лице', 'Одит']);
    expect(await page.getByRole('link', { name: 'Добави участник' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Спри' }).count()).toBe(0);
  });

  it('shows a participant system\'s certificate no administration page, and the API refuses it too', async () => {
    const page = await as('BG-MOI', '#/dead-letters');
    await page.getByText('Няма такава страница.').waitFor();
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(['Случаи', 'Статистика']);
    expect(await page.getByTestId('who').innerText()).toContain('Ministry of Interior');
    const status = await page.evaluate(async () => (await fetch('/v1/admin/dead-letters')).status);
    expect(status).toBe(403);
  });
});

describe('a statistician', () => {
  it('reads a year\'s indicator as a monthly trend and by form of exploitation, under k where suppressed, and downloads the CSV', async () => {
    const sent = await system.submit('Alert');
    const generated = generateYear({ year: 2025, persons: 1200, seed: 5, participants: DEMO_PARTICIPANTS.map((p) => ({ id: p.id, kind: p.kind, country: p.country })) });
    await storeGeneratedYear(system.running.db, generated, sent.id);
    const published = (await system.as('statistician-koleva').get('/v1/statistics/2025')).body;
    const total = published.cells.find((c: { indicator: string; period: string; agency: string; dimension: string }) => c.indicator === 'victims-supported' && c.period === '2025' && c.agency === 'national' && c.dimension === 'all');

    const page = await as('statistician-koleva', '#/statistics');
    await page.getByRole('heading', { name: 'Национални показатели' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(['Статистика']);
    await page.getByLabel('Година', { exact: true }).selectOption('2025');
    await page.getByTestId('year-total').getByText(String(total.persons)).waitFor();
    expect(await page.getByTestId('year-total').innerText()).toBe(`Подкрепени жертви, 2025: ${total.persons}`);
    expect(await page.getByTestId('release').innerText()).toContain('k = 11; национално');
    // The picture: a line per month and bars per form of exploitation.
    expect(await page.locator('.recharts-line-curve').count()).toBe(1);
    expect(await page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(3);
    const labour = published.cells.find((c: { indicator: string; period: string; agency: string; dimension: string; category: string }) => c.indicator === 'victims-supported' && c.period === '2025' && c.agency === 'national' && c.dimension === 'form' && c.category === 'labour');
    expect(await page.getByTestId('by-form').getByRole('row', { name: /трудова/ }).innerText()).toContain(String(labour.persons));

    // One agency's figures, where small cells are suppressed: shown as under k, never as a number.
    await page.getByLabel('Институция', { exact: true }).selectOption('HU-NBI');
    await page.getByLabel('Показател', { exact: true }).selectOption('cross-border-transfers');
    await page.getByTestId('by-period').getByText('под 11').first().waitFor();
    await picture(page, 'statistics');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Изтегли CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('statistics-2025-as-of-2026-04-01.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n').length - 2).toBe(published.cells.length);
    expect(csv).not.toMatch(/psn_/);
  });

  it('shows a participant its own agency\'s figures only', async () => {
    const page = await as('BG-SAA', '#/statistics');
    await page.getByLabel('Година', { exact: true }).selectOption('2025');
    await page.getByTestId('release').getByText(/BG-SAA/).waitFor();
    expect(await page.getByLabel('Институция', { exact: true }).count()).toBe(0);
  });
});
