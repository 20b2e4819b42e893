# syntax=docker/dockerfile:1
#
# The Vigil server as a container image.
#
#   docker build -t vigil .
#   docker run --rm -p 8080:8080 -e VIGIL_API_TOKEN=<at least 16 characters> vigil
#
# Stage 1 builds with Maven and JDK 21, exactly as `./vigil build` does (the launcher itself runs
# it, limited to the server and the modules it needs); stage 2 runs the server on a JRE 21.
# Inside a container the server listens on 0.0.0.0, so it refuses to start without
# VIGIL_API_TOKEN; /health/live and /metrics stay open without it (VIGIL_OPEN_PATHS). Every other
# setting comes from VIGIL_* variables (docs/configuration.md); deploy/docker-compose.yml runs
# two nodes on PostgreSQL.

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
# The cache mount keeps downloaded dependencies between builds; the jars of the runtime classpath
# are copied out in the same step (the classpath file lists them in the Maven repository).
RUN --mount=type=cache,target=/root/.m2 \
    ./vigil build -pl vigil-server -am \
    && mkdir -p /out/lib \
    && tr ':' '\n' < vigil-server/target/classpath.txt | xargs -r cp -t /out/lib/ \
    && find vigil-server/target -maxdepth 1 -name 'vigil-server-*.jar' ! -name '*-tests.jar' ! -name '*-sources.jar' \
         -exec cp -t /out/lib/ {} +

FROM eclipse-temurin:21-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/vigil --create-home vigil
COPY --from=build /out/lib/ /opt/vigil/lib/
ENV VIGIL_HOST=0.0.0.0 \
    VIGIL_PORT=8080 \
    VIGIL_DATA_DIR=/var/lib/vigil \
    VIGIL_OPEN_PATHS=/health/live,/metrics
USER vigil
WORKDIR /var/lib/vigil
VOLUME ["/var/lib/vigil"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
# Exec form: the JVM is PID 1 and gets SIGTERM itself, so `docker stop` drains gracefully
# (running jobs get engine.shutdown_grace_ms, 30 s by default; give the container longer).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/vigil/lib/*", "dev.vigil.server.cli.VigilCli"]
CMD ["server"]
