// The WebSocket benchmark server: echoes every message back as it came (text stays
// text), so a reply carries the request's correlation id.
import { WebSocketServer } from 'ws';
import { announce } from './announce.mjs';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
server.on('listening', () => {
  announce({ port: server.address().port }, () => {
    for (const client of server.clients) client.terminate();
    return new Promise((resolve) => server.close(() => resolve()));
  });
});
