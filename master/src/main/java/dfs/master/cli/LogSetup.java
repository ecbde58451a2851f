package dfs.master.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The logging set-up of every dfs process, in code rather than a logback.xml: parsing XML cost
 * each command about a tenth of a second of start-up. Logback finds this class as a service
 * ({@code META-INF/services}) before it looks for configuration files.
 *
 * <p>Logs go to stderr, so stdout carries only command results. The level is WARN for commands
 * and INFO for the chunk server daemon (see {@link Logging}); {@code -Ddfs.log.level=DEBUG}
 * overrides both. A {@code logback-test.xml} on the class path, or a file named by
 * {@code -Dlogback.configurationFile}, takes over instead.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";
    /** Libraries that say too much below these levels; HttpClient logs whole chunks at DEBUG. */
    static final Map<String, Level> QUIETER = Map.of("org.eclipse.jetty", Level.WARN, "io.javalin", Level.WARN,
            "org.apache.hc", Level.WARN, "javax.jmdns", Level.ERROR, "org.jmdns", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null
                || LogSetup.class.getClassLoader().getResource(ContextInitializer.TEST_AUTOCONFIG_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, System.getProperty("dfs.log.level"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context}: stderr, the pattern above, root at {@code level} (WARN if null or unknown). */
    static void apply(LoggerContext context, String level) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.WARN));
        root.addAppender(stderr);
        QUIETER.forEach((name, at) -> context.getLogger(name).setLevel(at));
    }
}
