package dev.elman.jobs;

import java.time.Clock;
import javax.sql.DataSource;

import dev.elman.background.BackgroundLoop;
import dev.elman.cluster.Replica;
import dev.elman.engine.ComputeEngine;
import dev.elman.engine.EngineProperties;
import dev.elman.engine.ParallelWork;
import dev.elman.http.BodyLimit;
import dev.elman.registry.ModelRegistry;
import dev.elman.training.Trainer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Training jobs: their table, their queue, the runner and the threads it trains with.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

	@Bean
	static EmbeddedDatabaseDefaults embeddedDatabaseDefaults(Environment environment) {
		return new EmbeddedDatabaseDefaults(environment);
	}

	@Bean
	JobRepository jobRepository(JdbcClient jdbc) {
		return new JobRepository(jdbc, JsonMapper.builder().build());
	}

	@Bean
	JobActivity jobActivity() {
		return new JobActivity();
	}

	@Bean
	JobFolders jobFolders(EngineProperties engine) {
		return new JobFolders(engine.dataDir().resolve("jobs"));
	}

	@Bean
	CorpusIntake corpusIntake(JobProperties properties) {
		return new CorpusIntake(properties);
	}

	@Bean(destroyMethod = "close")
	ParallelWork trainingThreads(JobProperties properties) {
		return ParallelWork.of(properties.stepThreadCount());
	}

	@Bean
	JobMetrics jobMetrics(MeterRegistry meters, JobRepository repository, JobActivity activity) {
		return new JobMetrics(meters, repository, activity);
	}

	@Bean
	JobRunner jobRunner(JobRepository repository, JobActivity activity, JobFolders folders, CorpusIntake intake,
			ComputeEngine engine, ParallelWork trainingThreads, ModelRegistry registry, JobProperties properties,
			JobMetrics metrics, Replica replica) {
		return new JobRunner(repository, activity, folders, intake, new Trainer(engine.device(), trainingThreads),
				registry, properties, metrics, Clock.systemUTC(), replica);
	}

	@Bean
	TrainingQueue trainingQueue(DataSource dataSource, JobRunner runner, JobRepository repository, JobActivity activity,
			JobFolders folders, JobProperties properties, Replica replica) {
		// Wrapped so that queueing a job joins the transaction that inserts its row.
		return new TrainingQueue(new TransactionAwareDataSourceProxy(dataSource), runner, repository, activity, folders,
				properties, replica.id());
	}

	@Bean
	JobQueueHealthIndicator trainingQueueHealthIndicator(TrainingQueue queue, JobRepository repository,
			JobProperties properties, JobFolders folders) {
		return new JobQueueHealthIndicator(queue, repository, properties, folders);
	}

	@Bean
	JobService jobService(JobRepository repository, TrainingQueue queue, JobActivity activity, JobFolders folders,
			CorpusIntake intake, JobProperties properties, TransactionTemplate transactions) {
		return new JobService(repository, queue, activity, folders, intake, properties, transactions,
				Clock.systemUTC());
	}

	/** After the API key check and the body limit, before anything reads the body. */
	@Bean
	FilterRegistrationBean<SubmissionLimitFilter> submissionLimitFilter(JobProperties properties,
			MeterRegistry registry) {
		SubmissionLimitFilter filter = new SubmissionLimitFilter(properties.maxConcurrentSubmissions());
		Gauge.builder("elman.training.submissions.reading", filter, SubmissionLimitFilter::reading)
			.description("Training requests whose bodies are being read now (at most max-concurrent-submissions)")
			.register(registry);
		FilterRegistrationBean<SubmissionLimitFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
		return registration;
	}

	/** An inline corpus may be as large as an uploaded one, plus its options. */
	@Bean
	BodyLimit trainBodyLimit(JobProperties properties) {
		return new BodyLimit("/train", submissionLimit(properties));
	}

	@Bean
	BodyLimit uploadBodyLimit(JobProperties properties) {
		return new BodyLimit("/train/upload", submissionLimit(properties));
	}

	private static DataSize submissionLimit(JobProperties properties) {
		return DataSize.ofBytes(properties.maxCorpusSize().toBytes() + DataSize.ofMegabytes(1).toBytes());
	}

	@Bean(destroyMethod = "close")
	JobEventStream jobEventStream(JobService jobs, JobProperties properties) {
		return new JobEventStream(jobs, properties.maxEventStreams(), properties.eventKeepAlive());
	}

	@Bean
	BackgroundLoop trainingQueueLoop(TrainingQueue queue) {
		return queue.liveness();
	}

}
