package dfs.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogSetupTest {
    @Test
    void logbackFindsTheSetUpAsAService() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LogSetup.class);
    }

    @Test
    void commandsPrintWarningsToStderrButNotInfo() {
        String err = stderrOf(null, ctx -> {
            Logger log = ctx.getLogger("dfs.master.Master");
            log.info("an info line");
            log.warn("a warning line");
        });
        assertThat(err).doesNotContain("an info line")
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  Master: a warning line\\R");
    }

    @Test
    void theLevelPropertyOpensDebugButLibrariesStayQuiet() {
        String err = stderrOf("debug", ctx -> {
            ctx.getLogger("dfs.master.Master").debug("our debug line");
            ctx.getLogger("org.apache.hc.client5.http.wire").debug("a chunk's bytes");
            ctx.getLogger("javax.jmdns.impl.JmDNSImpl").warn("a multicast hiccup");
        });
        assertThat(err).contains("DEBUG Master: our debug line").doesNotContain("a chunk's bytes")
                .doesNotContain("a multicast hiccup");
    }

    /** What a fresh logger context set up by {@link LogSetup} writes to stderr while {@code logging} runs. */
    private static String stderrOf(String level, Consumer<LoggerContext> logging) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            context.setMDCAdapter(new LogbackMDCAdapter()); // as logback's own start-up does
            LogSetup.apply(context, level);
            logging.accept(context);
        } finally {
            context.stop();
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
