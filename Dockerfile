# The service's image, from the jar that `./mvnw package` builds:
#
#   ./mvnw -B package -DskipTests
#   docker build -t elman .                                        (Temurin's public JRE 17)
#   docker build -t elman --build-arg BASE_IMAGE=elman-base:bookworm-jre17 .   (offline)
#
# scripts/build-base-image.sh builds that offline base image from Debian packages. Any base
# with a Java 17 runtime, bash and useradd will do.
ARG BASE_IMAGE=eclipse-temurin:17-jre

FROM ${BASE_IMAGE} AS layers
# Marks this stage's image, so cleanups can remove it without touching other images.
LABEL dev.elman.build-stage=layers
WORKDIR /build
COPY target/elman.jar elman.jar
# One folder per layer, least changing first: a new build of the service replaces only the
# last, small layer, not the PyTorch natives.
RUN java -Djarmode=tools -jar elman.jar extract --layers --destination extracted

FROM ${BASE_IMAGE}
RUN groupadd --system --gid 10001 elman \
	&& useradd --system --uid 10001 --gid elman --home-dir /data --no-create-home --shell /usr/sbin/nologin elman \
	&& mkdir -p /data \
	&& chown elman:elman /data
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
COPY docker/healthcheck.sh /usr/local/bin/healthcheck

# Everything the service writes (models, jobs, the job database, unpacked natives) lives
# under /data; mount a volume there to keep it across containers.
ENV ELMAN_DATA_DIR=/data \
	OMP_NUM_THREADS=1
VOLUME /data
EXPOSE 8080
USER elman

HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 CMD ["/usr/local/bin/healthcheck"]

# Half the container's memory for the heap: PyTorch's tensors live outside it. Running out
# of heap ends the process, so the orchestrator restarts it rather than leaving it limping.
# More JVM flags: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-jar", "elman.jar"]
