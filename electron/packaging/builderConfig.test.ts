import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuilderConfig, publishFor, validateBuilderConfig } from './builder.js';
import { repoRoot } from './test/buildApp.js';

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation, which does reject a bad configuration", async () => {
    const config = await loadBuilderConfig(repoRoot);
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
    await expect(validateBuilderConfig({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } as typeof config.electronFuses })).rejects.toThrow(/configuration.electronFuses/);
    await expect(validateBuilderConfig({ ...config, asar: 'yes' as unknown as boolean })).rejects.toThrow(/configuration.asar/);
  });

  it('names the app and builds the installers of each platform', async () => {
    const config = await loadBuilderConfig(repoRoot);
    expect(config).toMatchObject({ appId: 'com.acg.integrationcenter', productName: 'Integration Center', icon: 'build/icon.png' });
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
    for (const file of ['build/icon.png', 'build/icon.svg', 'build/icons/256x256.png', 'build/icons/16x16.png']) {
      await expect(readFile(path.join(repoRoot, file)), file).resolves.toBeInstanceOf(Buffer);
    }
    const png = await readFile(path.join(repoRoot, 'build/icon.png'));
    // PNG header: width and height at bytes 16–23; electron-builder needs at least 512 px for macOS.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });

  it('sets the Electron fuses the app ships with', async () => {
    const config = await loadBuilderConfig(repoRoot);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the app into asar with native code unpacked, rebuilt for Electron in the stage only', async () => {
    const config = await loadBuilderConfig(repoRoot);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(true);
    expect(config.directories).toMatchObject({ app: 'release/app', buildResources: 'build' });
    // Never rebuilt for Electron at install time: that would break Node (tests, browser mode).
    const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[hook], hook).toBeUndefined();
    expect(JSON.stringify(manifest.scripts)).not.toMatch(/install-app-deps|electron-rebuild|@electron\/rebuild/);
  });

  it('points the installers at the update feed given when packaging', async () => {
    expect(publishFor(undefined)).toEqual({});
    expect(publishFor('  ')).toEqual({});
    expect(publishFor('https://updates.example.com/ic')).toEqual({ publish: { provider: 'generic', url: 'https://updates.example.com/ic' } });
    expect(() => publishFor('http://updates.example.com/ic')).toThrow(/https/);
    const config = await loadBuilderConfig(repoRoot, publishFor('https://updates.example.com/ic'));
    expect(config.publish).toEqual({ provider: 'generic', url: 'https://updates.example.com/ic' });
    await validateBuilderConfig(config);
  });
});
