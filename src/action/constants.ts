// Every input, output and state key of the action, named once (action.yml must match).

export const Inputs = {
  Command: 'command',
  Image: 'image',
  Repos: 'repos',
  Dir: 'dir',
  Name: 'name',
  Proxy: 'proxy',
  Token: 'token',
  Cache: 'cache',
  Upgrade: 'upgrade',
  AllowVulnerable: 'allow-vulnerable',
  Substitute: 'substitute',
} as const;

export const Outputs = {
  Sha256: 'sha256',
  ImageBytes: 'image-bytes',
  StoredBytes: 'stored-bytes',
  Packages: 'packages',
  Dir: 'dir',
  CacheKey: 'cache-key',
  CacheHit: 'cache-hit',
} as const;

export const State = {
  /** Set by the main step of `command: auto` when the image was not restored: the post step decomposes it. */
  DecomposeInPost: 'yumvault-decompose-in-post',
} as const;

export type Command = 'decompose' | 'restore' | 'auto';
export const COMMANDS: readonly Command[] = ['decompose', 'restore', 'auto'];

/** Cache keys are `yumvault-<name>-<image sha256>`: a later run knows only the name, so it restores by prefix. */
export const CACHE_KEY_PREFIX = 'yumvault-';
