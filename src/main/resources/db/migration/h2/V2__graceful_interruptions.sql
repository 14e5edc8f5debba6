-- Graceful stops (SIGTERM, a rolling deploy) that interrupted a job; only the other
-- restarts, process deaths, count against elman.jobs.max-attempts.
alter table training_job add column interruptions int default 0 not null;
