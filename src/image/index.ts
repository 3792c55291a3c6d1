// The public API of src/image (what the CLI, the action and the demo use).

export { decomposeImage, type DecomposeOptions, type DecomposeSummary } from './decompose.ts';
export { restoreImage, type RestoreOptions, type RestoreSummary } from './restore.ts';
export { verifyImage } from './verify.ts';
export { readManifest, validateManifest, MANIFEST_FORMAT, MANIFEST_FILE, RESIDUAL_FILE, type Manifest, type ManifestPackage } from './manifest.ts';
export { openTarImage, type ImageReader, type ImageFile } from './imageReader.ts';
export { prepareImage, type PreparedImage } from './imageInput.ts';
