package dev.kafkaconsumer.samples.workqueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Prints where to look, once the application is ready. */
@Component
final class ActuatorUrls implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ActuatorUrls.class);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Environment environment = event.getApplicationContext().getEnvironment();
        String port = environment.getProperty("local.management.port", environment.getProperty("local.server.port", "8080"));
        String base = "http://localhost:" + port + environment.getProperty("management.endpoints.web.base-path", "/actuator");
        log.info("""

                Ready. The share containers, as the actuator sees them:
                  {}/health
                  {}/kafkaconsumers
                  {}/prometheus
                Stop with Ctrl-C: each share container finishes the jobs it handles and releases the rest to the group.
                """, base, base, base);
    }
}
