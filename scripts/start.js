#!/usr/bin/env node
// `npm start`: builds when dist/ is missing or older than any source file, then runs the server with
// the runtime bounds of the Docker image (a 192 MB old generation, 2 libuv threads) unless the caller
// chose its own. Without them a server under load grew past 400 MB: V8 sizes its heap to the
// machine's memory, and each of libuv's 4 default threads can hold an argon2 hash's 19 MiB.
//
// `node scripts/start.js --entry FILE` runs another built main.js the same way, without building
// (the bench runs its own copy of the build so).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');

const HEAP_FLAG = '--max-old-space-size=192';
const THREADPOOL_SIZE = '2';

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const entryAt = args.indexOf('--entry');
const ownBuild = entryAt === -1;
const entry = ownBuild ? join(root, 'dist', 'main.js') : resolve(args[entryAt + 1] ?? '');
if (!ownBuild) args.splice(entryAt, 2);

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (ownBuild) {
  const configFiles = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'].map((f) =>
    join(root, f),
  );
  const sourceTime = Math.max(newestMtime(join(root, 'src')), ...configFiles.map((f) => statSync(f).mtimeMs));
  if (!existsSync(entry) || statSync(entry).mtimeMs < sourceTime) {
    process.stdout.write('Building (dist/ is missing or stale)...\n');
    const build = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
} else if (!existsSync(entry)) {
  process.stderr.write(`start.js: --entry ${entry} does not exist\n`);
  process.exit(1);
}

// libuv reads this when its pool first runs work, which nothing here has done yet; a child inherits it.
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = THREADPOOL_SIZE;

const HEAP_CHOSEN = /--max[-_]old[-_]space[-_]size/;
if (HEAP_CHOSEN.test(process.env.NODE_OPTIONS ?? '') || process.execArgv.some((a) => HEAP_CHOSEN.test(a))) {
  require(entry);
} else {
  // V8 sizes its heap when the process starts, so the flag needs a new node.
  const argv = [...process.execArgv, HEAP_FLAG, entry, ...args];
  if (typeof process.execve === 'function') {
    // Node 22.15 and later: the same process (pid, signals, exit status) goes on as the server.
    process.execve(process.execPath, [process.execPath, ...argv], process.env);
  } else {
    runChild(argv);
  }
}

/**
 * Older Node: the server runs as a child and this process passes signals on and exits as it did.
 * The child has a session of its own, so that a terminal's Ctrl-C reaches it once, through here: npm
 * forwards the signal to this process as well, and the server takes a second signal as "exit now".
 */
function runChild(argv) {
  const child = spawn(process.execPath, argv, { stdio: 'inherit', detached: true });
  let last = { signal: '', at: 0 };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      const now = Date.now();
      if (signal === last.signal && now - last.at < 500) return;
      last = { signal, at: now };
      child.kill(signal);
    });
  }
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  child.on('error', (error) => {
    process.stderr.write(`start.js: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}
