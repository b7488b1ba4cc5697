/**
 * `npm run stately-relay [-- --port 8080]`: the relay between Arbiter and Stately's inspector.
 * Stately's inspector is a web page (https://stately.ai/inspect) that takes inspection events by
 * `postMessage`; a Node process cannot post to it, so a local page holds it in an iframe and hands
 * it what arrives on this relay's WebSocket, as `createInspectorServer` of
 * `@statelyai/inspect/server` does. Unlike that one, this relay listens on 127.0.0.1 only, refuses
 * WebSocket connections from other sites' pages (a page's Origin must be the relay's own), and
 * answers only to a loopback Host name: the stream carries the disputes' context (amounts,
 * descriptions, party ids). Every message a client sends goes to every other client; the last
 * `--buffer` messages are replayed to each client that connects, so a page opened late sees the
 * disputes announced before it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';

const usage = `usage: npm run stately-relay [-- --port 8080 --buffer 1000 --inspector https://stately.ai/inspect]

Listens on 127.0.0.1:<port> (0 picks a free port). Open http://127.0.0.1:<port>/ in a browser (it
loads Stately's inspector from --inspector, so the browser needs the internet; the relay does not),
then start Arbiter with ARBITER_STATELY_INSPECT=ws://127.0.0.1:<port>. Every message a client sends
is relayed to the others; the last --buffer messages are replayed to each client that connects.`;

function fail(message: string): never {
  console.error(`stately-relay: ${message}\n\n${usage}`);
  process.exit(2);
}

let values: { port: string; buffer: string; inspector: string; help?: boolean | undefined };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      buffer: { type: 'string', default: '1000' },
      inspector: { type: 'string', default: 'https://stately.ai/inspect' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) fail(`--port takes an integer from 0 to 65535 (got ${JSON.stringify(values.port)})`);
if (!/^\d{1,6}$/.test(values.buffer)) fail(`--buffer takes a number of messages from 0 to 999999 (got ${JSON.stringify(values.buffer)})`);
const inspector = URL.canParse(values.inspector) ? new URL(values.inspector) : undefined;
if (!inspector || !['https:', 'http:'].includes(inspector.protocol)) fail(`--inspector takes an http(s) URL (got ${JSON.stringify(values.inspector)})`);
const bufferSize = Number(values.buffer);

const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** The page: Stately's inspector in an iframe, handed each message once it says it is listening (`@statelyai.connected`). */
const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Arbiter: Stately inspector</title>
<style>html, body, iframe { margin: 0; width: 100%; height: 100%; border: 0; display: block; }</style></head>
<body>
<iframe id="inspector" title="Stately inspector" src="${html(inspector.href)}"></iframe>
<script>
  const frame = document.getElementById('inspector');
  const origin = ${JSON.stringify(inspector.origin)};
  const waiting = [];
  let listening = false;
  addEventListener('message', (e) => {
    if (e.source !== frame.contentWindow || !e.data || e.data.type !== '@statelyai.connected') return;
    listening = true;
    for (const message of waiting.splice(0)) frame.contentWindow.postMessage(message, origin);
  });
  const ws = new WebSocket('ws://' + location.host);
  ws.onmessage = (e) => {
    const message = JSON.parse(e.data);
    if (listening) frame.contentWindow.postMessage(message, origin);
    else waiting.push(message);
  };
  ws.onclose = () => (document.title = 'Arbiter: the relay closed (reload when it is back)');
</script>
</body>
</html>
`;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Only loopback names (no page of another site rebinding its name to 127.0.0.1), and only this page's own origin. */
function allowed(req: IncomingMessage): boolean {
  const host = req.headers.host ?? '';
  if (!URL.canParse(`http://${host}`) || !loopbackHosts.has(new URL(`http://${host}`).hostname)) return false;
  const origin = req.headers.origin;
  return origin === undefined || (URL.canParse(origin) && new URL(origin).host === host);
}

const server = createServer((req, res) => {
  if (!allowed(req)) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('only for this machine\n');
  if (req.method !== 'GET' || req.url !== '/') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
});
const relay = new WebSocketServer({ server, maxPayload: 4 * 1024 * 1024, verifyClient: ({ req }: { req: IncomingMessage }) => allowed(req) });
const buffer: string[] = [];
relay.on('connection', (ws) => {
  for (const message of buffer) ws.send(message);
  ws.on('message', (data) => {
    const message = String(data);
    buffer.push(message);
    if (buffer.length > bufferSize) buffer.shift();
    for (const client of relay.clients) if (client !== ws && client.readyState === WebSocket.OPEN) client.send(message);
  });
});
server.on('error', (error) => fail(error.message));
server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(
    `stately relay on ws://127.0.0.1:${port}: open http://127.0.0.1:${port}/ in a browser, start Arbiter with ARBITER_STATELY_INSPECT=ws://127.0.0.1:${port}`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const client of relay.clients) client.terminate();
    relay.close();
    server.close(() => process.exit(0));
  });
}
