import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/cli';

// electron-builder's own loader, validator and glob matcher, so the checks agree with what `npm run dist` does.
const requireHere = createRequire(import.meta.url);
const requireBuilder = createRequire(requireHere.resolve('app-builder-lib'));
const yaml = requireBuilder('js-yaml') as { load(text: string): unknown };
const { minimatch } = requireBuilder('minimatch') as { minimatch(file: string, pattern: string, options?: object): boolean };
const { validateConfiguration } = requireBuilder('./util/config/config.js') as { validateConfiguration(config: unknown, logger: unknown): Promise<void> };
const { DebugLogger } = requireBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  asar: boolean;
  electronFuses: Record<string, boolean>;
  publish: unknown;
  npmRebuild: boolean;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}
const config = yaml.load(fs.readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const unpacked = (file: string) => config.asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true }));

test("electron-builder.yml is valid for electron-builder's own schema", async () => {
  await validateConfiguration(config, new DebugLogger(false));
  await assert.rejects(validateConfiguration({ ...config, asarUnpacked: [] }, new DebugLogger(false)), /unknown property/, 'the validator does reject mistakes');
});

test('installers for Linux (AppImage, deb), Windows (nsis) and macOS (dmg), with no update feed', () => {
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.equal(config.publish, null, 'no publish/update configuration: the app never looks for updates');
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string>; dependencies: Record<string, string> };
  assert.equal(pkg.main, 'dist/electron/main.js');
  assert.ok(config.files.includes('dist/electron/**') && config.files.includes('dist/renderer/**') && config.files.includes('dist/main/**'));
  assert.match(pkg.scripts.dist!, /electron-builder --config electron-builder\.yml/);
  for (const dep of Object.keys(pkg.dependencies)) assert.ok(!/electron-updater|analytics|sentry|telemetry/.test(dep), `${dep} would phone home`);
});

test('fuses: no run-as-node, encrypted cookies, asar integrity, app only from the asar', () => {
  assert.equal(config.asar, true);
  assert.deepEqual(
    {
      runAsNode: config.electronFuses.runAsNode,
      enableCookieEncryption: config.electronFuses.enableCookieEncryption,
      enableEmbeddedAsarIntegrityValidation: config.electronFuses.enableEmbeddedAsarIntegrityValidation,
      onlyLoadAppFromAsar: config.electronFuses.onlyLoadAppFromAsar,
      enableNodeOptionsEnvironmentVariable: config.electronFuses.enableNodeOptionsEnvironmentVariable,
      enableNodeCliInspectArguments: config.electronFuses.enableNodeCliInspectArguments,
      grantFileProtocolExtraPrivileges: config.electronFuses.grantFileProtocolExtraPrivileges,
    },
    {
      runAsNode: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
    },
  );
  assert.equal(config.npmRebuild, true, 'better-sqlite3 must be rebuilt for Electron’s ABI');
});

/** Every file of a production dependency that the OS or V8 loads directly (addons, shared libraries, wasm). */
function nativeFilesOfProductionDependencies(): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  const production = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && !entry.dev && !entry.devOptional).map(([key]) => key);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(rel);
      } else if (/\.(node|wasm|so(\.\d+)*|dylib|dll)$/.test(entry.name)) found.push(rel);
    }
  };
  for (const pkg of production) if (fs.existsSync(path.join(repoRoot, pkg))) walk(pkg);
  return found;
}

test('every native binary of a production dependency is unpacked from the asar', () => {
  const files = nativeFilesOfProductionDependencies();
  const names = files.join('\n');
  for (const expected of [/better-sqlite3\/build\/Release\/better_sqlite3\.node/, /@img\/sharp-linux-x64\/lib\/sharp-.*\.node/, /@img\/sharp-libvips-linux-x64\/lib\/libvips/, /usearch\/prebuilds\/linux-x64\/usearch\.node/, /tfjs-backend-wasm\/dist\/tfjs-backend-wasm\.wasm/])
    assert.match(names, expected, 'the walk finds the binaries it must');
  for (const file of files) assert.ok(unpacked(file), `${file} would stay inside app.asar, where it cannot be loaded`);
  // tfjs-node is optional and not installed on machines without internet; its files must be unpacked where it is.
  for (const file of ['node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node', 'node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow.so.2', 'node_modules/@tensorflow/tfjs-node/deps/lib/tensorflow.dll'])
    assert.ok(unpacked(file), file);
  assert.equal(unpacked('dist/electron/main.js'), false, 'the app code itself stays in the asar (integrity-checked)');
  assert.equal(unpacked('dist/renderer/index.html'), false);
});
