// The floor: the least a server can do for the benchmarks' load, in plain Node (no framework, no
// store, no agent). One session; subscribe, list, an event stream with hello and the list, and
// `POST /stream` sends `Chunk i of N. ` deltas to the subscribers in vibes' frame format.
// node tests/bench/floor-server.mjs  (prints `listening on URL`)
import { randomUUID } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { URL } from 'node:url';

const epoch = randomUUID();
const session = { id: randomUUID(), name: 'bench', state: 'idle', subscriber_count: 0 };
const subscribers = new Set();
const streams = new Map();
let seq = 0;
let eventSeq = 0;

const json = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
};
const frame = (type, data) => `id: ${epoch}:${++seq}\nevent: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function send(type, data) {
  const text = frame(type, data);
  for (const clientId of subscribers) for (const res of streams.get(clientId) ?? []) res.write(text);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor.invalid');
  const clientId = req.headers['x-vibes-client-id'];
  if (req.method === 'GET' && url.pathname === '/api/sessions') return json(res, 200, { sessions: [session] });
  if (req.method === 'POST' && url.pathname === `/api/sessions/${session.id}/subscribe`) {
    subscribers.add(clientId);
    session.subscriber_count = subscribers.size;
    return req.resume().on('end', () => json(res, 200, { session }));
  }
  if (req.method === 'GET' && url.pathname === '/api/events') {
    const id = url.searchParams.get('client_id') ?? randomUUID();
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.socket?.setNoDelay(true);
    if (!streams.has(id)) streams.set(id, new Set());
    streams.get(id).add(res);
    req.on('close', () => streams.get(id)?.delete(res));
    res.write(`retry: 1000\n\n${frame('hello', { client_id: id, epoch })}${frame('session_list', { sessions: [session] })}`);
    return;
  }
  if (req.method === 'POST' && url.pathname === '/stream') {
    const chunks = Number(url.searchParams.get('chunks') ?? 200);
    const everyMs = Number(url.searchParams.get('every') ?? 5);
    const messageId = `msg_${randomUUID()}`;
    let sent = 0;
    const next = () => {
      const at = Math.floor(Date.now() / 1000);
      if (sent === chunks) return send('session_event', { session_id: session.id, seq: ++eventSeq, at, event: { type: 'turn_complete' } });
      sent++;
      const event = { type: 'text_delta', message_id: messageId, text: `Chunk ${sent} of ${chunks}. ` };
      send('session_event', { session_id: session.id, seq: ++eventSeq, at, event });
      setTimeout(next, everyMs);
    };
    setTimeout(next, everyMs);
    return req.resume().on('end', () => json(res, 202, { ok: true }));
  }
  json(res, 404, { error: { code: 'NOT_FOUND', message: 'Not found' } });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port} session ${session.id}`));
process.on('SIGTERM', () => process.exit(0));
