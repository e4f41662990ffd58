export { runDoctor, type DoctorOptions } from './run-doctor.js';
export { formatCheck, formatReport, type CheckStatus, type DoctorCheck, type DoctorReport } from './doctor-report.js';
export { DAILY_RIGHTS, type Right } from './odoo-checks.js';
export { MAX_CLOCK_SKEW_MS } from './deployment-checks.js';
