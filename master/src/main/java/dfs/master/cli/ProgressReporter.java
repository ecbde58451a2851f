package dfs.master.cli;

import dfs.master.transfer.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows transfer progress on stderr: a redrawing bar with throughput on a terminal, and on
 * anything else (a pipe, a log file) a plain line every few seconds, without carriage returns
 * or colour codes. Transfers shorter than the first interval print nothing. Thread-safe.
 */
final class ProgressReporter {
    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(2);

    private ProgressReporter() {}

    /** Progress of a command of {@code session}, cancelled when the session's user asks. */
    static Progress forStderr(Session session) {
        BooleanSupplier cancelled = session::cancelRequested;
        return session.terminal() ? new Bar(System.err, cancelled) : new Plain(System.err, cancelled);
    }

    /** The progressbar library, given its own console consumer so it never guesses the terminal. */
    private static final class Bar implements Progress {
        private final PrintStream err;
        private final BooleanSupplier cancelled;
        private ProgressBar bar;

        Bar(PrintStream err, BooleanSupplier cancelled) {
            this.err = err;
            this.cancelled = cancelled;
        }

        @Override
        public boolean cancelled() {
            return cancelled.getAsBoolean();
        }

        @Override
        public synchronized void start(String what, long totalBytes) {
            bar = new ProgressBarBuilder().setTaskName(what).setInitialMax(Math.max(1, totalBytes))
                    .setStyle(ProgressBarStyle.ASCII).setUnit("MiB", 1024 * 1024).showSpeed()
                    .setUpdateIntervalMillis(200).setConsumer(new ConsoleProgressBarConsumer(err))
                    .clearDisplayOnFinish().build();
        }

        @Override
        public synchronized void advance(long bytes) {
            if (bar != null) {
                bar.stepBy(bytes);
            }
        }

        @Override
        public synchronized void finish() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    /** One plain line per interval: "upload big.iso: 40% (400.0 MiB of 1.0 GiB), 310.2 MiB/s". */
    private static final class Plain implements Progress {
        private final PrintStream err;
        private final BooleanSupplier cancelled;
        private final AtomicLong done = new AtomicLong();
        private volatile String what = "";
        private volatile long total;
        private volatile long started;
        private volatile long lastPrinted;

        Plain(PrintStream err, BooleanSupplier cancelled) {
            this.err = err;
            this.cancelled = cancelled;
        }

        @Override
        public boolean cancelled() {
            return cancelled.getAsBoolean();
        }

        @Override
        public void start(String what, long totalBytes) {
            this.what = what;
            this.total = totalBytes;
            this.done.set(0);
            this.started = System.nanoTime();
            this.lastPrinted = started;
        }

        @Override
        public void advance(long bytes) {
            long now = System.nanoTime();
            long d = done.addAndGet(bytes);
            if (now - lastPrinted >= PLAIN_INTERVAL.toNanos()) {
                synchronized (this) {
                    if (now - lastPrinted >= PLAIN_INTERVAL.toNanos()) {
                        lastPrinted = now;
                        long pct = total == 0 ? 100 : d * 100 / total;
                        err.println(what + ": " + pct + "% (" + Units.bytes(d) + " of " + Units.bytes(total) + "), "
                                + Units.rate(d, now - started));
                    }
                }
            }
        }
    }
}
