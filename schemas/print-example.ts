/** `npm run -s example -- referral`: prints an example message from the contract, for curl. */
import { loadContract } from './contract.ts';

const names: Record<string, string> = {
  alert: 'Alert',
  referral: 'Referral',
  'referral-response': 'ReferralResponse',
  'case-transfer': 'CaseTransfer',
  'case-update': 'CaseUpdate',
};
const wanted = process.argv[2] ?? '';
const examples = loadContract().document.components.examples as Record<string, { value: unknown }>;
const example = examples[names[wanted] ?? ''];
if (!example) {
  process.stderr.write(`usage: npm run -s example -- <${Object.keys(names).join('|')}>\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(example.value, null, 2)}\n`);
