-- One row per finished epoch, written as the epoch ends: a job's history grows by one
-- row, instead of being rewritten whole every epoch. Jobs that ended before this keep
-- theirs in training_job.history.
create table training_epoch (
    job_id varchar(36) not null,
    epoch int not null,
    report character large object not null,
    primary key (job_id, epoch)
);
