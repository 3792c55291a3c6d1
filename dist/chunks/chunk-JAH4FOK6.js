#!/usr/bin/env node
import { createRequire as __yvCreateRequire } from 'node:module';
import { fileURLToPath as __yvFileURLToPath } from 'node:url';
import { dirname as __yvDirname } from 'node:path';
var require = __yvCreateRequire(import.meta.url);
var __filename = __yvFileURLToPath(import.meta.url);
var __dirname = __yvDirname(__filename);
import {
  __export
} from "./chunk-I62UABPK.js";

// src/errors.ts
var errors_exports = {};
__export(errors_exports, {
  AuthError: () => AuthError,
  ChecksumMismatchError: () => ChecksumMismatchError,
  ConfigError: () => ConfigError,
  ManifestError: () => ManifestError,
  MonitorBusyError: () => MonitorBusyError,
  MonitorPassError: () => MonitorPassError,
  NoSpaceError: () => NoSpaceError,
  NotFoundError: () => NotFoundError,
  PathTraversalError: () => PathTraversalError,
  PayloadFormatError: () => PayloadFormatError,
  RepoMetadataError: () => RepoMetadataError,
  ResidualFormatError: () => ResidualFormatError,
  RpmFormatError: () => RpmFormatError,
  RpmUnsupportedError: () => RpmUnsupportedError,
  RpmdbError: () => RpmdbError,
  RpmdbNotFoundError: () => RpmdbNotFoundError,
  StorageError: () => StorageError,
  TarFormatError: () => TarFormatError,
  UpstreamError: () => UpstreamError,
  UsageError: () => UsageError,
  VerificationError: () => VerificationError,
  VulnerableBuildError: () => VulnerableBuildError,
  YumvaultError: () => YumvaultError,
  isYumvaultError: () => isYumvaultError
});
var YumvaultError = class extends Error {
  code;
  /** Exit status for the CLI: 1 failure, 2 bad usage. */
  exitCode = 1;
  constructor(code, message, options) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
};
var UsageError = class extends YumvaultError {
  exitCode = 2;
  constructor(message) {
    super("YV_USAGE", message);
  }
};
var ConfigError = class extends YumvaultError {
  constructor(message) {
    super("YV_CONFIG", message);
  }
};
var RpmFormatError = class extends YumvaultError {
  constructor(message, options) {
    super("YV_RPM_FORMAT", message, options);
  }
};
var RpmUnsupportedError = class extends YumvaultError {
  constructor(message) {
    super("YV_RPM_UNSUPPORTED", message);
  }
};
var PayloadFormatError = class extends YumvaultError {
  constructor(message, options) {
    super("YV_PAYLOAD_FORMAT", message, options);
  }
};
var RpmdbError = class extends YumvaultError {
  constructor(message, options) {
    super("YV_RPMDB", message, options);
  }
};
var RpmdbNotFoundError = class extends RpmdbError {
};
var RepoMetadataError = class extends YumvaultError {
  constructor(message, options) {
    super("YV_REPODATA", message, options);
  }
};
var UpstreamError = class extends YumvaultError {
  status;
  constructor(message, options) {
    super("YV_UPSTREAM", message, options);
    this.status = options?.status;
  }
};
var ChecksumMismatchError = class extends YumvaultError {
  constructor(message) {
    super("YV_CHECKSUM_MISMATCH", message);
  }
};
var NotFoundError = class extends YumvaultError {
  constructor(message) {
    super("YV_NOT_FOUND", message);
  }
};
var PathTraversalError = class extends YumvaultError {
  constructor(message) {
    super("YV_PATH_TRAVERSAL", message);
  }
};
var TarFormatError = class extends YumvaultError {
  constructor(message) {
    super("YV_TAR_FORMAT", message);
  }
};
var ResidualFormatError = class extends YumvaultError {
  constructor(message) {
    super("YV_RESIDUAL_FORMAT", message);
  }
};
var ManifestError = class extends YumvaultError {
  constructor(message) {
    super("YV_MANIFEST", message);
  }
};
var VerificationError = class extends YumvaultError {
  constructor(message) {
    super("YV_VERIFY", message);
  }
};
var VulnerableBuildError = class extends YumvaultError {
  constructor(message) {
    super("YV_VULNERABLE", message);
  }
};
var AuthError = class extends YumvaultError {
  constructor(message) {
    super("YV_AUTH", message);
  }
};
var StorageError = class extends YumvaultError {
  constructor(message, options) {
    super("YV_STORAGE", message, options);
  }
};
var NoSpaceError = class extends YumvaultError {
  constructor(message) {
    super("YV_NO_SPACE", message);
  }
};
function isYumvaultError(e) {
  const code = e instanceof Error ? e.code : void 0;
  return typeof code === "string" && code.startsWith("YV_");
}
var MonitorBusyError = class extends YumvaultError {
  constructor(message) {
    super("YV_BUSY", message);
  }
};
var MonitorPassError = class extends YumvaultError {
  constructor(message) {
    super("YV_MONITOR", message);
  }
};

export {
  YumvaultError,
  UsageError,
  ConfigError,
  RpmFormatError,
  RpmUnsupportedError,
  PayloadFormatError,
  RpmdbError,
  RpmdbNotFoundError,
  RepoMetadataError,
  UpstreamError,
  ChecksumMismatchError,
  NotFoundError,
  PathTraversalError,
  TarFormatError,
  ResidualFormatError,
  ManifestError,
  VerificationError,
  VulnerableBuildError,
  AuthError,
  StorageError,
  NoSpaceError,
  isYumvaultError,
  MonitorBusyError,
  MonitorPassError,
  errors_exports
};
