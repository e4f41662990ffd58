export { activityNotices, summaryNote, clerkNote, SUMMARY_MARKER, type NoticeDeps, type NoticeSummary } from './activity-notices.js';
