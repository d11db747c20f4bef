package dev.callchat.twilio;

import com.twilio.Twilio;
import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one pooled Apache HttpClient 5 behind every Twilio call. twilio-java talks to it through
 * {@link #attempt(Duration)}: a fresh {@link com.twilio.http.HttpClient} per attempt that carries
 * that attempt's timeout and remembers the status and {@code Retry-After} of the answer (the
 * generated resources' {@code ApiException} drops headers).
 */
final class UpstreamHttp implements AutoCloseable {
    private final CloseableHttpClient client;
    private final PoolingHttpClientConnectionManager connections;
    private final Optional<URI> baseUrl;
    /** Cuts an attempt at its timeout whatever it is doing (connecting, or reading a slow trickle). */
    private final ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "callchat-twilio-timeout");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param connectTimeout TCP connect timeout
     * @param baseUrl        where to send Twilio traffic instead of the host twilio-java names
     * @param maxConnections pool size (per route and total)
     */
    UpstreamHttp(Duration connectTimeout, Optional<URI> baseUrl, int maxConnections) {
        this.baseUrl = baseUrl;
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(connectTimeout))
                        .build())
                .setMaxConnPerRoute(maxConnections)
                .setMaxConnTotal(maxConnections)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                // Retrying is ours alone (Resilience4j, under the login deadline): no hidden retries here.
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .setUserAgent("callchat twilio-java/" + Twilio.VERSION)
                .build();
    }

    /**
     * @param timeout how long this attempt may wait for a connection from the pool and for the answer
     * @return a twilio-java HTTP client for exactly one request
     */
    Attempt attempt(Duration timeout) {
        return new Attempt(Timeout.of(timeout.isZero() ? Duration.ofMillis(1) : timeout));
    }

    @Override
    public void close() {
        cutter.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
        connections.close(CloseMode.IMMEDIATE);
    }

    /** Where a request goes: the configured base URL's scheme and authority, or twilio-java's host. */
    private URI target(Request request) {
        URI named;
        try {
            // The raw URL, not constructURL(): path segments are already percent-encoded by us, and
            // twilio-java's encoder would double-encode them (and misreads '/', '?' or '#' in a name).
            // We set no region or edge, so the host twilio-java wrote is the one to use.
            named = new URI(request.getUrl());
        } catch (URISyntaxException e) {
            throw new ApiConnectionException("Bad request URL for Twilio: " + e.getReason(), e);
        }
        String query = request.encodeQueryParams();
        StringBuilder url = new StringBuilder();
        if (baseUrl.isPresent()) {
            URI base = baseUrl.get();
            url.append(base.getScheme()).append("://").append(base.getRawAuthority());
            String prefix = base.getRawPath() == null ? "" : base.getRawPath();
            url.append(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        } else {
            url.append(named.getScheme()).append("://").append(named.getRawAuthority());
        }
        url.append(named.getRawPath());
        if (!query.isEmpty()) {
            url.append('?').append(query);
        }
        return URI.create(url.toString());
    }

    /** One request's worth of twilio-java {@code HttpClient}. Not shared between threads. */
    final class Attempt extends HttpClient {
        private final Timeout timeout;
        private int status = -1;
        private String retryAfter;

        private Attempt(Timeout timeout) {
            this.timeout = timeout;
        }

        /** twilio-java's own retry loop (3 tries, 100 ms, on any 5xx) would multiply with ours: one try only. */
        @Override
        public Response reliableRequest(Request request) {
            return makeRequest(request);
        }

        /** As {@link #reliableRequest(Request)}: one try, whatever the arguments ask. */
        @Override
        public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
            return makeRequest(request);
        }

        @Override
        public Response makeRequest(Request request) {
            HttpUriRequestBase http = new HttpUriRequestBase(request.getMethod().toString(), target(request));
            http.setConfig(RequestConfig.custom()
                    .setConnectionRequestTimeout(timeout)
                    .setResponseTimeout(timeout)
                    .build());
            if (request.requiresAuthentication()) {
                http.addHeader(HttpHeaders.AUTHORIZATION, request.getAuthString());
            }
            for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
                for (String value : header.getValue()) {
                    http.addHeader(header.getKey(), value);
                }
            }
            http.addHeader(HttpHeaders.ACCEPT, "application/json");
            if (request.getMethod() != HttpMethod.GET) {
                List<NameValuePair> form = new ArrayList<>();
                for (Map.Entry<String, List<String>> param : request.getPostParams().entrySet()) {
                    for (String value : param.getValue()) {
                        form.add(new BasicNameValuePair(param.getKey(), value));
                    }
                }
                http.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
            }
            ScheduledFuture<?> cut = cutter.schedule(http::cancel, timeout.toMilliseconds(), TimeUnit.MILLISECONDS);
            try {
                return client.execute(http, response -> {
                    status = response.getCode();
                    Header header = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
                    retryAfter = header == null ? null : header.getValue();
                    byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
                    return new Response(new ByteArrayInputStream(body), response.getCode(), response.getHeaders());
                });
            } catch (IOException e) {
                // Only the exception type and Apache's message (host, timeout): never headers or credentials.
                throw new ApiConnectionException("Twilio request failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
            } finally {
                cut.cancel(false);
            }
        }

        /** @return the HTTP status of the answer, or -1 when none arrived */
        int status() {
            return status;
        }

        /** @return the answer's raw {@code Retry-After} header, if any */
        Optional<String> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }
}
