// server-everything's HTTP transports call app.listen(PORT) with no host, which binds every
// interface; the end-to-end suites run on loopback only, so a listen without a host gets 127.0.0.1.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [port, host] = args;
  const portOnly = typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port));
  if (portOnly && typeof host !== 'string')
    return listen.call(this, Number(port), '127.0.0.1', ...args.slice(1));
  return listen.apply(this, args);
};
