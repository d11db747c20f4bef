package dev.callchat.spring;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.Framing;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * What Tomcat answers by itself (a request line or header it cannot parse, a path it refuses) becomes
 * core's problem+json instead of Tomcat's HTML error page: this valve is the host's error report valve.
 * Tomcat also admits as many headers as core's contract does, and an unread body closes the connection
 * instead of being drained. Requests Tomcat drops before any valve runs still get its bare 400, like
 * Undertow's.
 */
final class TomcatProblems extends ErrorReportValve implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private final CallChatHttp http;

    TomcatProblems(CallChatHttp http) {
        this.http = http;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            connector.setProperty("maxHeaderCount", "256");
            // A body callchat did not read (a refused upload, a 415) is not drained at the sender's pace, which
            // held a thread per trickling client: the connection closes once the answer is sent.
            connector.setProperty("maxSwallowSize", "0");
        });
        factory.addContextCustomizers(context -> {
            // A host that already has a valve of its error report class adds no HTML one of its own when it starts.
            StandardHost host = (StandardHost) context.getParent();
            host.setErrorReportValveClass(TomcatProblems.class.getName());
            host.getPipeline().addValve(this);
        });
    }

    /** Renders an error status that no one wrote a body for as core's problem. */
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.reset();
        } catch (IllegalStateException committed) {
            return; // nothing left to say
        }
        CallChatFilter.write(response, Framing.serverProblem(http, status, request.getHeader("Transfer-Encoding")));
    }
}
