import { describe, expect, it } from 'vitest';
import { withVaultFallbacks } from '../../src/action/vaultRepos.ts';

describe('withVaultFallbacks', () => {
  it('adds the vault of each proxied repo after the listed repos', () => {
    expect(
      withVaultFallbacks(['https://p.example/repos/baseos/', 'https://mirror.example/epel/', 'https://p.example/repos/appstream'], 'https://p.example/'),
    ).toEqual([
      'https://p.example/repos/baseos/',
      'https://mirror.example/epel/',
      'https://p.example/repos/appstream',
      'https://p.example/vault/baseos/',
      'https://p.example/vault/appstream/',
    ]);
  });
  it('adds nothing without a proxy, for vaults already listed, or for odd names', () => {
    expect(withVaultFallbacks(['https://p.example/repos/baseos/'], undefined)).toEqual(['https://p.example/repos/baseos/']);
    expect(withVaultFallbacks(['https://p.example/repos/baseos/', 'https://p.example/vault/baseos/'], 'https://p.example')).toEqual([
      'https://p.example/repos/baseos/',
      'https://p.example/vault/baseos/',
    ]);
    expect(withVaultFallbacks(['https://p.example/repos/a/b/'], 'https://p.example')).toEqual(['https://p.example/repos/a/b/']);
  });
});
