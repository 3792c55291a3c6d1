// Every error a user can meet is one of these: a stable `code` to match on (a second bundled copy of this
// module breaks `instanceof`, so callers match on `code`), and a one-line message that names the bad value
// and says what to do.

export class YumvaultError extends Error {
  readonly code: string;
  /** Exit status for the CLI: 1 failure, 2 bad usage. */
  readonly exitCode: number = 1;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bad command-line usage or bad option values (exit 2). */
export class UsageError extends YumvaultError {
  override readonly exitCode = 2;
  constructor(message: string) {
    super('YV_USAGE', message);
  }
}

/** Options passed to a constructor or loaded from a config file are invalid. */
export class ConfigError extends YumvaultError {
  constructor(message: string) {
    super('YV_CONFIG', message);
  }
}

/** An RPM package or header is malformed or truncated. */
export class RpmFormatError extends YumvaultError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('YV_RPM_FORMAT', message, options);
  }
}

/** An RPM feature we do not implement (an unknown payload compressor, say). */
export class RpmUnsupportedError extends YumvaultError {
  constructor(message: string) {
    super('YV_RPM_UNSUPPORTED', message);
  }
}

/** A cpio payload is malformed, or decompression failed. */
export class PayloadFormatError extends YumvaultError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('YV_PAYLOAD_FORMAT', message, options);
  }
}

/** An installed-package database is malformed, or not found. */
export class RpmdbError extends YumvaultError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('YV_RPMDB', message, options);
  }
}

/** No rpm database where one was looked for (as opposed to one that is there but unreadable). */
export class RpmdbNotFoundError extends RpmdbError {}

/** repomd.xml, primary.xml, updateinfo.xml… are malformed or inconsistent. */
export class RepoMetadataError extends YumvaultError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('YV_REPODATA', message, options);
  }
}

/** An upstream (or any repository URL) failed: HTTP error status, timeout, connection reset. */
export class UpstreamError extends YumvaultError {
  readonly status: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super('YV_UPSTREAM', message, options);
    this.status = options?.status;
  }
}

/** Bytes did not hash to what the metadata or manifest promised. */
export class ChecksumMismatchError extends YumvaultError {
  constructor(message: string) {
    super('YV_CHECKSUM_MISMATCH', message);
  }
}

/** A requested object (package build, blob, manifest) does not exist. */
export class NotFoundError extends YumvaultError {
  constructor(message: string) {
    super('YV_NOT_FOUND', message);
  }
}

/** A path tries to escape its root (`..`, absolute, backslashes, encoded forms). */
export class PathTraversalError extends YumvaultError {
  constructor(message: string) {
    super('YV_PATH_TRAVERSAL', message);
  }
}

/** A tar archive is malformed or truncated. */
export class TarFormatError extends YumvaultError {
  constructor(message: string) {
    super('YV_TAR_FORMAT', message);
  }
}

/** residual.zst is malformed, truncated or does not belong to the manifest. */
export class ResidualFormatError extends YumvaultError {
  constructor(message: string) {
    super('YV_RESIDUAL_FORMAT', message);
  }
}

/** manifest.json is malformed or names something inconsistent. */
export class ManifestError extends YumvaultError {
  constructor(message: string) {
    super('YV_MANIFEST', message);
  }
}

/** A restored or checked image does not match what the manifest recorded. */
export class VerificationError extends YumvaultError {
  constructor(message: string) {
    super('YV_VERIFY', message);
  }
}

/** A build was superseded by a security advisory and --allow-vulnerable was not given. */
export class VulnerableBuildError extends YumvaultError {
  constructor(message: string) {
    super('YV_VULNERABLE', message);
  }
}

/** Missing or wrong bearer token on a write. */
export class AuthError extends YumvaultError {
  constructor(message: string) {
    super('YV_AUTH', message);
  }
}

/** Storage (blob store, catalog) failed. */
export class StorageError extends YumvaultError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('YV_STORAGE', message, options);
  }
}

/** Not enough free space for what is about to be written (checked before starting, not found out halfway). */
export class NoSpaceError extends YumvaultError {
  constructor(message: string) {
    super('YV_NO_SPACE', message);
  }
}

export function isYumvaultError(e: unknown): e is YumvaultError {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('YV_');
}

/** Another monitor pass holds the lock (a serve with its monitor, another `monitor --once`, another replica). */
export class MonitorBusyError extends YumvaultError {
  constructor(message: string) {
    super('YV_BUSY', message);
  }
}

/** A retention pass ran and failed for one or more repositories. */
export class MonitorPassError extends YumvaultError {
  constructor(message: string) {
    super('YV_MONITOR', message);
  }
}
