package dev.switchboard.server.observe;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import java.util.function.Supplier;

/** One readiness check of {@code /observe/health/ready}: a name and what it answers now. */
public record Readiness(String name, Supplier<HealthCheckResponse> check) implements HealthCheck {

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public HealthCheckResponse call() {
        return check.get();
    }
}
