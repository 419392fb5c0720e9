import http from 'node:http';
import '../../src/http/createServer';

/** restify patches ServerResponse for the whole process; createServer restores Node's contract. */
it('keeps res.writeHead() returning the response for every server in the process', async () => {
  const srv = http.createServer((_req, res) => {
    res.writeHead(201, { 'content-type': 'text/plain' }).end('chained');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as import('node:net').AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/`);
  expect(res.status).toBe(201);
  expect(await res.text()).toBe('chained');
  await new Promise<void>((r) => srv.close(() => r()));
});
