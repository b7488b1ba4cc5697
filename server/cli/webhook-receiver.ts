/**
 * `npm run webhook-receiver [-- --port 9000 --secret whsec-demo-0123456789]`: a webhook receiver to
 * watch Arbiter's deliveries. It verifies each signature, drops repeats by delivery id (a
 * delivery may arrive twice: at least once is the contract), and prints one line per step.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { verifySignature } from '../effects/webhooks.ts';

const usage = `usage: npm run webhook-receiver [-- --port 9000 --secret whsec-demo-0123456789]

Listens on http://127.0.0.1:<port>/hooks, verifies each delivery's Arbiter-Signature with the
secret, drops repeats by Arbiter-Delivery and prints one line per step.`;

let parsed: { values: { port: string; secret: string; help?: boolean | undefined } };
try {
  parsed = parseArgs({
    options: { port: { type: 'string', default: '9000' }, secret: { type: 'string', default: 'whsec-demo-0123456789' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  console.error(`webhook-receiver: ${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
  console.error(`webhook-receiver: --port takes an integer from 0 to 65535 (got ${JSON.stringify(values.port)})\n\n${usage}`);
  process.exit(2);
}
const seen = new Set<string>();

createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const id = String(req.headers['arbiter-delivery']);
    if (!verifySignature(values.secret, String(req.headers['arbiter-signature'] ?? ''), body)) {
      console.log(`✗ bad signature on ${id}: rejected`);
      res.writeHead(401).end();
      return;
    }
    if (seen.has(id)) {
      console.log(`= ${id} again (already processed): acknowledged`);
      res.writeHead(200).end();
      return;
    }
    seen.add(id);
    const { type, data } = JSON.parse(body) as { type: string; data: Record<string, unknown> & { actor?: { role: string; id: string } } };
    const step =
      type === 'dispute.resolved'
        ? `outcome ${JSON.stringify(data.outcome)}`
        : `${String(data.event)} by ${data.actor?.role} ${data.actor?.id}: ${String(data.fromState ?? '-')} -> ${String(data.toState)}`;
    console.log(`✓ ${type.padEnd(16)} ${String(data.disputeId)} #${String(data.seq)}  ${step}`);
    res.writeHead(200).end();
  });
}).listen(Number(values.port), '127.0.0.1', () => console.log(`webhook receiver on http://127.0.0.1:${values.port}/hooks (secret ${values.secret})`));
