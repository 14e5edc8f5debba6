-- The replica (elman.instance-id) that runs a job now, or ran it last.
alter table training_job add column replica varchar(64);
