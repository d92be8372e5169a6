#!/usr/bin/env node
// Builds when dist/ is missing or older than any source file, then runs the server.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const entry = join(root, 'dist', 'main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const configFiles = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'].map((f) => join(root, f));
const sourceTime = Math.max(newestMtime(join(root, 'src')), ...configFiles.map((f) => statSync(f).mtimeMs));
if (!existsSync(entry) || statSync(entry).mtimeMs < sourceTime) {
  process.stdout.write('Building (dist/ is missing or stale)...\n');
  const build = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
require(entry);
