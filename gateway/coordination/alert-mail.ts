/**
 * Alert e-mail: what it says and how it is sent. An alert e-mail carries the alert's kind,
 * the case thread's id, the due time and a link to the console — never personal data (the
 * correlation id must not contain any, by contract).
 */
import nodemailer from 'nodemailer';
import type { AlertRow } from '../store/coordination-store.ts';

export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
  close(): void;
}

/** `alerts.email.smtp` in the configuration. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
}

export function createSmtpMailer(smtp: SmtpSettings, from: string): Mailer {
  const transport = nodemailer.createTransport({
    host: smtp.host, port: smtp.port, secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
  });
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close: () => transport.close(),
  };
}

const SUBJECTS: Record<AlertRow['kind'], string> = {
  'response-due': 'a referral is not answered in time',
  'reflection-period-ending': 'a reflection period is ending',
  'guardian-missing': 'a child still has no appointed guardian',
  'follow-up-due': 'a follow-up after the shelter is due',
  'safe-return-overdue': 'a safe return has not been reported',
  'dead-letter': 'a delivery failed for good (a dead letter)',
  'delivery-retrying': 'deliveries to a system keep failing',
  'certificate-expiring': 'a certificate ends soon',
  'consent-expiring': 'a consent ends soon',
  'peer-unreachable': 'a partner gateway abroad does not take deliveries',
};

/** Where an alert's link points: its case thread, else the console's cases page. */
export function alertLink(alert: Pick<AlertRow, 'correlationId'>, consoleUrl: string): string {
  return alert.correlationId ? `${consoleUrl}#/cases/${encodeURIComponent(alert.correlationId)}` : `${consoleUrl}#/cases`;
}

/** The e-mail of an alert: ids, times and a link only. */
export function alertEmail(alert: AlertRow, consoleUrl: string): { subject: string; text: string } {
  const link = alertLink(alert, consoleUrl);
  return {
    subject: `[Referral Gateway] ${SUBJECTS[alert.kind]} (${alert.kind})${alert.correlationId ? ` — case ${alert.correlationId}` : ''}`,
    text: [
      `Alert ${alert.id}: ${SUBJECTS[alert.kind]}.`,
      '',
      ...(alert.correlationId ? [`Case thread: ${alert.correlationId}`] : []),
      ...Object.entries(alert.details).map(([key, value]) => `${key}: ${value}`),
      `Due: ${alert.dueAt.toISOString()}`,
      `Responsible: ${alert.responsible}`,
      `Raised: ${alert.raisedAt.toISOString()}`,
      '',
      `Open: ${link}`,
      `Acknowledge: POST /v1/alerts/${alert.id}/acknowledge, or on the console's Alerts page.`,
      '',
      'This message holds no personal data by design; the case is in the gateway.',
    ].join('\n'),
  };
}
