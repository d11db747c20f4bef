package dev.callchat.examples.micronaut;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** The host application's own endpoint, which callchat must leave alone. */
@Controller("/hello")
public class HelloController {
    /** @return the host's greeting */
    @Get(produces = MediaType.TEXT_PLAIN)
    public String hello() {
        return "Hello from the host application";
    }
}
