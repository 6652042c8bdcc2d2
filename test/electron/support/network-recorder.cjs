/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload (and the line injected into eval workers) must be CommonJS */
// Loaded with `--require` (NODE_OPTIONS) into a Node process and so into
// every Node process it starts; it also injects itself into each worker
// thread, however the worker is created. Records every
// attempt to reach another machine to the file in FARPOINT_NET_LOG, one JSON
// line each, and stops it before a packet leaves: socket connects, DNS
// lookups, UDP sends, and undici (fetch) connections. Loopback and local
// (Unix socket / pipe) destinations are recorded and allowed.
'use strict';
const diagnosticsChannel = require('node:diagnostics_channel');
const dgram = require('node:dgram');
const dns = require('node:dns');
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');
const net = require('node:net');
const workerThreads = require('node:worker_threads');

const { isMainThread, threadId } = workerThreads;

const logFile = process.env.FARPOINT_NET_LOG;
const installed = Symbol.for('farpoint.networkRecorder');

if (logFile && !globalThis[installed]) {
  globalThis[installed] = true;
  const where = { pid: process.pid, thread: isMainThread ? 'main' : `worker-${threadId}` };
  const record = (entry) => fs.appendFileSync(logFile, `${JSON.stringify({ ...where, ...entry })}\n`);

  const isLoopbackHost = (host) => {
    if (host === undefined || host === null || host === '') return true; // Node's default host is localhost
    const h = String(host).toLowerCase().replace(/^\[|\]$/g, '');
    return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
  };
  const blocked = (what) => Object.assign(new Error(`network-recorder: blocked ${what}`), { code: 'ECONNREFUSED' });

  // Every TCP or IPC client socket, whatever created it (http, https, net, tls, undici).
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function patchedConnect(...args) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    let destination;
    if (typeof first === 'object' && first !== null) destination = first.path !== undefined ? { path: String(first.path) } : { host: first.host ?? 'localhost', port: first.port };
    else if (typeof first === 'string' && !/^\d+$/.test(first)) destination = { path: first };
    else destination = { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
    const loopback = destination.path !== undefined || isLoopbackHost(destination.host);
    record({ kind: 'connect', ...destination, loopback });
    if (!loopback) {
      process.nextTick(() => this.destroy(blocked(`connect to ${destination.host}:${destination.port}`)));
      return this;
    }
    return connect.apply(this, args);
  };

  // Name lookups (a lookup of anything but localhost is an attempt to leave the machine).
  const wrapLookup = (target, name) => {
    const original = target[name];
    target[name] = function patchedLookup(hostname, ...rest) {
      const loopback = isLoopbackHost(hostname);
      record({ kind: `dns.${name}`, host: String(hostname), loopback });
      if (!loopback) {
        const callback = rest.findLast((arg) => typeof arg === 'function');
        const error = Object.assign(blocked(`lookup of ${hostname}`), { code: 'ENOTFOUND' });
        if (callback) return void process.nextTick(() => callback(error));
        return Promise.reject(error);
      }
      return original.call(this, hostname, ...rest);
    };
  };
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveTxt', 'resolveSrv']) {
    wrapLookup(dns, name);
    wrapLookup(dns.promises, name);
  }

  // UDP (no connection to catch: each send is an attempt).
  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function patchedSend(...args) {
    const host = args.find((arg, i) => i > 0 && typeof arg === 'string');
    const loopback = isLoopbackHost(host);
    record({ kind: 'udp', host: host ?? 'localhost', loopback });
    if (!loopback) return;
    return send.apply(this, args);
  };

  // Belt and braces: the diagnostics channels Node and undici publish on.
  diagnosticsChannel.subscribe('net.client.socket', ({ socket }) => {
    socket.once('connect', () => {
      const host = socket.remoteAddress;
      if (host && !isLoopbackHost(host)) record({ kind: 'net.client.socket', host, port: socket.remotePort, loopback: false });
    });
  });
  diagnosticsChannel.subscribe('undici:client:beforeConnect', ({ connectParams }) => {
    record({ kind: 'undici', host: connectParams.hostname, port: connectParams.port, loopback: isLoopbackHost(connectParams.hostname) });
  });

  // Worker threads: an eval worker runs no preload and a worker given its own execArgv drops
  // NODE_OPTIONS' --require, so each worker gets the recorder put in front of its code.
  const OriginalWorker = workerThreads.Worker;
  workerThreads.Worker = class RecordedWorker extends OriginalWorker {
    constructor(code, options = {}) {
      if (options.eval) super(`require(${JSON.stringify(__filename)});\n${code}`, options);
      else if (options.execArgv) super(code, { ...options, execArgv: ['--require', __filename, ...options.execArgv] });
      else super(code, options);
    }
  };
  // ES modules that import { Worker } from 'node:worker_threads' see the patched class too.
  syncBuiltinESMExports();

  record({ kind: 'recorder-ready' });
}
