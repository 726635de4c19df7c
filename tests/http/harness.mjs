// Test harness: runs a private Gazette stack (gazette FastCGI server behind
// nginx) on loopback, in a temporary directory, for the HTTP and browser tests.
//
// Environment: GAZETTE_BIN (the gazette binary), GAZETTE_ROOT (the repository
// root), optional NGINX_BIN, and GAZETTE_KEEP_TMP=1 to keep the temporary
// directory after stop() (its path is printed).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(process.env.GAZETTE_ROOT || path.join(HERE, '..', '..'));
export const BIN = path.resolve(process.env.GAZETTE_BIN || path.join(ROOT, 'build', 'gazette'));
// The tool that makes and inspects test pictures, built beside gazette.
export const PICTURES_BIN = path.join(path.dirname(BIN), 'gazette-test-pictures');
// Where Debian's packages put the demo's photographs (demo/CREDITS).
export const DEMO_PICTURES = '/usr/share/backgrounds';

const READY_MS = 20000;
const STOP_MS = 20000;
const SANITIZER = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|WARNING: ThreadSanitizer/;

// Return the path of the nginx binary: NGINX_BIN, or the usual places, or PATH.
function nginxBin() {
  const dirs = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin',
    ...(process.env.PATH || '').split(':')];
  const found = [process.env.NGINX_BIN, ...dirs.map((d) => d && path.join(d, 'nginx'))]
    .find((p) => {
      if (!p) return false;
      try { fs.accessSync(p, fs.constants.X_OK); return true; } catch { return false; }
    });
  if (!found) throw new Error('nginx not found (install it or set NGINX_BIN)');
  return found;
}

// Return the folder of nginx's dynamic modules (where the cache purge
// module is), as `nginx -V` names it.
function nginxModules() {
  const r = spawnSync(nginxBin(), ['-V'], { encoding: 'utf8' });
  const m = /--modules-path=(\S+)/.exec(`${r.stderr}${r.stdout}`);
  return m ? m[1] : '/usr/lib/nginx/modules';
}

// Resolve after ms milliseconds.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Return a TCP port on 127.0.0.1 that was free a moment ago.
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// True when something accepts TCP connections on 127.0.0.1:port.
function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

// Run a command to completion; resolve {code, signal, stdout, stderr}.
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

// Run gazette with args in dir; throw with its stderr unless it exits 0.
async function gazette(dir, args) {
  const r = await run(BIN, args, { cwd: dir });
  if (r.code !== 0) {
    throw new Error(`gazette ${args.join(' ')} exited ${r.code ?? r.signal}: ${r.stderr.trim()}`);
  }
  if (SANITIZER.test(r.stderr)) {
    throw new Error(`gazette ${args.join(' ')}: sanitizer report:\n${r.stderr}`);
  }
  return r;
}

// A child process that keeps its stderr text and knows when it has exited.
function startChild(cmd, args, opts) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const proc = { child, stderr: '', exited: null };
  proc.exit = new Promise((resolve) => {
    child.on('error', (err) => { proc.stderr += `spawn error: ${err.message}\n`; });
    child.on('close', (code, signal) => {
      proc.exited = { code, signal };
      resolve(proc.exited);
    });
  });
  child.stdout.on('data', (d) => { proc.stderr += d; });
  child.stderr.on('data', (d) => { proc.stderr += d; });
  return proc;
}

// Wait until test() is true, or proc exits, or ms pass; return whether ready.
async function waitFor(test, proc, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exited) return false;
    if (await test()) return true;
    await sleep(50);
  }
  return false;
}

// Send signal to proc and wait for it to exit (SIGKILL after STOP_MS).
// Return {code, signal} of the exit, plus killed: true if SIGKILL was needed.
async function stopChild(proc, signal) {
  if (proc.exited) return proc.exited;
  proc.child.kill(signal);
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(resolve, STOP_MS, 'timeout'); });
  const first = await Promise.race([proc.exit, timeout]);
  clearTimeout(timer);
  if (first === 'timeout') {
    proc.child.kill('SIGKILL');
    await proc.exit;
    return { ...proc.exited, killed: true };
  }
  return proc.exited;
}

// Run the picture tool with args; throw with its stderr unless it exits 0.
// Returns its standard output. (In a sanitizer build the tool's leaks, the
// HEVC encoder's among them, are not this project's.)
export function pictureTool(args) {
  const r = spawnSync(PICTURES_BIN, args, {
    encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
  });
  if (r.status !== 0) throw new Error(`gazette-test-pictures ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// The nginx body limit of uploads for an upload_max_mb setting (as
// scripts/lib.sh's gz_upload_max): the setting plus a MiB.
export const uploadMaxFor = (mb) => `${Number(mb || 20) + 1}m`;

// Start a Gazette stack. Options: demo (load demo/site.json, default true;
// otherwise just init an empty site), pictures (with the demo: false, the
// default, loads no pictures; 'standins' gives every demo article a small
// made-up picture; 'debian' the real photographs of DEMO_PICTURES),
// restore ({db, archive}: instead of a demo, the site of a backup made as
// docs/deploy.md says: the database snapshot, and the tar archive of the
// media and originals folders), settings ({key: value} applied with
// `gazette setting`; base_url is the stack's own address unless given
// here; cache_nginx, where nginx takes purges, is set to the stack's own
// nginx unless given), trustedProxies (addresses nginx takes
// X-Forwarded-For from, for its limit on POSTs), uploadMax (nginx's body
// limit for uploads; by default in step with the upload_max_mb setting)
// and nginx ({directive: value} overriding values of the nginx
// configuration, see renderNginxConf). Resolves to
//   {base, port, dbPath, dir, gazettePid, stop(), restartGazette({signal}),
//    gazetteStderr(), nginxErrorLog()}
// base is 'http://127.0.0.1:PORT'. stop() ends gazette with SIGTERM and throws
// if it did not exit 0 or printed a sanitizer report; it always stops nginx
// and removes dir (unless GAZETTE_KEEP_TMP is set).
export async function startStack({
  demo = true, pictures = false, settings = {}, i18n = path.join(ROOT, 'www', 'i18n'), threads = 4,
  trustedProxies = '', uploadMax = null, restore = null, nginx = {},
} = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-test-'));
  const dbPath = path.join(dir, 'gazette.db');
  const sock = path.join(dir, 'gazette.sock');
  const ngxDir = path.join(dir, 'nginx');
  const templates = path.join(ROOT, 'www', 'templates');
  let gz = null;
  let ngx = null;
  let stderrBefore = '';

  // Start gazette serve and wait for its socket.
  async function startGazette() {
    try { fs.unlinkSync(sock); } catch { /* not there */ }
    const p = startChild(BIN, ['serve', '--db', dbPath, '--listen', `unix:${sock}`,
      '--templates', templates, '--i18n', i18n, '--threads', String(threads)], { cwd: dir });
    const ready = await waitFor(async () => fs.existsSync(sock)
      && /serving on/.test(p.stderr), p, READY_MS);
    if (!ready) {
      if (!p.exited) await stopChild(p, 'SIGKILL');
      throw new Error(`gazette serve did not start: ${p.stderr.trim() || '(no output)'}`);
    }
    return p;
  }

  // Start nginx on a free port; retry when the port was taken meanwhile.
  async function startNginx() {
    const conf = path.join(ngxDir, 'nginx.conf');
    fs.mkdirSync(path.join(ngxDir, 'tmp'), { recursive: true });
    let lastErr = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      fs.writeFileSync(conf, renderNginxConf({
        listen: `127.0.0.1:${port}`, fastcgi: `unix:${sock}`,
        staticRoot: path.join(ROOT, 'www', 'static'), runtimeDir: ngxDir, trustedProxies,
        mediaRoot: path.join(dir, 'media'),
        uploadMax: uploadMax || uploadMaxFor(settings.upload_max_mb), overrides: nginx,
      }));
      const pidFile = path.join(ngxDir, 'nginx.pid');
      try { fs.unlinkSync(pidFile); } catch { /* not there */ }
      const p = startChild(nginxBin(), ['-p', `${ngxDir}/`, '-c', conf,
        '-e', path.join(ngxDir, 'error.log')], { cwd: dir });
      // nginx writes its pid file only once its listening socket is bound, so
      // a connection after that reaches this nginx and not another server
      // that took the port meanwhile.
      const ours = () => readIfExists(pidFile).trim() === String(p.child.pid);
      if (await waitFor(async () => ours() && canConnect(port), p, READY_MS)) {
        return { proc: p, port };
      }
      if (!p.exited) await stopChild(p, 'SIGKILL');
      lastErr = p.stderr + readIfExists(path.join(ngxDir, 'error.log'));
      if (!/Address already in use/.test(lastErr)) break;
    }
    throw new Error(`nginx did not start: ${lastErr.trim()}`);
  }

  try {
    if (!fs.existsSync(BIN)) throw new Error(`gazette binary not found: ${BIN}`);
    if (restore) {
      fs.copyFileSync(restore.db, dbPath);
      const t = spawnSync('tar', ['-xf', restore.archive, '-C', dir], { encoding: 'utf8' });
      if (t.status !== 0) throw new Error(`tar -xf ${restore.archive}: ${t.stderr}`);
      await gazette(dir, ['init', '--db', dbPath]);
    } else if (demo) {
      const args = ['demo', '--db', dbPath, '--content', path.join(ROOT, 'demo', 'site.json')];
      if (pictures === 'standins') {
        const from = path.join(dir, 'standins');
        pictureTool(['standins', from, path.join(ROOT, 'demo', 'site.json')]);
        args.push('--media-from', from);
      } else if (pictures === 'debian') {
        args.push('--media-from', DEMO_PICTURES);
      }
      await gazette(dir, args);
    } else {
      await gazette(dir, ['init', '--db', dbPath]);
    }
    const all = { cache_nginx: `unix:${path.join(ngxDir, 'purge.sock')}`, ...settings };
    for (const [key, value] of Object.entries(all)) {
      await gazette(dir, ['setting', '--db', dbPath, '--i18n', i18n, key, String(value)]);
    }
    gz = await startGazette();
    const n = await startNginx();
    ngx = n.proc;
    const port = n.port;
    // The site's address is what its own pages post from (the origin check
    // trusts base_url, never the Host header); the running server applies
    // the setting with its next request.
    if (!('base_url' in settings)) {
      await gazette(dir, ['setting', '--db', dbPath, 'base_url', `http://127.0.0.1:${port}`]);
    }

    let stopped = false;
    const stack = {
      base: `http://127.0.0.1:${port}`,
      port,
      dbPath,
      dir,
      get gazettePid() { return gz.child.pid; },
      gazetteStderr() { return stderrBefore + gz.stderr; },
      nginxErrorLog() { return readIfExists(path.join(ngxDir, 'error.log')); },

      // Stop gazette with signal (default SIGTERM) and start it again on the
      // same socket and database, after calling whileStopped() when given.
      // For SIGTERM and SIGINT the exit must be clean (code 0, no sanitizer
      // report); other signals simulate a crash.
      async restartGazette({ signal = 'SIGTERM', whileStopped = null } = {}) {
        const res = await stopChild(gz, signal);
        stderrBefore += gz.stderr;
        if (signal === 'SIGTERM' || signal === 'SIGINT') checkExit('gazette', res, gz.stderr);
        if (whileStopped) await whileStopped();
        gz = await startGazette();
        return gz.child.pid;
      },

      // Stop gazette (cleanly, as restartGazette) and leave nginx up, as
      // when the server is down; resumeGazette starts it again.
      async pauseGazette() {
        const res = await stopChild(gz, 'SIGTERM');
        stderrBefore += gz.stderr;
        checkExit('gazette', res, gz.stderr);
        gz = { ...gz, stderr: '' };
      },
      async resumeGazette() {
        gz = await startGazette();
        return gz.child.pid;
      },

      async stop() {
        if (stopped) return;
        stopped = true;
        const errors = [];
        try {
          const res = await stopChild(gz, 'SIGTERM');
          checkExit('gazette', res, gz.stderr);
        } catch (err) {
          errors.push(err);
        }
        await stopChild(ngx, 'SIGTERM');
        cleanup(dir, errors.length > 0);
        if (errors.length) throw errors[0];
      },
    };
    return stack;
  } catch (err) {
    if (gz) await stopChild(gz, 'SIGKILL');
    if (ngx) await stopChild(ngx, 'SIGKILL');
    cleanup(dir, true);
    throw err;
  }
}

// Throw if a stopped process did not exit cleanly or printed a sanitizer report.
function checkExit(name, res, stderr) {
  if (SANITIZER.test(stderr)) {
    throw new Error(`${name}: sanitizer report:\n${stderr}`);
  }
  if (res.killed || res.code !== 0) {
    const how = res.killed ? 'did not stop in time' : `exited with ${res.code ?? res.signal}`;
    throw new Error(`${name} ${how}; stderr:\n${stderr}`);
  }
}

// Remove the temporary directory, unless GAZETTE_KEEP_TMP is set.
function cleanup(dir, failed) {
  if (process.env.GAZETTE_KEEP_TMP) {
    process.stderr.write(`gazette test files kept in ${dir}\n`);
    return;
  }
  if (failed) process.stderr.write(`(set GAZETTE_KEEP_TMP=1 to keep ${dir} for inspection)\n`);
  fs.rmSync(dir, { recursive: true, force: true });
}

// Return the text of file p, or '' if it cannot be read.
function readIfExists(p) {
  try { return fs.readFileSync(p, 'utf8'); } catch { return ''; }
}

// The server's route table with each route's policy, as `gazette routes`
// prints it: [{method, pattern, role, kind, shared, cache_control, body,
// csrf}]. Patterns keep their types ("{id:int}").
export function routeTable() {
  const r = spawnSync(BIN, ['routes'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gazette routes exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

// Return the text of scripts/nginx.conf.in with its placeholders replaced.
// listen, fastcgi, staticRoot and runtimeDir are required; extraLocations
// is optional nginx text, trustedProxies addresses separated by spaces;
// overrides ({directive: value}, e.g. {client_header_timeout: '2s'})
// replaces the value of each directive the template sets, and throws for
// one it does not set.
export function renderNginxConf({
  listen, fastcgi, staticRoot, runtimeDir, mediaRoot, uploadMax = '21m', extraLocations = '',
  trustedProxies = '', overrides = {},
}) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  fs.mkdirSync(path.join(runtimeDir, 'cache'), { recursive: true });
  const values = {
    USER_LINE: isRoot ? 'user root;' : '',
    RUNTIME_DIR: runtimeDir,
    LISTEN: listen,
    FASTCGI: fastcgi,
    STATIC_ROOT: staticRoot,
    MEDIA_ROOT: mediaRoot,
    UPLOAD_MAX: uploadMax,
    EXTRA_LOCATIONS: extraLocations,
    MODULES: nginxModules(),
    TRUSTED_PROXIES: trustedProxies.split(/\s+/).filter(Boolean)
      .map((a) => `        set_real_ip_from ${a};`).join('\n'),
  };
  const tpl = fs.readFileSync(path.join(ROOT, 'scripts', 'nginx.conf.in'), 'utf8');
  let text = tpl.replace(/@([A-Z_]+)@/g, (m, name) => (name in values ? values[name] : m));
  for (const [name, value] of Object.entries(overrides)) {
    const directive = new RegExp(`^(\\s*${name}\\s)[^;]*;`, 'gm');
    if (!text.match(directive)) throw new Error(`scripts/nginx.conf.in sets no ${name}`);
    text = text.replace(directive, `$1${value};`);
  }
  return text;
}

// GET (or any method via opts) base + path without following redirects.
// Resolves to {status, headers, text}; headers is a fetch Headers object
// (use headers.get('content-type')).
export async function get(base, urlPath, opts = {}) {
  const res = await fetch(base + urlPath, { redirect: 'manual', ...opts });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}
