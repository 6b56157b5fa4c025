/** Offline exports: the file sink, its formats and the manifest (see README, Offline exports). */
export { FileSink, type FileSinkOptions } from './sink';
export { EXPORT_FORMATS, isExportFormat, type ExportFormatName, type FileFormat, type ManifestFile } from './format';
export { formatNamed } from './formats';
export { MANIFEST_NAME, readManifest, type Manifest } from './manifest';
