export { exportPain001, NO_TRACE, type ExportDeps, type ExportOptions, type ExportResult, type ExportedBill, type SkippedBill } from './export-pain001.js';
export { withExportLock, exportLockKey } from './export-lock.js';
export { exportMessageId, defaultExportFileName, creationDateTime } from './file-names.js';
