/**
 * `npm run webhook-receiver [-- --port 9000 --secret whsec_…]`: a webhook receiver to watch
 * Arbiter's deliveries. It verifies each one as any Standard Webhooks receiver does (the
 * `standardwebhooks` library: signature and a timestamp within 5 minutes), drops repeats by
 * webhook-id (a delivery may arrive twice: at least once is the contract), and prints one line
 * per step.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { WebhookSecret } from '../effects/webhooks.ts';

const demoSecret = 'whsec_YXJiaXRlci1kZW1vLXdlYmhvb2stc2VjcmV0LTAwMDE=';
const usage = `usage: npm run webhook-receiver [-- --port 9000 --secret ${demoSecret}]

Listens on http://127.0.0.1:<port>/hooks, verifies each delivery's webhook-signature and
webhook-timestamp with the secret (Standard Webhooks), drops repeats by webhook-id and prints one
line per step.`;

let parsed: { values: { port: string; secret: string; help?: boolean | undefined } };
try {
  parsed = parseArgs({
    options: { port: { type: 'string', default: '9000' }, secret: { type: 'string', default: demoSecret }, help: { type: 'boolean', short: 'h' } },
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
if (!WebhookSecret.safeParse(values.secret).success) {
  console.error(`webhook-receiver: --secret takes whsec_ then 24 to 64 bytes in base64 (got ${JSON.stringify(values.secret)})\n\n${usage}`);
  process.exit(2);
}
const webhook = new Webhook(values.secret);
const seen = new Set<string>();

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const id = String(req.headers['webhook-id']);
    try {
      webhook.verify(body, req.headers as Record<string, string>);
    } catch (error) {
      console.log(`✗ ${id} rejected: ${(error as Error).message}`);
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
});
server.listen(Number(values.port), '127.0.0.1', () =>
  console.log(`webhook receiver on http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks (secret ${values.secret})`),
);
