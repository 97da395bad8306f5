// The raw Node.js comparison of issue #19: node:http and node:crypto only. It checks X-Hub-Signature-256 (HMAC-SHA256
// of the raw body with the app secret, compared in constant time), answers 200 or 401 and stores nothing: the floor a
// gateway that keeps every delivery should still beat. Started by the load harness:
//   node bench/node-hmac-endpoint.mjs PORT APP_SECRET
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

const [port, secret] = process.argv.slice(2);
if (!port || !secret) {
  console.error('usage: node node-hmac-endpoint.mjs PORT APP_SECRET');
  process.exit(2);
}

const prefix = 'sha256=';
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const header = req.headers['x-hub-signature-256'];
    const expected = createHmac('sha256', secret).update(Buffer.concat(chunks)).digest();
    const given = typeof header === 'string' && header.startsWith(prefix) ? Buffer.from(header.slice(prefix.length), 'hex') : null;
    const valid = given !== null && given.length === expected.length && timingSafeEqual(given, expected);
    res.writeHead(valid ? 200 : 401, { 'Content-Length': '0' });
    res.end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => console.log(`Callback URL: http://127.0.0.1:${port}/webhook`));
