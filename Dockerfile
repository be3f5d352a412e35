# syntax=docker/dockerfile:1
# call-server: build with the Maven wrapper, run on a JRE as a non-root user.

# Node 20 (the dashboard's build) with a JDK 21 next to it
FROM node:20-bookworm AS build
COPY --from=eclipse-temurin:21-jdk /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:$PATH
# the wrapper fetches Maven 3.9.11 through a mvn on PATH, or from MVNW_REPOURL
ARG MVNW_REPOURL
ENV MVNW_REPOURL=${MVNW_REPOURL}
RUN apt-get update && apt-get install -y --no-install-recommends maven && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -DskipTests -pl call-server -am package

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --home-dir /app switchboard \
 && mkdir -p /app/data && chown -R switchboard /app \
 && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/call-server/target/call-server.jar /app/call-server.jar
COPY --from=build /src/call-server/target/libs /app/libs
USER switchboard
ENV SWITCHBOARD_DATA_DIR=/app/data
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/observe/health/ready || exit 1
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/call-server.jar"]
