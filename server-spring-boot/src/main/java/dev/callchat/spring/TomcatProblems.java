package dev.callchat.spring;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.Framing;
import dev.callchat.core.http.HttpReply;
import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

import java.io.IOException;

/**
 * What Tomcat answers by itself (a request line or header it cannot parse, a path it refuses) becomes
 * core's problem+json instead of Tomcat's HTML error page, and Tomcat admits as many headers as core's
 * contract does, and an unread body closes the connection instead of being drained. Requests Tomcat drops before any valve runs still get its bare 400, like Undertow's.
 */
final class TomcatProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private static final int MAX_HEADERS = 256;

    private final CallChatHttp http;

    TomcatProblems(CallChatHttp http) {
        this.http = http;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("maxHeaderCount", Integer.toString(MAX_HEADERS));
            // A body callchat did not read (a refused upload, a 415) is not drained at the sender's pace, which
            // held a thread per trickling client: the connection closes once the answer is sent.
            connector.setProperty("maxSwallowSize", "0");
        });
        factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                replaceErrorReport(context.getParent());
            }
        }));
    }

    /** The host installs its error report valve when it starts, before its contexts: swap it for ours. */
    private void replaceErrorReport(Container host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemValve)) {
                host.getPipeline().removeValve(valve);
                host.getPipeline().addValve(new ProblemValve(http));
            }
        }
    }

    /** Renders an error status that no one wrote a body for as core's problem. */
    static final class ProblemValve extends ErrorReportValve {
        private final CallChatHttp http;

        ProblemValve(CallChatHttp http) {
            this.http = http;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            // Tomcat answers 501 to a transfer coding it does not know; when chunked is not the final coding the
            // body's length is unknowable, and RFC 9112 section 6.3 asks for 400 and a closed connection.
            HttpReply reply = status == 501 && request.getHeader("Transfer-Encoding") != null
                    ? http.problem(ErrorKind.BAD_REQUEST, Framing.UNKNOWN_LENGTH)
                    : http.problem(status);
            try {
                response.reset();
                response.setStatus(reply.status());
                reply.headers().forEach(response::setHeader);
                response.getOutputStream().write(reply.body());
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response committed meanwhile: nothing left to say.
            }
        }
    }
}
