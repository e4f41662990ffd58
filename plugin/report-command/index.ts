export { makeReport, REPORT_FORMATS, type MakeReportOptions, type Report, type ReportFormat } from './make-report.js';
export { withExecutedPayments } from './executed-payments.js';
