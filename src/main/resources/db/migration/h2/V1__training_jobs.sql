-- Training jobs and db-scheduler's executions, for the embedded H2 database.
create table training_job (
    id varchar(36) primary key,
    model_name varchar(64) not null,
    state varchar(16) not null,
    idempotency_key varchar(200),
    request_fingerprint varchar(64),
    spec character large object not null,
    settings character large object not null,
    corpus character large object not null,
    created_at timestamp with time zone not null,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    cancel_requested boolean default false not null,
    attempts int default 0 not null,
    progress character large object,
    history character large object,
    resumed_after_epoch int,
    result_version int,
    error character large object,
    constraint training_job_idempotency unique (idempotency_key)
);
create index training_job_state_created on training_job (state, created_at);
create index training_job_model_created on training_job (model_name, created_at);

create table scheduled_tasks (
    task_name varchar(100) not null,
    task_instance varchar(100) not null,
    task_data blob,
    execution_time timestamp with time zone not null,
    picked boolean not null,
    picked_by varchar(50),
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
