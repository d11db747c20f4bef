package dev.callchat.examples.spring;

// embed:spring-application
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Example (d) of docs/embedding.md: an existing Spring Boot application with its own controller.
 * Adding {@code callchat-spring-boot} to its dependencies and {@code callchat.path=/video} to its
 * {@code application.properties} is all it takes: callchat's auto-configuration answers below
 * {@code /video/}; every other path stays the application's.
 */
@SpringBootApplication
@RestController
public class SpringHostApplication {
    /** @return the host's greeting */
    @GetMapping(value = "/hello", produces = "text/plain")
    public String hello() {
        return "Hello from the host application";
    }

    /** @param args passed to Spring Boot */
    public static void main(String[] args) {
        SpringApplication.run(SpringHostApplication.class, args);
    }
}
// end:spring-application
