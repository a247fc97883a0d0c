// The HTTP benchmark server: keep-alive, precomputed answers, as little work per
// request as node:http allows, so the client side is what the numbers measure.
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { announce } from './announce.mjs';
import { GRAPHQL_RESULT, ITEM } from '../lib/payloads.mjs';

const item = Buffer.from(JSON.stringify(ITEM));
const graphql = Buffer.from(JSON.stringify(GRAPHQL_RESULT));
const jsonHeaders = (length) => ({ 'content-type': 'application/json', 'content-length': length });
const itemHeaders = jsonHeaders(item.length);
const graphqlHeaders = jsonHeaders(graphql.length);

// The raw headers of the latest /item or /echo request: the harness compares what each client sends.
let lastHeaders = [];

const server = createServer({ keepAliveTimeout: 120_000, requestTimeout: 0 }, (req, res) => {
  if (req.url === '/last-headers') {
    const body = Buffer.from(JSON.stringify(lastHeaders));
    res.writeHead(200, jsonHeaders(body.length)).end(body);
    return;
  }
  lastHeaders = req.rawHeaders;
  if (req.method === 'GET' && req.url === '/item') {
    res.writeHead(200, itemHeaders).end(item);
    return;
  }
  if (req.method === 'POST' && (req.url === '/echo' || req.url === '/graphql')) {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/graphql') {
        res.writeHead(200, graphqlHeaders).end(graphql);
        return;
      }
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      res.writeHead(200, jsonHeaders(body.length)).end(body);
    });
    return;
  }
  res.writeHead(404, jsonHeaders(2)).end('{}');
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;

server.listen(0, '127.0.0.1', () => {
  announce({ port: server.address().port }, () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
});
