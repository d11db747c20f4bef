package dev.callchat.core.http;

/**
 * Renders meters for {@code GET /metrics}, such as Micrometer's {@code PrometheusMeterRegistry::scrape}. Core
 * depends on no registry implementation: whoever builds the registry hands {@link CallChatHttp} this view of it.
 */
@FunctionalInterface
public interface MetricsScrape {
    /** The Prometheus text exposition format, version 0.0.4. */
    String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** @return the current meters in the Prometheus text exposition format ({@link #PROMETHEUS_TEXT}) */
    String scrape();
}
