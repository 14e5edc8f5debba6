-- Training jobs and db-scheduler's executions, for PostgreSQL.
create table training_job (
    id varchar(36) primary key,
    model_name varchar(64) not null,
    state varchar(16) not null,
    idempotency_key varchar(200),
    request_fingerprint varchar(64),
    spec text not null,
    settings text not null,
    corpus text not null,
    created_at timestamp with time zone not null,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    cancel_requested boolean default false not null,
    attempts int default 0 not null,
    progress text,
    history text,
    resumed_after_epoch int,
    result_version int,
    error text,
    constraint training_job_idempotency unique (idempotency_key)
);
create index training_job_state_created on training_job (state, created_at);
create index training_job_model_created on training_job (model_name, created_at);

create table scheduled_tasks (
    task_name text not null,
    task_instance text not null,
    task_data bytea,
    execution_time timestamp with time zone not null,
    picked boolean not null,
    picked_by text,
    last_success timestamp with time zone,
    last_failure timestamp with time zone,
    consecutive_failures int,
    last_heartbeat timestamp with time zone,
    version bigint not null,
    priority smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
