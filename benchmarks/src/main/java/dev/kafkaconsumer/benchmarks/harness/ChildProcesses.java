package dev.kafkaconsumer.benchmarks.harness;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Stops the child JVMs of the harness (the broker, a measured consumer) the way they are asked to stop. */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /**
     * Asks the child to stop by closing its standard input, waits 30 s for it, then destroys it.
     *
     * @param process the child
     * @param what    names it in the message printed when it has to be destroyed
     */
    public static void stop(Process process, String what) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println("The " + what + " did not stop within 30 s; destroying it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
