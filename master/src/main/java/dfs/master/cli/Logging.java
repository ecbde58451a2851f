package dfs.master.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Log levels by role: daemons say what they do (INFO), commands only what went wrong (WARN). */
final class Logging {
    private Logging() {}

    static void daemon() {
        if (System.getProperty("dfs.log.level") == null) {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        }
    }
}
