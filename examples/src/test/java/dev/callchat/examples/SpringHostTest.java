package dev.callchat.examples;

import dev.callchat.examples.spring.SpringHostApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Example (d): callchat's Spring Boot auto-configuration inside an application that has its own controller. */
class SpringHostTest extends HostApplicationContract {
    private ConfigurableApplicationContext context;

    @Override
    int start() {
        // application.properties says callchat.path=/video, as the host application's would.
        context = SpringApplication.run(SpringHostApplication.class, "--server.address=127.0.0.1", "--server.port=0");
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    void stop() {
        context.close();
    }
}
