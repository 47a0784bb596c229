// The trivial target of the load generator against wrk: a constant answer, as little server work
// as Node allows. Plain JavaScript, so that plain node runs it and nothing else costs CPU.
const server = require('node:http').createServer((_req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
